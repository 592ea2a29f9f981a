"""Marks on every page: "ร่าง" on an unpublished plan's document, page numbers in the document's digits."""

from __future__ import annotations

from . import pdf_text
from .test_document import DocumentTestCase


def pages(text: str) -> list[str]:
    """Each page's text without whitespace (poppler drops the spaces of "-๒-")."""
    return ["".join(page.split()) for page in text.split("\f") if page.strip()]


class PageMarkTests(DocumentTestCase):
    def test_a_draft_says_so_on_every_page(self):
        pdf, folder = self.render()

        every = pages(pdf_text(pdf, folder))
        self.assertGreater(len(every), 3)
        for number, page in enumerate(every, start=1):
            with self.subTest(page=number):
                self.assertIn("ร่าง", page)

    def test_arabic_digits_number_the_pages_in_arabic_digits(self):

        pdf, folder = self.render("--digits", "arabic")
        every = pages(pdf_text(pdf, folder))
        self.assertNotIn("-1-", every[0])
        self.assertIn("-2-", every[1])
        self.assertNotIn("-๒-", every[1])
        pdf, folder = self.render()
        self.assertIn("-๒-", pages(pdf_text(pdf, folder))[1])
