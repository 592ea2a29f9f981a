"""reports:plan_pdf: access, background rendering, reuse until the plan changes, the download headers (issue 5)."""

from __future__ import annotations

import datetime
from unittest import mock
from urllib.parse import quote

from django.urls import reverse

from ita.models import Membership
from measures.models import Progress
from measures.plans import create_plan
from reports import rendering
from reports.models import RenderedDocument, RenderStatus
from reports.publishing import publish_plan
from tests.factory import make_user
from tests.measures import SeedTestCase

THAI_NAME = "มาตรการ-เทศบาลตำบลแม่สายมิตรภาพ-2567.pdf"


class PlanPdfTestCase(SeedTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = create_plan(organization=cls.maesai, fiscal_year=2567)
        cls.auditor = make_user("audrey", role=Membership.Role.AUDITOR)
        cls.url = reverse("reports:plan_pdf", args=[cls.plan.pk])

    def fetch(self, user, query: str = ""):
        """Ask for the document (POST), then GET it twice: before the after-commit render, and after it ran."""
        self.client.force_login(user)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.url + query)
            first = self.client.get(self.url + query)
        return first, self.client.get(self.url + query)


class AccessTests(PlanPdfTestCase):
    def test_outsiders_get_404(self):
        self.assertEqual(self.client.get(self.url).status_code, 404)  # anonymous
        for user in (self.charlie, self.auditor):  # another organisation; an auditor on a draft
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertFalse(RenderedDocument.objects.exists())

    def test_staff_executive_and_administrator_download(self):
        root = make_user("root2", is_superuser=True)
        for user in (self.alice, self.bob, root):
            _first, response = self.fetch(user)
            self.assertEqual((response.status_code, response["Content-Type"]), (200, "application/pdf"))

    def test_auditor_gets_the_published_copy(self):
        self.plan.submit(by=self.alice)
        self.plan.approve(by=self.bob)
        with self.captureOnCommitCallbacks(execute=True):
            version = publish_plan(plan=self.plan, by=self.bob)
        self.client.force_login(self.auditor)
        response = self.client.get(self.url)
        self.assertRedirects(response, reverse("reports:published_pdf", args=[version.pk]))

    def test_bad_options_are_refused(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url + "?kind=passwd").status_code, 400)


class DownloadTests(PlanPdfTestCase):
    def test_first_a_waiting_page_then_the_pdf_with_rfc5987_name(self):
        first, response = self.fetch(self.alice)
        self.assertContains(first, "กำลังจัดทำเอกสาร")
        self.assertContains(first, '<meta http-equiv="refresh" content="3">', html=False)
        self.assertEqual(first["Cache-Control"], "no-store")
        self.assertEqual(
            response["Content-Disposition"],
            f"attachment; filename=\"measures-2567.pdf\"; filename*=UTF-8''{quote(THAI_NAME, safe='')}",
        )
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertTrue(response.content.startswith(b"%PDF"))
        document = RenderedDocument.objects.get()
        self.assertEqual((document.status, document.plan_lock_version), (RenderStatus.DONE, self.plan.lock_version))

    def test_followup_name_and_round(self):
        _first, response = self.fetch(self.alice, "?kind=followup&round=6&digits=arabic")
        self.assertIn('filename="followup-2567-6m.pdf"', response["Content-Disposition"])
        self.assertIn(quote("รายงานผล-เทศบาลตำบลแม่สายมิตรภาพ-2567-รอบ-6-เดือน.pdf"), response["Content-Disposition"])
        document = RenderedDocument.objects.get()
        self.assertEqual((document.kind, document.digits, document.options["round"]), ("followup", "arabic", 6))


class ReuseTests(PlanPdfTestCase):
    def renders(self, user, query: str = "") -> int:
        with mock.patch("reports.rendering.render_pdf", wraps=rendering.render_pdf) as spy:
            _first, response = self.fetch(user, query)
        self.assertEqual(response["Content-Type"], "application/pdf")
        return spy.call_count

    def test_reused_until_a_measure_changes(self):
        self.assertEqual(self.renders(self.alice), 1)
        self.assertEqual(self.renders(self.bob), 0)  # same plan state: same file
        measure = self.plan.measures.first()
        measure.title = "จัดทำคู่มือการยืมทรัพย์สินฉบับปรับปรุง"
        measure.save()
        self.assertEqual(self.renders(self.alice), 1)
        self.assertEqual(RenderedDocument.objects.count(), 1)  # the outdated render is dropped

    def test_followup_reused_until_progress_is_reported(self):
        query = "?kind=followup&round=12"
        self.assertEqual(self.renders(self.alice, query), 1)
        self.assertEqual(self.renders(self.alice, query), 0)
        Progress.objects.create(
            measure=self.plan.measures.first(), date=datetime.date(2024, 2, 1), status="in_progress", percent=30
        )
        self.assertEqual(self.renders(self.alice, query), 1)
        # The measures document does not print progress, so it is not rendered again for it.
        self.assertEqual(self.renders(self.alice), 1)
        Progress.objects.create(measure=self.plan.measures.first(), date=datetime.date(2024, 3, 1), percent=50)
        self.assertEqual(self.renders(self.alice), 0)


class FailureTests(PlanPdfTestCase):
    def test_too_complex_shows_the_reason_and_post_retries(self):
        from reports.pdf.render import DocumentTooComplex

        with mock.patch("reports.rendering.render_pdf", side_effect=DocumentTooComplex("เอกสารซับซ้อนเกินไป")):
            _first, failed = self.fetch(self.alice)
        self.assertContains(failed, "เอกสารซับซ้อนเกินไป")
        self.assertContains(failed, "จัดทำใหม่อีกครั้ง")
        with self.captureOnCommitCallbacks(execute=True):
            self.assertRedirects(self.client.post(self.url), self.url, fetch_redirect_response=False)
        self.assertEqual(self.client.get(self.url)["Content-Type"], "application/pdf")

    def test_a_lost_render_is_not_pending_forever(self):
        self.client.force_login(self.alice)
        with self.captureOnCommitCallbacks(execute=False):
            self.client.post(self.url)  # the task never runs
        RenderedDocument.objects.update(created_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
        self.assertContains(self.client.get(self.url), "นานผิดปกติ")
