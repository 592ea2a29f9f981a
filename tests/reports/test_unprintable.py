"""Characters the document font cannot draw are reported (field and character) before anything is rendered."""

from __future__ import annotations

import io

from django.core.management import CommandError, call_command
from django.urls import reverse

from measures.models import Measure, PlanStateError
from reports.documents.printable import unprintable_fields
from reports.models import PublishedVersion, RenderedDocument
from reports.pdf.coverage import unprintable
from reports.publishing import publish_plan
from reports.rendering import document_context

from .test_document import ORG, DocumentTestCase

EMOJI = "\U0001f600"


class CoverageTests(DocumentTestCase):
    def test_thai_latin_digits_and_invisible_characters_are_printable(self):
        text = "ตำบลแม่สาย ต่ำกว่า ๘๕ ABC abc 0123 – “ok” ฯลฯ ๆ\u200b\u00a0\n\t\ufe0f"
        self.assertEqual(unprintable(text), [])

    def test_emoji_and_other_scripts_are_not(self):
        self.assertEqual(unprintable(f"ดี{EMOJI}มาก中{EMOJI}"), [EMOJI, "中"])

    def test_the_field_is_named(self):
        measure = self.plan.measures.order_by("order").last()
        measure.steps = ["ขั้นแรก", f"ขั้นที่สอง {EMOJI}"]
        measure.save()
        context = document_context(self.plan, kind="measures", digits="thai", options={})
        self.assertEqual(unprintable_fields(context), [("มาตรการ ที่ ๓ › ขั้นตอนหรือวิธีการ ที่ ๒", EMOJI)])


class RefusalTests(DocumentTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Measure.objects.create(plan=cls.plan, order=99, title=f"ยิ้มรับประชาชน {EMOJI}")

    def test_the_command_refuses_with_field_and_character(self):
        with self.assertRaises(CommandError) as caught:
            call_command(
                "render_measures", "--org", ORG, "--year", "2567", "--output", "/dev/null", stdout=io.StringIO()
            )
        self.assertIn("มาตรการ ที่ ๔ › ชื่อมาตรการ", str(caught.exception))
        self.assertIn("U+1F600", str(caught.exception))

    def test_the_pdf_page_lists_the_problems_and_starts_nothing(self):
        self.client.force_login(self.alice)
        response = self.client.post(reverse("reports:plan_pdf", args=[self.plan.pk]))
        self.assertContains(response, "ยังจัดทำเอกสารไม่ได้")
        self.assertContains(response, "มาตรการ ที่ ๔ › ชื่อมาตรการ")
        self.assertFalse(RenderedDocument.objects.exists())

    def test_publishing_is_refused_and_nothing_is_frozen(self):
        self.plan.submit(by=self.alice)
        self.plan.approve(by=self.bob)
        with self.assertRaises(PlanStateError) as caught:
            publish_plan(plan=self.plan, by=self.bob)
        self.assertIn("U+1F600", str(caught.exception))
        self.assertFalse(PublishedVersion.objects.exists())
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.status, "approved")
