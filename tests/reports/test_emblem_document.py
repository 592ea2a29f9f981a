"""The organisation's emblem on page 1 of its documents, in the render key and in a published version (issue 11)."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

from ita.emblems.image import prepare_emblem
from ita.emblems.store import replace_emblem
from measures.plans import create_plan
from reports.documents.followup import followup_document_context
from reports.documents.measures import measures_document_context
from reports.models import DocumentKind
from reports.pdf.render import render_pdf
from reports.publishing import publish_plan
from reports.rendering import document_html, fingerprint
from tests.ita.test_emblem import seal_png
from tests.measures import SeedTestCase

from . import run_poppler


class EmblemDocumentTests(SeedTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = create_plan(organization=cls.maesai, fiscal_year=2567)
        cls.seal = prepare_emblem(seal_png())

    def set_emblem(self, emblem=None) -> None:
        replace_emblem(self.maesai, emblem or self.seal, user=self.alice)

    def page_one_images(self, kind: str, context: dict) -> list[str]:
        pdf = render_pdf(document_html(kind, context))
        with tempfile.TemporaryDirectory() as folder:
            listing = run_poppler("pdfimages", pdf, "-list", "-f", "1", "-l", "1", tmp_path=Path(folder))
        rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
        return [row[2] for row in rows]  # image / smask

    def followup(self) -> dict:
        return followup_document_context(self.plan, as_of=datetime.date(2024, 3, 31), round_months=6)

    def test_context_has_no_emblem_until_one_is_set(self):
        self.assertEqual(measures_document_context(self.plan)["cover"]["emblem"], "")
        self.assertEqual(self.followup()["emblem"], "")
        self.set_emblem()
        self.assertTrue(measures_document_context(self.plan)["cover"]["emblem"].startswith("data:image/png;base64,"))
        self.assertTrue(self.followup()["emblem"].startswith("data:image/png;base64,"))

    def test_measures_pdf_has_an_image_on_page_one_only_with_an_emblem(self):
        self.assertEqual(self.page_one_images(DocumentKind.MEASURES, measures_document_context(self.plan)), [])
        self.set_emblem()
        images = self.page_one_images(DocumentKind.MEASURES, measures_document_context(self.plan))
        self.assertIn("image", images)

    def test_followup_pdf_has_an_image_on_page_one_only_with_an_emblem(self):
        self.assertEqual(self.page_one_images(DocumentKind.FOLLOWUP, self.followup()), [])
        self.set_emblem()
        self.assertIn("image", self.page_one_images(DocumentKind.FOLLOWUP, self.followup()))

    def test_the_render_key_follows_the_emblem(self):
        for kind, options in (
            (DocumentKind.MEASURES, {}),
            (DocumentKind.FOLLOWUP, {"round": 6, "as_of": "2024-03-31"}),
        ):
            with self.subTest(kind):

                def key(kind=kind, options=options) -> str:
                    return fingerprint(self.plan, kind=kind, digits="thai", options=options)

                without = key()
                self.set_emblem()
                first = key()
                self.set_emblem(prepare_emblem(seal_png(300)))
                second = key()
                replace_emblem(self.maesai, None, user=self.alice)
                self.assertEqual(len({without, first, second}), 3)
                self.assertEqual(key(), without)

    def test_a_published_version_keeps_the_emblem_it_was_published_with(self):
        self.set_emblem()
        self.plan.submit(by=self.alice)
        self.plan.approve(by=self.bob)
        with self.captureOnCommitCallbacks(execute=False):
            version = publish_plan(plan=self.plan, by=self.bob)
        printed = version.context["cover"]["emblem"]
        self.assertTrue(printed.startswith("data:image/png;base64,"))
        self.set_emblem(prepare_emblem(seal_png(300)))
        version.refresh_from_db()
        self.assertEqual(version.context["cover"]["emblem"], printed)
