"""Files as evidence of progress: sniffed types, limits per file, per entry and per organisation, safe downloads."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.test import override_settings

from ita.models import AuditEvent, StoredFile
from measures.models import ATTACHMENT_MAX_BYTES, Progress, ProgressAttachment
from measures.progress import AttachmentRefused, attach_files, check_upload
from tests.measures.views.progress_helpers import JPEG, PDF, PNG, PublishedEntryTestCase, upload


class AttachmentTestCase(PublishedEntryTestCase):
    # Files are rows of the database storage (ita.storage.files), so each test starts with none stored.

    def add_entry(self, *files, **overrides):
        data = {"date": "๑/๑/๒๕๖๕", "status": "in_progress", "percent": "๕๐", "note": "มีหลักฐาน", "files": list(files)}
        return self.client.post(self.url("progress", self.plan.pk, self.measure.pk), {**data, **overrides})

    def add_files(self, *files):
        return self.client.post(self.entry_url(), {**self.edit_data(), "files": list(files)})

    def stored_files(self) -> list[str]:
        """The names of the evidence files in the storage (the database storage: one row per file)."""
        return list(StoredFile.objects.filter(name__startswith="progress/").values_list("name", flat=True))


class UploadTests(AttachmentTestCase):
    def test_a_new_entry_keeps_its_files_under_names_the_server_made(self):
        response = self.add_entry(upload("รายงานผล ประชุม.pdf", PDF), upload("ภาพกิจกรรม.jpg", JPEG, "image/jpeg"))
        self.assertEqual(response.status_code, 302)
        entry = Progress.objects.exclude(pk=self.entry.pk).get()
        pdf, jpeg = entry.attachments.order_by("pk")
        self.assertEqual(
            (pdf.original_name, pdf.content_type, pdf.size), ("รายงานผล ประชุม.pdf", "application/pdf", len(PDF))
        )
        self.assertEqual(pdf.sha256, hashlib.sha256(PDF).hexdigest())
        self.assertEqual(jpeg.content_type, "image/jpeg")
        for attachment in (pdf, jpeg):
            self.assertRegex(attachment.file.name, r"^progress/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|jpg)$")
            self.assertTrue(default_storage.exists(attachment.file.name))
        self.assertEqual(pdf.uploaded_by, self.alice)
        page = self.client.get(self.url("progress", self.plan.pk, self.measure.pk))
        self.assertContains(page, "รายงานผล ประชุม.pdf")
        self.assertContains(page, "(๔๘ ไบต์)")
        self.assertEqual(
            AuditEvent.objects.filter(action="create", object_type="measures.progressattachment").count(), 2
        )

    def test_a_png_named_pdf_is_kept_as_a_png(self):
        self.add_files(upload("หลักฐาน.pdf", PNG, "application/pdf"))
        attachment = self.entry.attachments.get()
        self.assertEqual(attachment.content_type, "image/png")
        self.assertTrue(attachment.file.name.endswith(".png"))
        response = self.client.get(self.entry_url("attachment_download", attachment.pk))
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertIn(f"filename*=UTF-8''{quote('หลักฐาน.png')}", response["Content-Disposition"])

    def test_html_named_pdf_is_refused_and_nothing_is_stored(self):
        html = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
        response = self.add_entry(upload("report.pdf", html, "application/pdf"))
        self.assertContains(response, "ไม่ใช่ไฟล์ PDF, PNG หรือ JPEG", status_code=400)
        self.assertContains(response, 'href="#id_files"', status_code=400)
        self.assertEqual(Progress.objects.count(), 1)
        self.assertEqual(self.stored_files(), [])

    def test_a_file_over_ten_megabytes_is_refused(self):
        big = PDF + bytes(ATTACHMENT_MAX_BYTES + 1 - len(PDF))
        response = self.add_files(upload("ใหญ่.pdf", big))
        self.assertContains(response, "เกินกำหนด ๑๐.๐ เมกะไบต์ ต่อไฟล์", status_code=400)
        self.assertFalse(self.entry.attachments.exists())
        exactly = PDF + bytes(ATTACHMENT_MAX_BYTES - len(PDF))
        self.assertEqual(self.add_files(upload("พอดี.pdf", exactly)).status_code, 302)
        self.assertEqual(self.entry.attachments.get().size, ATTACHMENT_MAX_BYTES)

    def test_an_empty_file_is_refused(self):
        self.assertContains(self.add_files(upload("ว่าง.pdf", b"")), "ว่างเปล่า", status_code=400)

    def test_a_sixth_file_is_refused(self):
        self.add_files(*(upload(f"ไฟล์{i}.pdf", PDF) for i in range(5)))
        self.assertEqual(self.entry.attachments.count(), 5)
        response = self.add_files(upload("ไฟล์ที่หก.pdf", PDF))
        self.assertContains(response, "แนบไฟล์ได้ไม่เกิน ๕ ไฟล์ต่อหนึ่งบันทึก", status_code=400)
        self.assertEqual(self.entry.attachments.count(), 5)
        self.assertEqual(len(self.stored_files()), 5)

    def test_six_files_at_once_are_refused(self):
        response = self.add_entry(*(upload(f"ไฟล์{i}.png", PNG, "image/png") for i in range(6)))
        self.assertContains(response, "เลือกไฟล์ได้ไม่เกิน ๕ ไฟล์", status_code=400)
        self.assertEqual(Progress.objects.count(), 1)

    def test_the_organisation_quota_is_kept(self):
        with override_settings(ORG_ATTACHMENT_QUOTA_BYTES=len(PDF) * 2 + 10):
            self.add_files(upload("หนึ่ง.pdf", PDF), upload("สอง.pdf", PDF))
            self.assertEqual(self.entry.attachments.count(), 2)
            response = self.add_entry(upload("สาม.pdf", PDF))
            self.assertContains(response, "พื้นที่เก็บไฟล์แนบของหน่วยงานไม่พอ", status_code=400)
            self.assertEqual(Progress.objects.count(), 1)
            self.assertEqual(len(self.stored_files()), 2)
            # Another organisation's files are not Alpha's: its own quota is untouched.
            self.assertEqual(ProgressAttachment.objects.stored_bytes(self.beta.pk), 0)

    def test_a_refused_batch_leaves_no_file_behind(self):
        checked = [check_upload(upload("ก.pdf", PDF)), check_upload(upload("ข.pdf", PDF))]
        with override_settings(ORG_ATTACHMENT_QUOTA_BYTES=len(PDF)), self.assertRaises(AttachmentRefused):
            attach_files(entry=self.entry, by=self.alice, files=checked)
        self.assertEqual(self.stored_files(), [])


class DownloadTests(AttachmentTestCase):
    def setUp(self):
        super().setUp()
        self.add_files(upload("รายงาน ผลการดำเนินงาน.pdf", PDF))
        self.attachment = self.entry.attachments.get()
        self.download = self.entry_url("attachment_download", self.attachment.pk)

    def test_headers(self):
        response = self.client.get(self.download)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        disposition = response["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment; "))
        self.assertIn(f'filename="attachment-{self.attachment.pk}.pdf"', disposition)
        self.assertIn(f"filename*=UTF-8''{quote('รายงาน ผลการดำเนินงาน.pdf', safe='')}", disposition)
        self.assertTrue(response.streaming)
        self.assertEqual(b"".join(response.streaming_content), PDF)

    def test_who_may_download(self):
        for user, status in ((self.bob, 200), (self.dora, 200), (self.root, 200), (self.charlie, 404)):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.download).status_code, status)
        self.client.logout()
        self.assertEqual(self.client.get(self.download).status_code, 302)

    def test_another_plans_address_does_not_reach_the_file(self):
        other = self.make_plan(self.beta)
        self.client.force_login(self.charlie)
        path = self.url("attachment_download", other.pk, self.entry.pk, self.attachment.pk)
        self.assertEqual(self.client.get(path).status_code, 404)

    def test_a_missing_file_is_not_found_not_an_error(self):
        default_storage.delete(self.attachment.file.name)
        self.assertEqual(self.client.get(self.download).status_code, 404)


class RemovalTests(AttachmentTestCase):
    def setUp(self):
        super().setUp()
        self.add_files(upload("ก.pdf", PDF), upload("ข.png", PNG, "image/png"))
        self.first, self.second = self.entry.attachments.order_by("pk")

    def test_removing_one_file_deletes_it_from_storage_after_commit(self):
        path = self.entry_url("attachment_delete", self.first.pk)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(path)
        self.assertRedirects(response, self.entry_url())
        self.assertFalse(default_storage.exists(self.first.file.name))
        self.assertTrue(default_storage.exists(self.second.file.name))
        event = AuditEvent.objects.get(action="delete", object_type="measures.progressattachment")
        self.assertEqual(event.changes["original_name"]["old"], "ก.pdf")
        self.assertEqual(event.subject_id, self.plan.pk)

    def test_only_staff_remove_files(self):
        for user, status in ((self.bob, 403), (self.dora, 403), (self.charlie, 404)):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(
                    self.client.post(self.entry_url("attachment_delete", self.first.pk)).status_code, status
                )
        self.assertEqual(self.entry.attachments.count(), 2)

    def test_deleting_the_entry_deletes_its_files_after_commit(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.entry_url("progress_delete"), {"fingerprint": self.entry.fingerprint()})
        self.assertFalse(Progress.objects.filter(pk=self.entry.pk).exists())
        self.assertEqual(self.stored_files(), [])
        event = AuditEvent.objects.get(action="delete", object_type="measures.progress")
        self.assertEqual(event.changes["attachments"]["old"], ["ก.pdf", "ข.png"])

    def test_a_new_version_shares_the_files_and_the_quota_counts_them_once(self):
        used = ProgressAttachment.objects.stored_bytes(self.alpha.pk)
        self.assertEqual(used, len(PDF) + len(PNG))
        new = self.plan.new_version(by=self.alice)
        copies = ProgressAttachment.objects.filter(progress__measure__plan=new)
        self.assertEqual(sorted(c.file.name for c in copies), sorted([self.first.file.name, self.second.file.name]))
        self.assertEqual(ProgressAttachment.objects.stored_bytes(self.alpha.pk), used)
        # Removing the draft's copies leaves the files the published version still names.
        with self.captureOnCommitCallbacks(execute=True):
            new.delete()
        self.assertTrue(default_storage.exists(self.first.file.name))
