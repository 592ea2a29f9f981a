"""The import page names the organisation's code and offers example files the importer reads as they are."""

from __future__ import annotations

import io

import openpyxl
from django.test import TestCase
from django.urls import reverse

from ita.importers.columns import match_header
from ita.importers.parse import read_table
from ita.models import Membership, Organization
from tests.factory import make_user


class ExampleFileTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = Organization.objects.create(code="ORG-EX-1", name="เทศบาลตำบลตัวอย่าง", province="ลำปาง")
        cls.staff = make_user("example-staff", organization=cls.org, role=Membership.Role.STAFF)

    def setUp(self):
        self.client.force_login(self.staff)

    def test_the_page_shows_the_code_and_links_both_examples(self):
        page = self.client.get(reverse("importers:new"))
        self.assertContains(page, "ORG-EX-1")
        for file_format in ("xlsx", "csv"):
            self.assertContains(page, reverse("importers:example", args=[file_format]))

    def test_each_example_is_read_with_every_header_recognised_and_no_score(self):
        for file_format in ("csv", "xlsx"):
            with self.subTest(file_format):
                response = self.client.get(reverse("importers:example", args=[file_format]))
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                table = read_table(response.content, f"example.{file_format}")
                header, row = table.rows[0], table.rows[1]
                self.assertTrue(all(match_header(cell) for cell in header), header)
                self.assertEqual(row[0], "ORG-EX-1")
                self.assertTrue(all(not cell for cell in row[2:]))  # no made-up scores

    def test_an_unknown_format_is_404(self):
        self.assertEqual(self.client.get("/imports/example.exe").status_code, 404)

    def test_the_xlsx_opens_in_openpyxl(self):
        response = self.client.get(reverse("importers:example", args=["xlsx"]))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet["A1"].value, "รหัสหน่วยงาน")
