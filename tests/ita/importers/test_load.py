"""plan_import / apply_import: validation against the database, atomicity, idempotency and provenance."""

from decimal import Decimal
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ita.importers import load
from ita.importers.load import ImportRefused, apply_import, organization_type, plan_import
from ita.importers.parse import read_table
from ita.models import Assessment, ImportBatch, Organization, Score, ValueSource
from tests.base import BaseTestCase
from tests.factory import make_framework

INDICATORS = ",".join(f"ตัวชี้วัดที่ {n}" for n in range(1, 11))
HEADER = f"รหัสหน่วยงาน,ปีงบประมาณ,คะแนนรวม,ระดับ,{INDICATORS},i1,o27"


def wide_row(code: str = "ALPHA", year: str = "2564", overall: str = "90", level: str = "A", *, i1="95", o27="100"):
    return f"{code},{year},{overall},{level}," + ",".join(["90"] * 10) + f",{i1},{o27}"


def plan_of(text: str, **kwargs):
    data = text.encode("utf-8")
    return plan_import(read_table(data, "ผล.csv"), filename="ผล.csv", sha256="a" * 64, **kwargs)


def messages(plan) -> str:
    return "\n".join(error.message for error in plan.errors)


class ApplyTests(BaseTestCase):
    def test_import_writes_values_with_provenance_and_grades(self):
        plan = plan_of(f"{HEADER}\n{wide_row()}\n", user=self.root)
        self.assertEqual(plan.errors, [])
        self.assertEqual((plan.values_created, plan.values_changed, plan.values_unchanged), (14, 0, 0))
        self.assertEqual(plan.assessments_to_change, 1)
        batch = apply_import(plan)
        score = Score.objects.get(assessment=self.alpha_2564, kind="item", code="o27")
        self.assertEqual(
            (score.value, score.source, score.batch, score.entered_by), (Decimal("100"), "import", batch, self.root)
        )
        self.assertEqual(batch.created_by, self.root)
        self.assertEqual((batch.values_created, batch.assessments_changed, batch.rows), (14, 1, 1))
        self.alpha_2564.refresh_from_db()
        self.assertEqual(self.alpha_2564.official_overall, Decimal("90.00"))
        self.assertEqual(self.alpha_2564.official_level, "A")
        self.assertEqual((self.alpha_2564.overall, self.alpha_2564.level), (Decimal("90.00"), "A"))
        self.assertEqual(self.alpha_2564.version, 2)

    def test_second_import_changes_nothing(self):
        text = f"{HEADER}\n{wide_row()}\n{wide_row('BETA')}\n"
        first = apply_import(plan_of(text))
        updated = Score.objects.get(assessment=self.alpha_2564, code="i1").updated_at
        plan = plan_of(text)
        self.assertEqual((plan.values_created, plan.values_changed, plan.values_unchanged), (0, 0, 28))
        self.assertEqual((plan.assessments_to_create, plan.assessments_to_change, plan.changes), (0, 0, []))
        second = apply_import(plan)
        # Decision: an unchanged re-import is still logged as a batch, with zero counts.
        self.assertEqual((second.values_created, second.values_changed, second.assessments_changed), (0, 0, 0))
        self.assertEqual(second.values_unchanged, 28)
        self.assertEqual(Score.objects.filter(batch=first).count(), 24)  # 28 values less 2×(overall, level)
        self.assertFalse(Score.objects.filter(batch=second).exists())
        self.assertEqual(Score.objects.get(assessment=self.alpha_2564, code="i1").updated_at, updated)
        self.alpha_2564.refresh_from_db()
        self.assertEqual(self.alpha_2564.version, 2)

    def test_blank_cell_never_erases(self):
        apply_import(plan_of(f"{HEADER}\n{wide_row()}\n"))
        plan = plan_of(f"{HEADER}\n{wide_row(overall='', level='', i1='', o27='50')}\n")
        self.assertEqual((plan.values_changed, plan.values_unchanged), (1, 10))
        apply_import(plan)
        scores = self.alpha_2564.score_values()
        self.assertEqual(scores[("item", "i1")], Decimal("95"))
        self.assertEqual(scores[("item", "o27")], Decimal("50"))
        self.alpha_2564.refresh_from_db()
        self.assertEqual((self.alpha_2564.official_overall, self.alpha_2564.official_level), (Decimal("90"), "A"))

    def test_import_overwrites_a_manual_value_and_previews_old_to_new(self):
        self.alpha_2564.set_scores({("item", "i1"): Decimal("50")}, user=self.alice, source=ValueSource.FORM)
        plan = plan_of(f"{HEADER}\n{wide_row()}\n")
        change = next(c for c in plan.changes if c.key == ("item", "i1"))
        self.assertEqual((change.old, change.new), (Decimal("50"), Decimal("95")))
        self.assertIn("  ALPHA ปี ๒๕๖๔ ข้อ i1: 50.00 → 95.00", plan.summary_lines())
        self.assertEqual(plan.values_changed, 1)
        batch = apply_import(plan)
        score = Score.objects.get(assessment=self.alpha_2564, code="i1")
        self.assertEqual((score.value, score.source, score.batch_id), (Decimal("95"), ValueSource.IMPORT, batch.pk))

    def test_long_format_creates_the_assessment(self):
        make_framework(2566)
        text = (
            "รหัสหน่วยงาน,ปี,รายการ,คะแนน\nBETA,๒๕๖๖,IIT,๘๘.๕\nBETA,๒๕๖๖,ข้อ O๒๗,๑๐๐\nBETA,๒๕๖๖,ระดับ,ผ่าน ดี\nBETA,๒๕๖๖,i1,\n"
        )
        plan = plan_of(text)
        self.assertEqual(plan.errors, [])
        self.assertEqual((plan.assessments_to_create, plan.values_created), (1, 3))
        batch = apply_import(plan)
        assessment = Assessment.objects.get(organization=self.beta, fiscal_year=2566)
        self.assertEqual(assessment.official_level, "ผ่านดี")  # stored as the scheme spells it
        self.assertEqual(
            assessment.score_values(), {("tool", "IIT"): Decimal("88.50"), ("item", "o27"): Decimal("100")}
        )
        self.assertEqual(batch.assessments_created, 1)

    def test_create_orgs(self):
        header = "รหัสหน่วยงาน,ชื่อหน่วยงาน,อำเภอ,จังหวัด,ปีงบประมาณ,IIT"
        text = f"{header}\nN001,องค์การบริหารส่วนตำบลใหม่,เมือง,น่าน,2564,80\nN001,,,,2564,\n"
        plan = plan_of(text, create_orgs=True)
        self.assertEqual(plan.errors, [])
        self.assertEqual(list(plan.new_organizations), ["N001"])
        batch = apply_import(plan)
        org = Organization.objects.get(code="N001")
        self.assertEqual(
            (org.name, org.province, org.district, org.org_type), ("องค์การบริหารส่วนตำบลใหม่", "น่าน", "เมือง", "sao")
        )
        self.assertEqual((batch.organizations_created, batch.assessments_created), (1, 1))
        self.assertEqual(org.assessments.get().score_values(), {("tool", "IIT"): Decimal("80")})

    def test_organization_type_from_type_cell_or_name(self):
        self.assertEqual(organization_type("เทศบาล ตำบล", "x"), "subdistrict_municipality")
        self.assertEqual(organization_type("", "เทศบาลเมืองแม่สาย"), "town")
        self.assertEqual(organization_type("", "องค์การบริหารส่วนจังหวัดน่าน"), "pao")
        self.assertEqual(organization_type("", "สำนักงานอื่น"), "other")

    def test_apply_refuses_a_plan_with_errors(self):
        plan = plan_of(f"{HEADER}\n{wide_row(o27='105')}\n")
        with self.assertRaises(ImportRefused):
            apply_import(plan)
        self.assertFalse(ImportBatch.objects.exists())
        self.assertFalse(Score.objects.exists())

    def test_failure_halfway_through_apply_leaves_nothing(self):
        plan = plan_of(
            "รหัสหน่วยงาน,ชื่อหน่วยงาน,จังหวัด,ปีงบประมาณ,IIT\nALPHA,,,2564,80\nNEW1,เทศบาลตำบลใหม่,น่าน,2564,70\n",
            create_orgs=True,
        )
        self.assertEqual(plan.errors, [])
        with mock.patch.object(load, "_update_assessments", side_effect=RuntimeError("killed")):
            with self.assertRaises(RuntimeError):
                apply_import(plan)
        self.assertFalse(Organization.objects.filter(code="NEW1").exists())
        self.assertFalse(ImportBatch.objects.exists())
        self.assertFalse(Score.objects.exists())
        self.assertEqual(Assessment.objects.count(), 2)


class ErrorTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework_2566 = make_framework(2566)

    def assertError(self, plan, text: str, row: int | None = None):
        matching = [error for error in plan.errors if text in error.message]
        self.assertTrue(matching, f"{text!r} not in:\n{messages(plan)}")
        if row is not None:
            self.assertEqual(matching[0].row, row)

    def test_value_error_from_the_cell(self):
        plan = plan_of(f"{HEADER}\n{wide_row(o27='๑๐๕')}\n")
        self.assertEqual(len(plan.errors), 1)
        self.assertEqual((plan.errors[0].row, plan.errors[0].column, plan.errors[0].value), (2, 16, "๑๐๕"))

    def test_year_without_framework(self):
        plan = plan_of(f"{HEADER}\n{wide_row(year='2570')}\n")
        self.assertError(plan, "ไม่มีกรอบการประเมินของปีงบประมาณ ๒๕๗๐", row=2)

    def test_item_unknown_to_the_years_framework(self):
        plan = plan_of("รหัสหน่วยงาน,ปีงบประมาณ,o99,i1\nALPHA,2564,100,90\nALPHA,2566,100,90\n")
        self.assertEqual(len(plan.errors), 2)
        self.assertError(plan, "แถว 3 คอลัมน์ C (ที่ 3) 'o99': ข้อ o99 ไม่มีในกรอบการประเมินปี ๒๕๖๖", row=3)
        self.assertError(plan, "ข้อ o99 ไม่มีในกรอบการประเมินปี ๒๕๖๔", row=2)

    def test_item_unknown_in_long_format_names_the_what_column(self):
        plan = plan_of("รหัสหน่วยงาน,ปี,รายการ,คะแนน\nALPHA,2564,i1,90\nALPHA,2564,ข้อ E๙๙,80\n")
        self.assertEqual(len(plan.errors), 1)
        self.assertEqual((plan.errors[0].row, plan.errors[0].column), (3, 3))
        self.assertIn("ข้อ e99 ไม่มีในกรอบการประเมินปี ๒๕๖๔", plan.errors[0].message)

    def test_unknown_organisation(self):
        plan = plan_of("รหัสหน่วยงาน,ชื่อหน่วยงาน,ปีงบประมาณ,IIT\nX1,เทศบาลตำบลเอ็กซ์,2564,80\nX1,,2564,\n")
        self.assertEqual(len(plan.errors), 1)  # once per code, not once per row
        self.assertError(plan, "ไม่พบหน่วยงานรหัส X1", row=2)

    def test_create_orgs_needs_name_and_province(self):
        plan = plan_of("รหัสหน่วยงาน,ชื่อหน่วยงาน,ปีงบประมาณ,IIT\nX1,เทศบาลตำบลเอ็กซ์,2564,80\n", create_orgs=True)
        self.assertError(plan, "ไม่ได้ระบุชื่อหน่วยงานและจังหวัด", row=2)
        self.assertEqual(plan.new_organizations, {})

    def test_level_not_in_the_years_scheme(self):
        plan = plan_of(f"{HEADER}\n{wide_row(level='ผ่านดี')}\n")
        self.assertError(plan, "ระดับ 'ผ่านดี' ไม่มีในเกณฑ์ปี ๒๕๖๔ (ระดับที่มี: AA, A, B, C, D, E, F)", row=2)
        self.assertEqual(plan.errors[0].column, 4)
        ok = plan_of(f"{HEADER}\n{wide_row(year='2566', level=' ผ่าน ดี เยี่ยม')}\n")
        self.assertEqual(ok.errors, [])
        self.assertEqual(ok.entries[("ALPHA", 2566)].values[load.LEVEL_KEY], "ผ่านดีเยี่ยม")

    def test_same_value_twice_with_different_values(self):
        plan = plan_of(f"{HEADER}\n{wide_row()}\n{wide_row()}\n{wide_row(i1='94')}\n")
        self.assertEqual(len(plan.errors), 1)
        self.assertError(plan, "ข้อ i1 ของหน่วยงาน ALPHA ปี ๒๕๖๔ ซ้ำกับแถว 2 แต่ค่าไม่ตรงกัน (95.00 กับ 94.00)", row=4)

    def test_only_organization(self):
        plan = plan_of(f"{HEADER}\n{wide_row()}\n{wide_row('BETA')}\n", only_organization=self.alpha)
        self.assertEqual(len(plan.errors), 1)
        self.assertError(plan, "นำเข้าได้เฉพาะ เทศบาลตำบลอัลฟา (รหัส ALPHA)", row=3)

    def test_missing_code_and_year(self):
        plan = plan_of(f"{HEADER}\n{wide_row(code='', year='')}\n")
        self.assertError(plan, "ไม่ได้ระบุรหัสหน่วยงาน", row=2)
        self.assertError(plan, "ไม่ได้ระบุปีงบประมาณ", row=2)

    def test_header_errors_stop_before_rows(self):
        plan = plan_of("ชื่อหน่วยงาน,IIT\nก,80\n")
        self.assertError(plan, "ไม่พบคอลัมน์รหัสหน่วยงาน", row=1)
        self.assertEqual(plan.rows, 0)

    def test_summary_lists_every_error(self):
        plan = plan_of(f"{HEADER}\n{wide_row(year='2570')}\n{wide_row(o27='105')}\n")
        lines = plan.summary_lines()
        self.assertIn("พบข้อผิดพลาด 2 รายการ จึงไม่บันทึกข้อมูลใด ๆ:", lines)
        self.assertEqual(sum(line.startswith("  แถว") for line in lines), 2)


class ScaleTests(BaseTestCase):
    def test_bad_last_row_of_10000_leaves_the_database_untouched(self):
        rows = [f"N{n:05d},เทศบาลตำบล{n},น่าน,2564,{n % 100}" for n in range(9_999)]
        rows.append("N99999,เทศบาลตำบลสุดท้าย,น่าน,2564,๑๐๐.๐๑")
        text = "รหัสหน่วยงาน,ชื่อหน่วยงาน,จังหวัด,ปีงบประมาณ,IIT\n" + "\n".join(rows) + "\n"
        before = (Organization.objects.count(), Assessment.objects.count(), Score.objects.count())
        plan = plan_of(text, create_orgs=True)
        self.assertEqual(plan.rows, 10_000)
        self.assertEqual([error.row for error in plan.errors], [10_001])
        with self.assertRaises(ImportRefused):
            apply_import(plan)
        after = (Organization.objects.count(), Assessment.objects.count(), Score.objects.count())
        self.assertEqual(after, before)
        self.assertFalse(ImportBatch.objects.exists())

    def _file(self, count: int) -> str:
        return "รหัสหน่วยงาน,ปีงบประมาณ,IIT,i1\n" + "".join(f"S{n:04d},2564,80,{n % 100}\n" for n in range(count))

    def test_plan_query_count_does_not_grow_with_rows(self):
        apply_import(_seed(self._file(100)))
        counts = []
        for size in (10, 100):
            table = read_table(self._file(size).encode(), "f.csv")
            with CaptureQueriesContext(connection) as queries:
                plan = plan_import(table, filename="f.csv", sha256="0" * 64)
            self.assertEqual(plan.errors, [])
            self.assertEqual(plan.values_unchanged, 2 * size)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
        # frameworks, items, indicators, levels, organisations, assessments, scores
        table = read_table(self._file(100).encode(), "f.csv")
        with self.assertNumQueries(7):
            plan_import(table, filename="f.csv", sha256="0" * 64)


def _seed(text: str):
    """A plan that creates the organisations the query-count test reads back."""
    header, body = text.split("\n", 1)
    lines = [f"{line},เทศบาลตำบล{line[:5]},น่าน" for line in body.strip().split("\n")]
    return plan_of(f"{header},ชื่อหน่วยงาน,จังหวัด\n" + "\n".join(lines) + "\n", create_orgs=True)
