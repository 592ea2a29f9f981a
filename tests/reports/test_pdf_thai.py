"""Thai typography pitfalls of WeasyPrint 70 (issue 5): split subsets, the text layer, page numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reports.pdf.render import render_pdf

from . import page_count, pdf_text, squash, words_in_box

# ำ drawn as nikhahit + า, tone marks over upper vowels, stacked marks, ฐ/ญ-style descenders.
STRESS = "ตำบล น้ำ แม่สายมิตรภาพ การใช้ทรัพย์สินของราชการ ผู้บริหาร ที่นี่ ปี่ ญี่ปุ่น ก็ ฟ้ำ ซึ่ง ทั้งนี้ กำกับติดตาม ดำเนินการ"
ISSUE_SENTENCE = "ตำบล น้ำ แม่สายมิตรภาพ การใช้ทรัพย์สินของราชการ"
TOP_MARGIN_PT = 2.5 / 2.54 * 72  # BASE_CSS: margin-top 2.5cm


def body_text(pdf: bytes, tmp_path: Path, *mode: str) -> str:
    """Text below the top margin: page numbers there would otherwise mingle with the first line."""
    top = str(round(TOP_MARGIN_PT) + 1)
    return pdf_text(pdf, tmp_path, *mode, "-x", "0", "-y", top, "-W", "596", "-H", "842")


def one_phrase_per_line(text: str, tag: str = "p") -> str:
    # One short phrase per paragraph: no line break can fall inside a space-less phrase, so
    # normalising whitespace is the only allowance the comparison needs.
    return "".join(f"<{tag}>{phrase}</{tag}>" for phrase in text.split())


@pytest.mark.parametrize("mode", [(), ("-raw",)], ids=["layout-order", "content-order"])
def test_text_layer_returns_what_was_written(tmp_path: Path, mode: tuple[str, ...]) -> None:
    # Glyphs reused for other text (า in ตำ and in สาย) must extract as written, in both
    # poppler's reading modes.
    pdf = render_pdf(one_phrase_per_line(" ".join([STRESS] * 3)))
    assert page_count(pdf, tmp_path) > 1
    assert squash(body_text(pdf, tmp_path, *mode)) == " ".join([STRESS] * 3)


def test_issue_sentence_extracts_exactly(tmp_path: Path) -> None:
    pdf = render_pdf(f"<p>{ISSUE_SENTENCE}</p>")
    assert squash(pdf_text(pdf, tmp_path)) == ISSUE_SENTENCE


def test_text_layer_in_every_weight_and_wrapped_paragraphs(tmp_path: Path) -> None:
    html = f"<p>{STRESS}</p><p><b>{STRESS}</b></p><p><i>{STRESS}</i></p><p><b><i>{STRESS}</i></b></p>"
    pdf = render_pdf(html)
    # Lines wrap between Thai words that have no space, so compare without any whitespace.
    assert "".join(body_text(pdf, tmp_path).split()) == "".join(STRESS.split()) * 4


def test_text_layer_survives_repeated_table_headers(tmp_path: Path) -> None:
    header = "ประเด็นที่ต้องพัฒนา"
    rows = "".join(f"<tr><td>{phrase}</td></tr>" for phrase in STRESS.split() * 8)
    pdf = render_pdf(f"<table><thead><tr><th>{header}</th></tr></thead><tbody>{rows}</tbody></table>")
    pages = page_count(pdf, tmp_path)
    tokens = squash(body_text(pdf, tmp_path)).split()
    assert pages >= 2 and tokens.count(header) == pages
    assert [token for token in tokens if token != header] == STRESS.split() * 8


def test_latin_thai_and_dots_share_one_font_file(tmp_path: Path) -> None:
    # Pitfall 1: per-script subsets declared as one family printed Latin as Thai and dropped dots.
    html = "<p>พ.ศ. ๒๕๖๗</p><p>ITA (Integrity and Transparency Assessment)</p><p><b>พ.ศ. 2567 ITA</b></p>"
    text = pdf_text(render_pdf(html), tmp_path).splitlines()
    assert [line for line in text if line.strip()] == [
        "พ.ศ. ๒๕๖๗",
        "ITA (Integrity and Transparency Assessment)",
        "พ.ศ. 2567 ITA",
    ]


def three_pages() -> bytes:
    return render_pdf("".join(f'<p style="break-before: page">หน้าที่ {n}</p>' for n in "๑๒๓"))


def test_page_numbers_in_thai_digits_from_page_two(tmp_path: Path) -> None:
    pdf = three_pages()
    assert page_count(pdf, tmp_path) == 3
    headers = [" ".join(words_in_box(pdf, tmp_path, page=page, y_max=TOP_MARGIN_PT)) for page in (1, 2, 3)]
    assert headers == ["", "- ๒ -", "- ๓ -"]


def test_page_number_is_centred(tmp_path: Path) -> None:
    pdf = three_pages()
    layout = pdf_text(pdf, tmp_path, "-bbox", "-f", "2", "-l", "2")
    boxes = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">๒</word>', layout)
    ((x_min, x_max),) = [(float(a), float(b)) for a, b, bottom in boxes if float(bottom) < TOP_MARGIN_PT]
    # Centre of the page box between the 3cm left and 2cm right margins.
    centre = (3 / 2.54 * 72 + (595.28 - 2 / 2.54 * 72)) / 2
    assert abs((x_min + x_max) / 2 - centre) < 3


def test_text_layer_with_glyphs_missing_from_the_font(tmp_path: Path) -> None:
    # Codes for missing glyphs (.notdef or a host fallback) share the allocator with Thai codes.
    pdf = render_pdf(f"<p>{ISSUE_SENTENCE} 漢字 แม่สาย ✓ ตำบล</p>")
    assert squash(pdf_text(pdf, tmp_path)) == f"{ISSUE_SENTENCE} 漢字 แม่สาย ✓ ตำบล"
