"""The Thai text layer in six PDF readers (issue 11): seed plans, follow-up report, stress page.

Each reader must give back at least 99.5 % of the document's Thai words (``thai_word_share``).
pdf.js runs through Node and npm's pdfjs-dist (``make install``); it is skipped when either is
missing, unless REQUIRE_PDFJS=1 (CI) turns that into a failure.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
import weasyprint
from django.core.management import call_command
from django.test import TestCase
from PIL import ImageChops

from reports.pdf import textlayer
from reports.pdf.render import render_pdf

from .readers import READERS, pdfjs_available, pdfjs_required, thai_word_share

MIN_SHARE = 0.995
CONSONANTS = "กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ"
TONE_MARKS = "่้๊๋"
STRESS_LINES = (
    " ".join(consonant + "ำ" for consonant in CONSONANTS),
    " ".join(consonant + tone + "ำ" for consonant in "กตนซจบปอฟ" for tone in TONE_MARKS),
    "ต่ำกว่าเกณฑ์ น้ำประปา ซ้ำซ้อน ค่ำคืน ป๊ะ จ๋า ก๋วยเตี๋ยว โต๊ะ",
    "ปั้น ที่ นี้ ญี่ปุ่น ฐูป ฎุกำ กึ๋น ผู้ ปู่ ซึ่ง ทั้งนี้ ก็ ฉันท์ สิ่ง ชื่อ ดื้อ ตั๋ว ญาติ ฐาน ฏีกา ปฏิบัติ",
    "ฤดู ฤๅษี ฦๅ พฤษภาคม อังกฤษ ทฤษฎี ฯลฯ กรุงเทพฯ ต่างๆ นานๆ เร็วๆ นี้ ไม้ยมก ๆ",
    "พ.ศ. ๒๕๖๗ ข้อ ๑.๒ ร้อยละ ๙๙.๕ ๐๑๒๓๔๕๖๗๘๙ คะแนน 85.50",
    "การประเมิน ITA ของ อปท. (Integrity and Transparency Assessment) ตัวชี้วัด i11 ระดับ A/B",
)
WRAPPED = (
    "องค์การบริหารส่วนตำบลกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานเพื่อให้การดำเนินงาน"
    "เป็นไปอย่างมีประสิทธิภาพโดยผู้บริหารกำกับติดตามการใช้ทรัพย์สินของราชการอย่างต่อเนื่องและรายงานผลต่ำกว่า"
    "เกณฑ์ที่กำหนดน้ำประปาหมู่บ้านซ้ำซ้อนทั้งนี้ให้ดำเนินการตามแผนที่วางไว้ทุกไตรมาส"
)
WEIGHTS = ("font-weight: 700", "font-style: italic", "font-weight: 600", "font-weight: 700; font-style: italic")


def stress_html() -> str:
    """Every Thai pitfall we know, in every bundled weight, wrapped, and in a table over pages."""
    blocks = [f"<p>{line}</p>" for line in STRESS_LINES]
    blocks += [f'<p style="{style}">{line}</p>' for style in WEIGHTS for line in STRESS_LINES[1:5]]
    blocks += [f'<p style="width: 6cm">{WRAPPED}</p>', f'<p style="width: 4cm; font-weight: 700">{WRAPPED}</p>']
    words = " ".join(STRESS_LINES[2:5]).split() * 3
    # An Arabic row number between the cells, so the cells' words never glue once spaces go.
    rows = "".join(f"<tr><td>{n}</td><td>{word}ที่กำหนด</td></tr>" for n, word in enumerate(words))
    head = "<thead><tr><th>ข้อ</th><th>แนวทางการดำเนินการต่ำกว่าเกณฑ์</th></tr></thead>"
    blocks.append(f"<table>{head}<tbody>{rows}</tbody></table>")
    return "<html><head><title>stress</title></head><body>" + "".join(blocks) + "</body></html>"


def reader_names() -> list[str]:
    if pdfjs_available() or pdfjs_required():
        return list(READERS)
    return [name for name in READERS if name != "pdfjs"]


def assert_every_reader(html: str, pdf: bytes) -> None:
    shares = {name: thai_word_share(html, READERS[name](pdf)) for name in reader_names()}
    low = {name: f"{share:.2%}" for name, share in shares.items() if share < MIN_SHARE}
    assert not low, f"Thai words read back below {MIN_SHARE:.1%}: {low}"


def test_pdfjs_is_present_when_required() -> None:
    if not pdfjs_available():
        if pdfjs_required():
            pytest.fail("REQUIRE_PDFJS is set but node or node_modules/pdfjs-dist is missing (run make install)")
        pytest.skip("pdf.js not installed (node + npm ci); its share is not checked")


def test_weasyprint_is_the_version_the_text_layer_was_written_for() -> None:
    # On an upgrade: re-verify Font.to_unicode (filled only for unmapped glyphs, keys = subset),
    # pdf.stream.Font and draw.text.draw_first_line, then run this module before moving the pin.
    assert weasyprint.__version__ == textlayer.WEASYPRINT_VERSION == "70.0"


@pytest.mark.parametrize("reader", list(READERS))
def test_a_tone_before_sara_am_reads_back_exactly(reader: str) -> None:
    if reader == "pdfjs" and not (pdfjs_available() or pdfjs_required()):
        pytest.skip("pdf.js not installed")
    phrase = "ตำบล น้ำ สาย ต่ำกว่า"
    assert " ".join(READERS[reader](render_pdf(f"<p>{phrase}</p>")).split()) == phrase


@pytest.mark.parametrize("reader", list(READERS))
def test_thai_digits_and_rare_letters_read_back_exactly(reader: str) -> None:
    if reader == "pdfjs" and not (pdfjs_available() or pdfjs_required()):
        pytest.skip("pdf.js not installed")
    lines = ["ฤดู ฤๅษี ฦๅ ฯลฯ ต่างๆ", "๐๑๒๓๔๕๖๗๘๙ ร้อยละ ๙๙.๕", "ซ้ำ ก๊ำ จ๋ำ ปั้น ฐูป ฎุ"]
    text = READERS[reader](render_pdf("".join(f"<p>{line}</p>" for line in lines)))
    assert "".join(text.split()) == "".join("".join(lines).split())
    assert not [char for char in text if 0x0200 <= ord(char) <= 0x02FF]


def test_stress_page_in_every_reader() -> None:
    html = stress_html()
    assert_every_reader(html, render_pdf(html))


class SeedDocumentTests(TestCase):
    """The four seed plans and the Mae Sai follow-up report, as ``render_measures`` writes them."""

    DOCUMENTS = {
        "nonglaeng": ("DEMO-NONGLAENG", "2565"),
        "maesai": ("DEMO-MAESAIMITTRAPHAP", "2567"),
        "lohjud": ("DEMO-LOHJUD", "2567"),
        "khuansaothong": ("DEMO-KHUANSAOTHONG", "2569"),
        "followup": ("DEMO-MAESAIMITTRAPHAP", "2567", "--followup", "--round", "6"),
    }

    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", "--no-users", verbosity=0, stdout=io.StringIO())
        cls.html = {}
        with tempfile.TemporaryDirectory() as folder:
            for name, (org, year, *options) in cls.DOCUMENTS.items():
                output = Path(folder) / f"{name}.html"
                arguments = ("--org", org, "--year", year, *options, "--html", "--output", str(output))
                call_command("render_measures", *arguments, stdout=io.StringIO())
                cls.html[name] = output.read_text(encoding="utf-8")

    def check(self, name: str) -> None:
        html = self.html[name]
        assert_every_reader(html, render_pdf(html))

    def test_nong_laeng_2565(self):
        self.check("nonglaeng")

    def test_mae_sai_2567(self):
        self.check("maesai")

    def test_loh_jud_2567(self):
        self.check("lohjud")

    def test_khuan_sao_thong_2569(self):
        self.check("khuansaothong")

    def test_mae_sai_followup_round_6(self):
        self.check("followup")


def _pixels(pdf: bytes) -> list[Any]:
    """Each page in grey at 36 dpi: a glyph moved by a mark's width shows; WeasyPrint's rounding of
    its TJ adjustments to 1/1000 em (which differs by a unit between the two renders) does not."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=0.5).to_pil().convert("L") for page in document]
    finally:
        document.close()


def test_the_text_layer_changes_nothing_on_the_page() -> None:
    # Declared mark widths and the pen moved back must cancel out, from a mark's very first use and
    # across WeasyPrint's text rise (PDFium ignores a number that ends a TJ array).
    html = stress_html()
    with textlayer.disabled():
        stock = _pixels(render_pdf(html))
    ours = _pixels(render_pdf(html))
    assert len(ours) == len(stock)
    for page, (mine, theirs) in enumerate(zip(ours, stock, strict=True), start=1):
        changed = sum(ImageChops.difference(mine, theirs).histogram()[96:])
        ink = sum(theirs.point(lambda value: 255 if value < 128 else 0).histogram()[255:])
        # Measured: 15 of 6,685 ink pixels on page 1; 1,102 when a mark's width pushed its line.
        assert changed < ink / 100, f"page {page} is drawn differently from stock WeasyPrint ({changed} pixels)"
