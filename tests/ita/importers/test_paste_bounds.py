"""The paste parser costs time linear in what was pasted (SECURITY.md B1), with line limits in Thai.

Issue 14 item 1: a level line padded with spaces and ending in an unexpected word took time in the
cube of its length; long runs of filler words or spaces took time in its square.
"""

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ita.importers import paste
from ita.importers.forms import PasteForm
from ita.importers.paste import MAX_LINE_CHARS, MAX_LINES, parse_pasted
from tests.growth import assert_work_linear, work


def _level_line(width: int) -> str:
    return "ระดับ" + " " * width + "ดีมาก"


def test_level_line_padded_with_spaces_is_linear():
    # The reported case: 0.16 s at 400 characters, 81 s at 3,200 (this pair took 1.3 s and 512× before).
    assert_work_linear(parse_pasted, _level_line(100), _level_line(800), factor=8)


def test_level_line_with_every_optional_part_padded_is_linear():
    def line(width: int) -> str:
        pad = " " * width
        return f"ระดับผลการประเมิน{pad}อยู่ในระดับ{pad}:{pad}x"

    assert_work_linear(parse_pasted, line(80), line(640), factor=8)


def test_long_runs_of_spaces_and_filler_words_are_linear():
    assert_work_linear(parse_pasted, "ก" + " " * 300 + "ข ๙๐", "ก" + " " * 2400 + "ข ๙๐", factor=8)
    assert_work_linear(
        parse_pasted, "การปฏิบัติหน้าที่ " + "-" * 300 + "x ๙๐", "การปฏิบัติหน้าที่ " + "-" * 2400 + "x ๙๐", factor=8
    )
    assert_work_linear(paste.strip_trailing_filler, "ก " + "ได้" * 300 + "x", "ก " + "ได้" * 2400 + "x", factor=8)


def test_a_long_paste_grows_linearly_with_its_lines():
    lines = ["๑\tการปฏิบัติหน้าที่\t๘๘.๙๕", "ระดับผลการประเมิน : B", "ข้อ i๑ ๙๘.๓๓", "ข้อความที่ไม่ใช่คะแนน"]
    assert_work_linear(parse_pasted, "\n".join(lines * 20), "\n".join(lines * 160), factor=8)


def test_an_over_long_line_is_reported_not_parsed():
    result = parse_pasted("การปฏิบัติหน้าที่ ๘๘.๙๕\n" + "ก" * (MAX_LINE_CHARS + 1) + " ๙๐")
    assert result.values() == {("indicator", "1"): Decimal("88.95")}
    [refused] = result.unrecognised
    assert refused.line_number == 2
    assert "ยาว" in refused.reason and "ตัวอักษร" in refused.reason
    assert len(refused.text) < 300  # the preview shows the start of the line, not all of it


def test_lines_beyond_the_limit_are_not_read():
    text = "\n".join(["การปฏิบัติหน้าที่ ๘๘.๙๕"] * MAX_LINES + ["การใช้อำนาจ ๘๔.๐๑"])
    result = parse_pasted(text)
    assert ("indicator", "3") not in result.values()
    assert any(line.line_number == MAX_LINES + 1 and "บรรทัด" in line.reason for line in result.unrecognised)


# --- the scanners that replaced regular expressions agree with them on every short input ----------------

_FILLER = r"(?::|=|-|–|โดยรวม|ได้|คะแนน|ที่ได้|เท่ากับ|ร้อยละ|อยู่ที่)"
OLD_TRAILING_FILLER = re.compile(rf"(?:\s|{_FILLER})+$")
OLD_FILLER = re.compile(rf"^{_FILLER}+$")
OLD_LEVEL = re.compile(
    r"ระดับ(?:ผลการประเมิน)?\s*(?:อยู่(?:ที่|ใน)ระดับ)?\s*:?\s*"
    r"(?P<level>ผ่านดีเยี่ยม|ผ่านดี|ต้องปรับปรุง\s*โดยด่วน|ต้องปรับปรุง|ผ่าน|AA|[A-F])(?![A-Za-z])"
)
PIECES = [" ", "\t", ":", "=", "-", "–", "ได้", "ที่", "อยู่", "อยู่ที่", "ที่ได้", "คะแนน", "โดยรวม", "x", "ก"]
LEVEL_PIECES = [
    *PIECES,
    "ระดับ",
    "ผลการประเมิน",
    "อยู่ในระดับ",
    "อยู่ที่ระดับ",
    "ผ่าน",
    "ดี",
    "เยี่ยม",
    "ต้องปรับปรุง",
    "โดยด่วน",
    "A",
    "AA",
    "B",
    "G",
    "：",
]


@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_trailing_filler_scan_matches_the_old_pattern(text):
    assert paste.strip_trailing_filler(text) == OLD_TRAILING_FILLER.sub("", text)
    assert paste.is_filler(text) == bool(OLD_FILLER.match(text))


@given(st.lists(st.sampled_from(LEVEL_PIECES), max_size=10).map("".join))
def test_level_scan_matches_the_old_pattern(text):
    old = OLD_LEVEL.search(text)
    new = paste.find_level(text)
    expected = (old.start(), old.end(), re.sub(r"\s+", "", old["level"])) if old else None
    assert ((new.start, new.end, new.level) if new else None) == expected


@given(st.lists(st.sampled_from([" ", "\t", ":", "：", "a", "ก", "1"]), max_size=12).map("".join))
def test_colon_spacing_matches_the_old_pattern(text):
    assert paste.space_colons(text) == re.sub(r"\s*[:：]\s*", " : ", text)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from([*LEVEL_PIECES, "๙๐", "88.95", "ตัวชี้วัดที่", "๑", "i๑"]), min_size=1, max_size=20))
def test_doubling_a_line_at_most_doubles_the_work(pieces):
    line = "".join(pieces)
    assert_work_linear(parse_pasted, line * 4, line * 8, factor=2)


def test_work_counter_sees_growth():
    """The counter itself: a quadratic loop is caught, so the growth tests above can fail."""

    def quadratic(text: str) -> None:
        for index in range(len(text)):
            for _ in text[index:]:
                pass

    assert work(quadratic, "a" * 80) > 3 * work(quadratic, "a" * 40)


@pytest.mark.django_db
def test_the_paste_form_refuses_too_many_lines_in_thai():
    form = PasteForm({"fiscal_year": "๒๕๖๗", "text": "ก\n" * MAX_LINES})
    assert not form.is_valid()
    assert "เกินที่รับได้" in form.errors["text"][0] and "บรรทัด" in form.errors["text"][0]
    assert "text" not in PasteForm({"fiscal_year": "๒๕๖๗", "text": "ก\n" * (MAX_LINES - 1)}).errors
