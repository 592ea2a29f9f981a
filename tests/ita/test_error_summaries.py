"""The password and import forms open with an error summary linking to each invalid field (as the score form does)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ita.models import ImportJob
from tests.base import BaseTestCase


class PasswordChangeSummaryTests(BaseTestCase):
    def test_a_wrong_current_password_and_a_mismatch_are_linked(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("password_change"),
            {"old_password": "wrong", "new_password1": "ทุ่งนาเขียว-77", "new_password2": "ทุ่งนาเขียว-78"},
        )
        self.assertEqual(response.status_code, 200)  # Django's view re-renders an invalid form with 200
        summary = self.assertErrorSummary(response, ["id_old_password", "id_new_password2"])
        # The summary names the fields as the page labels them.
        self.assertIn("รหัสผ่านปัจจุบัน:", summary)
        self.assertIn("พิมพ์รหัสผ่านใหม่อีกครั้ง: รหัสผ่านทั้งสองช่องไม่ตรงกัน", summary)
        self.assertContains(response, "<title>มีข้อผิดพลาด:")
        self.assertContains(response, '<label for="id_old_password">รหัสผ่านปัจจุบัน</label>')
        self.assertTrue(self.alice.check_password("password"))

    def test_the_empty_form_has_no_summary(self):
        self.client.force_login(self.alice)
        self.assertNoErrorSummary(self.client.get(reverse("password_change")))


class ImportFormSummaryTests(BaseTestCase):
    def test_a_paste_with_several_errors_links_each_field(self):
        self.client.force_login(self.root)
        response = self.client.post(
            reverse("importers:new"), {"kind": "paste", "fiscal_year": "ปีหน้า", "organization": "", "text": ""}
        )
        self.assertEqual(response.status_code, 400)
        self.assertErrorSummary(response, ["id_organization", "id_fiscal_year", "id_text"])
        self.assertContains(response, "<title>มีข้อผิดพลาด:", status_code=400)
        self.assertFalse(ImportJob.objects.exists())

    def test_an_upload_error_is_linked_to_the_file_field(self):
        self.client.force_login(self.alice)
        upload = SimpleUploadedFile("ผล.pdf", b"%PDF", content_type="application/pdf")
        response = self.client.post(reverse("importers:new"), {"kind": "file", "file": upload})
        self.assertEqual(response.status_code, 400)
        summary = self.assertErrorSummary(response, ["id_file"])
        self.assertIn("รับเฉพาะไฟล์ .xlsx, .csv หรือ .txt", summary)

    def test_the_empty_page_has_no_summary(self):
        self.client.force_login(self.alice)
        self.assertNoErrorSummary(self.client.get(reverse("importers:new")))
