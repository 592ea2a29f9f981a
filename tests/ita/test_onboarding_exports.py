"""Results exported as xlsx and csv, with spreadsheet formulae made inert."""

import io
from decimal import Decimal

import openpyxl
from django.urls import reverse

from ita.models import Organization, Score
from ita.onboarding.base import escape_formula, unescape_formula
from ita.onboarding.results import ResultResource
from tests.base import BaseTestCase
from tests.ita.onboarding_helpers import XLSX_FORMAT, export

EXPORT_URL = reverse("admin:ita_assessment_export")
DANGEROUS = ["=1+2", "+1+2", "-1+2", "@SUM(A1)"]


class FormulaEscapeTests(BaseTestCase):
    def test_escape_and_unescape(self):
        for text in DANGEROUS:
            self.assertEqual(escape_formula(text), "'" + text)
            self.assertEqual(unescape_formula(escape_formula(text)), text)
        self.assertEqual(escape_formula("เทศบาล"), "เทศบาล")
        self.assertEqual(escape_formula(Decimal("-1")), Decimal("-1"))  # numbers stay numbers


class ResultExportTests(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.root)
        Organization.objects.filter(pk=self.alpha.pk).update(name=DANGEROUS[0], province=DANGEROUS[1])
        Organization.objects.filter(pk=self.beta.pk).update(name=DANGEROUS[2], province=DANGEROUS[3])
        self.alpha_2564.official_overall = Decimal("85.50")
        self.alpha_2564.save()
        Score.objects.create(assessment=self.alpha_2564, kind=Score.Kind.TOOL, code="IIT", value=Decimal("90.25"))
        Score.objects.create(assessment=self.alpha_2564, kind=Score.Kind.INDICATOR, code="3", value=Decimal("77.00"))

    def test_csv_has_one_row_per_organisation_year_and_escapes_formulae(self):
        response = export(self.client, EXPORT_URL, ResultResource)
        self.assertEqual(response["Content-Type"], "text/csv")
        lines = response.content.decode("utf-8-sig").splitlines()
        self.assertEqual(len(lines), 3)
        self.assertIn("ตัวชี้วัดที่ 3", lines[0])
        alpha = next(line for line in lines if line.startswith("ALPHA"))
        self.assertIn("'=1+2,'+1+2,2564", alpha)
        self.assertIn("85.50", alpha)
        self.assertIn("90.25", alpha)
        beta = next(line for line in lines if line.startswith("BETA"))
        self.assertIn("'-1+2,'@SUM(A1)", beta)

    def test_xlsx_cells_are_text_not_formulae_and_scores_are_numbers(self):
        response = export(self.client, EXPORT_URL, ResultResource, file_format=XLSX_FORMAT)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        headers = rows[0]
        alpha = next(row for row in rows if row[0] == "ALPHA")
        beta = next(row for row in rows if row[0] == "BETA")
        self.assertEqual(alpha[1:3], ("'=1+2", "'+1+2"))
        self.assertEqual(beta[1:3], ("'-1+2", "'@SUM(A1)"))
        cells = [cell for row in sheet.iter_rows() for cell in row]
        self.assertFalse([cell.coordinate for cell in cells if cell.data_type == "f"])
        self.assertEqual(alpha[headers.index("IIT")], 90.25)

    def test_non_administrators_cannot_export(self):
        for user in (self.alice, self.bob):
            user.is_staff = True
            user.save()
            self.client.force_login(user)
            response = export(self.client, EXPORT_URL, ResultResource)
            self.assertEqual(response.status_code, 302)
