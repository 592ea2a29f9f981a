"""Publishing freezes a version: its data, hashes and PDF; the PDF carries a QR to its public page (issue 5)."""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path
from unittest import mock

import segno
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from ita.models import Organization
from measures.models import MeasurePlan, PlanPermissionDenied, PlanStateError
from measures.plans import create_plan
from reports.models import PublishedVersion, PublishedVersionFrozen, RenderStatus, canonical_json
from reports.pdf.render import DocumentTooComplex
from reports.publishing import publish_plan
from reports.rendering import document_html, verification_block
from tests.measures import SeedTestCase

from . import page_count, pdf_text
from .qr import matrix_modules, page_modules, svg_modules

SITE = "https://ita.example.go.th"


def nospace(text: str) -> str:
    return "".join(text.split())


class PublishingTestCase(SeedTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = create_plan(organization=cls.maesai, fiscal_year=2567)
        cls.plan.submit(by=cls.alice)
        cls.plan.approve(by=cls.bob)

    def publish(self, plan: MeasurePlan | None = None, *, execute: bool = True) -> tuple[PublishedVersion, list]:
        with self.captureOnCommitCallbacks(execute=execute) as callbacks:
            version = publish_plan(plan=plan or self.plan, by=self.bob)
        version.refresh_from_db()
        return version, callbacks


class PublishTests(PublishingTestCase):
    def test_publish_freezes_data_then_renders_after_commit(self):
        version, callbacks = self.publish(execute=False)
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.status, MeasurePlan.Status.PUBLISHED)
        self.assertEqual((version.published_by, version.published_at), (self.bob, self.plan.published_at))
        self.assertEqual(version.data_sha256, hashlib.sha256(canonical_json(version.context)).hexdigest())
        self.assertEqual(version.context["cover"]["organization"], "เทศบาลตำบลแม่สายมิตรภาพ")
        self.assertEqual((version.status, version.pdf), (RenderStatus.PENDING, None))
        self.assertEqual(len(callbacks), 2)  # the render, and the staff's notification mail
        for callback in callbacks:
            callback()
        version.refresh_from_db()
        self.assertEqual(version.status, RenderStatus.DONE)
        self.assertTrue(bytes(version.pdf).startswith(b"%PDF"))
        self.assertEqual(version.sha256, hashlib.sha256(bytes(version.pdf)).hexdigest())

    def test_refused_publish_writes_nothing(self):
        with self.assertRaises(PlanPermissionDenied):
            publish_plan(plan=self.plan, by=self.alice)  # staff cannot publish
        draft = create_plan(organization=self.orgs["nonglaeng"], fiscal_year=2565)
        with self.assertRaises(PlanStateError):
            publish_plan(plan=draft, by=self.dave)  # a draft is not approved
        self.assertFalse(PublishedVersion.objects.exists())
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.status, MeasurePlan.Status.APPROVED)

    def test_pdf_is_made_from_the_frozen_data_not_live_data(self):
        version, callbacks = self.publish(execute=False)
        Organization.objects.filter(pk=self.maesai.pk).update(name="เทศบาลเมืองชื่อใหม่")
        for callback in callbacks:  # the render, and the staff's notification mail
            callback()
        version.refresh_from_db()
        with tempfile.TemporaryDirectory() as folder:
            text = nospace(pdf_text(bytes(version.pdf), Path(folder), "-raw"))
        self.assertIn("เทศบาลตำบลแม่สายมิตรภาพ", text)
        self.assertNotIn("ชื่อใหม่", text)

    def test_a_correction_is_a_new_version_and_the_old_one_stays_downloadable(self):
        first, _ = self.publish()
        correction = self.plan.new_version(by=self.alice)
        correction.submit(by=self.alice)
        correction.approve(by=self.bob)
        second, _ = self.publish(correction)
        self.assertNotEqual(first.pk, second.pk)
        for version in (first, second):
            response = self.client.get(reverse("reports:published_pdf", args=[version.pk]))
            self.assertEqual((response.status_code, response["Content-Type"]), (200, "application/pdf"))
            self.assertEqual(hashlib.sha256(response.content).hexdigest(), version.sha256)
        self.assertIn('filename="measures-2567-v2.pdf"', response["Content-Disposition"])
        page = self.client.get(reverse("reports:published_version", args=[first.pk]))
        self.assertContains(page, reverse("reports:published_version", args=[second.pk]))


class ImmutabilityTests(PublishingTestCase):
    def test_a_rendered_version_cannot_be_saved_or_deleted(self):
        version, _ = self.publish()
        version.data_sha256 = "0" * 64
        with self.assertRaises(PublishedVersionFrozen):
            version.save()
        with self.assertRaises(PublishedVersionFrozen):
            version.delete()
        # QuerySet.delete() runs in a transaction without a savepoint: give the refusal its own.
        with self.assertRaises(PublishedVersionFrozen), transaction.atomic():
            PublishedVersion.objects.filter(pk=version.pk).delete()
        stored = PublishedVersion.objects.get(pk=version.pk)
        self.assertEqual(stored.data_sha256, hashlib.sha256(canonical_json(stored.context)).hexdigest())

    def test_a_second_render_never_replaces_the_pdf(self):
        version, _ = self.publish()
        from reports.rendering import render_published

        PublishedVersion.objects.filter(pk=version.pk).update(status=RenderStatus.PENDING)
        with mock.patch("reports.rendering.render_pdf") as render:
            render_published(version.pk)
        render.assert_not_called()
        self.assertEqual(bytes(PublishedVersion.objects.get(pk=version.pk).pdf), bytes(version.pdf))


class FailureTests(PublishingTestCase):
    def test_too_complex_is_recorded_in_thai_and_can_be_retried(self):
        with mock.patch("reports.rendering.render_pdf", side_effect=DocumentTooComplex("เอกสารยาวเกินไป")):
            version, _ = self.publish()
        self.assertEqual((version.status, version.message, version.pdf), (RenderStatus.FAILED, "เอกสารยาวเกินไป", None))
        url = reverse("reports:published_pdf", args=[version.pk])
        self.assertContains(self.client.get(url), "เอกสารยาวเกินไป")
        self.client.force_login(self.charlie)  # another organisation cannot restart it
        self.client.post(url)
        self.assertEqual(PublishedVersion.objects.get(pk=version.pk).status, RenderStatus.FAILED)
        self.client.force_login(self.bob)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertRedirects(self.client.post(url), url, fetch_redirect_response=False)
        version.refresh_from_db()
        self.assertEqual(version.status, RenderStatus.DONE)


@override_settings(SITE_URL=SITE)
class VerificationTests(PublishingTestCase):
    def test_last_page_has_the_qr_of_the_public_page_and_the_data_hash(self):
        version, _ = self.publish()
        url = f"{SITE}/documents/published/{version.pk}/"
        block = verification_block(version)
        self.assertEqual(block["url"], url)
        # The SVG we embed is the QR code of exactly that address.
        expected = segno.make(url, error="m", micro=False)
        self.assertEqual(svg_modules(block["qr"]), matrix_modules(expected.matrix, border=4))
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            pdf = bytes(version.pdf)
            last = page_count(pdf, folder)
            text = nospace(pdf_text(pdf, folder, "-f", str(last), "-l", str(last)))
            self.assertIn(nospace(url), text)
            self.assertIn(version.data_sha256, text)
            self.assertNotIn(version.data_sha256, nospace(pdf_text(pdf, folder, "-l", str(last - 1))))
            # And the page itself shows that QR code: sample its modules from the rendered pixels.
            bbox = pdf_text(pdf, folder, "-bbox", "-f", str(last), "-l", str(last))
            x_min, y_min = next(
                (float(x), float(y))
                for x, y, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', bbox)
                if word.startswith(SITE)
            )
            modules = page_modules(
                folder / "document.pdf", last, (80, y_min - 40, x_min - 4, y_min + 95), len(expected.matrix)
            )
        self.assertEqual(modules, [[bool(bit) for bit in row] for row in expected.matrix])

    def test_previews_have_no_qr(self):
        html = document_html("measures", self.publish(execute=False)[0].context)
        self.assertNotIn("data:image/svg+xml", html)
        self.assertNotIn("SHA-256", html)


class PublicPagesTests(PublishingTestCase):
    def test_version_page_and_data_are_public_and_verifiable(self):
        version, _ = self.publish()
        page = self.client.get(reverse("reports:published_version", args=[version.pk]))
        self.assertContains(page, version.data_sha256)
        self.assertContains(page, version.sha256)
        data = self.client.get(reverse("reports:published_data", args=[version.pk]))
        self.assertEqual(data["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(hashlib.sha256(data.content).hexdigest(), version.data_sha256)

    def test_unknown_versions_are_404(self):
        for name in ("published_version", "published_pdf", "published_data"):
            self.assertEqual(self.client.get(reverse(f"reports:{name}", args=[999999])).status_code, 404)
