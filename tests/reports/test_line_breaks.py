"""No Thai word is split across lines: the four seed documents, walked line by line as WeasyPrint laid them out."""

from __future__ import annotations

import datetime
import html as html_module
import io
import itertools
import re

from django.core.management import call_command
from django.test import TestCase

from ita.models import Organization
from measures.plans import create_plan
from reports.models import DocumentKind
from reports.pdf import wordbreak
from reports.rendering import document_context, document_html

from .lines import laid_out_blocks, rows_split_across_pages

SEED_PLANS = {
    "DEMO-NONGLAENG": 2565,
    "DEMO-MAESAIMITTRAPHAP": 2567,
    "DEMO-LOHJUD": 2567,
    "DEMO-KHUANSAOTHONG": 2569,
}
THAI_TAIL = re.compile(r"[\u0e01-\u0e4e]+$")
THAI_HEAD = re.compile(r"^[\u0e01-\u0e4e]+")
TAG = re.compile(r"<[^>]*>")
ABBREVIATION_END = re.compile(r"[\u0e01-\u0e4e]\.\s*$")
ABBREVIATION_START = re.compile(r"^[\u0e01-\u0e4e]{1,4}\.")
NUMBER_START = re.compile(r"^\s*[0-9\u0e50-\u0e59]")


def visible_text(html: str) -> str:
    """The body's text with tags removed (only used to tell whether a space stood at a line end)."""
    body = html[html.lower().find("<body") :]
    return html_module.unescape(TAG.sub("", body))


def words_split_across_lines(html: str) -> list[str]:
    """Every line end inside a dictionary word (pythainlp newmm, wordbreak's dictionary) or between an
    abbreviation and its number ("ก.ย." | "๖๗") or inside an abbreviation ("มี." | "ค."), as 'left|right'."""
    source = visible_text(html)
    split = []
    for lines in laid_out_blocks(html):
        for left, right in itertools.pairwise(lines):
            if ABBREVIATION_END.search(left) and (NUMBER_START.search(right) or ABBREVIATION_START.search(right)):
                split.append(f"{left[-8:]}|{right[:8]}")  # "ก.ย." | "๖๗": a year alone on a line
                continue
            tail, head = THAI_TAIL.search(left.rstrip("\u200b")), THAI_HEAD.search(right.lstrip("\u200b"))
            if left.endswith("\u200b") or right.startswith("\u200b") or not (tail and head):
                continue  # a break at a zero-width space, or not between two Thai letters
            tail, head = tail.group(), head.group()
            if tail[-6:] + head[:6] not in source:
                continue  # a collapsed space stood between them
            ends, offset = set(), 0
            for word in wordbreak.words(tail + head):
                offset += len(word)
                ends.add(offset)
            if len(tail) not in ends:
                split.append(f"{tail[-8:]}|{head[:8]}")
    return split


class UnbreakableSpanTests(TestCase):
    def test_words_pango_would_split_and_abbreviated_numbers_are_kept(self):
        text = "ตัวชี้วัดของหน่วยงาน มี.ค. ๖๗ และ พ.ศ. 2567"
        kept = {text[start:end] for start, end in wordbreak.unbreakable_spans(text)}
        self.assertLessEqual({"ตัวชี้วัด", "หน่วยงาน", "มี.ค. ๖๗", "พ.ศ. 2567"}, kept)
        self.assertNotIn("ของ", kept)

    def test_a_narrow_column_breaks_between_words_only(self):
        text = "ผู้บริหารและเจ้าหน้าที่ร่วมกันพิจารณาผลการประเมินตัวชี้วัดของหน่วยงานผู้รับบริการและเว็บไซต์ " * 4
        html = f'<html><body><p style="width: 4cm">{text}</p></body></html>'
        self.assertEqual(words_split_across_lines(html), [])
        self.assertGreater(len(laid_out_blocks(html)[0]), 10)

    def test_the_check_finds_a_split_word(self):
        # Left to Pango, ตัวชี้|วัด and หน่วย|งาน are split somewhere in a narrow column: the check must see it.
        text = "ตัวชี้วัดหน่วยงานผู้รับบริการเว็บไซต์" * 6 + " ต.ค. ๖๖ – มี.ค. ๖๗" * 3
        html = f'<html><body><p style="width: 2.2cm">{text}</p></body></html>'
        with wordbreak.disabled():
            self.assertNotEqual(words_split_across_lines(html), [])
        self.assertEqual(words_split_across_lines(html), [])


class SeedDocumentLineBreakTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", "--no-users", verbosity=0, stdout=io.StringIO())

    def test_no_seed_document_splits_a_word_across_lines(self):
        for code, year in SEED_PLANS.items():
            with self.subTest(code):
                plan = create_plan(organization=Organization.objects.get(code=code), fiscal_year=year)
                html = document_html(
                    DocumentKind.MEASURES, document_context(plan, kind=DocumentKind.MEASURES, digits="thai", options={})
                )
                self.assertEqual(words_split_across_lines(html), [])


class PeriodColumnTests(TestCase):
    def test_a_two_digit_year_never_wraps_alone(self):
        cell = "<td>ต.ค. ๖๖ – มี.ค. ๖๗</td><td>ตลอดปีงบประมาณ พ.ศ. ๒๕๖๗</td>"
        html = f'<html><body><table style="width: 5cm"><tr>{cell}</tr></table></body></html>'
        self.assertEqual(words_split_across_lines(html), [])
        with wordbreak.disabled():
            self.assertNotEqual(words_split_across_lines(html), [])


class RowsKeptWholeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", "--no-users", verbosity=0, stdout=io.StringIO())

    def test_no_row_of_a_seed_document_or_the_follow_up_report_is_split_across_pages(self):
        maesai = create_plan(organization=Organization.objects.get(code="DEMO-MAESAIMITTRAPHAP"), fiscal_year=2567)
        for measure in maesai.measures.all()[:3]:  # progress notes long enough to fill the first page
            measure.progress.create(
                date=datetime.date(2024, 1, 15), status="in_progress", percent=50, note="ประชุมชี้แจงบุคลากรทุกกองแล้ว " * 12
            )
        documents = [(maesai, DocumentKind.FOLLOWUP, {"round": 6, "as_of": "2024-03-31"})]
        for code, year in SEED_PLANS.items():
            organization = Organization.objects.get(code=code)
            plan = (
                maesai
                if organization == maesai.organization
                else create_plan(organization=organization, fiscal_year=year)
            )
            documents.append((plan, DocumentKind.MEASURES, {}))
        for plan, kind, options in documents:
            with self.subTest(plan=str(plan), kind=kind):
                html = document_html(kind, document_context(plan, kind=kind, digits="thai", options=options))
                self.assertEqual(rows_split_across_pages(html), [])
