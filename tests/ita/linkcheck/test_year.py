"""Finding the fiscal year in text, HTML and legacy Thai encodings."""

from __future__ import annotations

import pytest

from ita.linkcheck.year import decode, html_text, text_mentions_year


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("ประจำปีงบประมาณ พ.ศ. 2568", True),
        ("ประจำปีงบประมาณ พ.ศ. ๒๕๖๘", True),
        ("ปี ๒๕6๘", True),  # mixed digits, as typed
        ("Fiscal Year 2025", True),  # ค.ศ.
        ("ค.ศ. ๒๐๒๕", True),
        ("ปีงบประมาณ 2567", False),
        ("เลขที่ 125680", False),  # not a whole number
        ("25681", False),
        ("© 2025 องค์การบริหารส่วนตำบล", False),  # a footer's copyright year
        ("Copyright 2025", False),
        ("สงวนลิขสิทธิ์ ๒๐๒๕", False),
        ("© 2568 รายงานประจำปี 2568", True),  # พ.ศ. counts even in a copyright line
        ("", False),
    ],
)
def test_text_mentions_year(text, found):
    assert text_mentions_year(text, 2568) is found


def test_html_text_skips_scripts_and_styles_and_keeps_the_title():
    title, text = html_text(b"<title>OIT 2568</title><style>.y2568{}</style><script>var y=2568</script><p>x</p>", None)
    assert title == "OIT 2568"
    assert "2568" not in text


def test_undeclared_thai_encoding_is_read_as_windows_874():
    body = "ปีงบประมาณ ๒๕๖๘".encode("tis-620")
    assert decode(body, None) == "ปีงบประมาณ ๒๕๖๘"
    assert decode(body, "tis-620") == "ปีงบประมาณ ๒๕๖๘"
    assert decode(b'<meta charset="windows-874">' + body, None).endswith("ปีงบประมาณ ๒๕๖๘")
    assert decode(body, "no-such-charset") == "ปีงบประมาณ ๒๕๖๘"
