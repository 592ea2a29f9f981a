"""import_measures: validate every row, then append all measures to the draft plan in one transaction, or nothing."""

import csv
import io
import tempfile
from pathlib import Path
from unittest import mock

import openpyxl
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from ita.importers.parse import read_table
from measures.importers.load import (
    MeasureImportRefused,
    apply_measure_import,
    plan_measure_import,
    target_plan,
)
from measures.models import Measure, MeasurePlan, OrgUnit, PeriodKind, PlanError, PlanPermissionDenied
from tests.base import BaseTestCase
from tests.measures.followup.helpers import make_measure, make_plan

HEADER = ["ที่", "มาตรการ/แนวทาง", "ขั้นตอนหรือวิธีการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ", "การกำกับติดตาม", "ตัวชี้วัด/ข้อ"]
GOOD = [
    HEADER,
    [
        "1",
        "ประกาศนโยบาย No Gift",
        "๑. จัดทำประกาศ ๒. เผยแพร่บนเว็บไซต์",
        "สำนักปลัด",
        "ม.ค. – มี.ค. ๖๕",
        "รายงานนายก",
        "i7, 4",
    ],
    ["2", "คู่มือการยืมทรัพย์สิน", "จัดทำคู่มือ\nแจ้งเวียน", "กองคลัง", "ตลอดปีงบประมาณ", "", "ข้อ i20 ตัวชี้วัดที่ ๔"],
    ["3", "ประชุมชี้แจงงบประมาณ", "", "ทุกสำนัก/กอง", "ต.ค. 64 - ธ.ค. 64", "", ""],
]


def csv_table(rows, name="measures.csv"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return read_table(out.getvalue().encode("utf-8"), name)


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class ImportTestCase(BaseTestCase):
    def setUp(self):
        self.plan = make_plan(self.alpha_2564)  # fiscal 2565, analysing the 2564 framework

    def preview(self, rows, **options):
        return plan_measure_import(csv_table(rows), self.plan, filename="measures.csv", **options)

    def messages(self, result):
        return [error.message for error in result.errors]


class PreviewAndApplyTests(ImportTestCase):
    def test_five_columns_and_answers_are_stored_after_existing_measures(self):
        make_measure(self.plan, title="มีอยู่เดิม")
        result = self.preview(GOOD)
        self.assertEqual(result.errors, [])
        self.assertEqual((result.rows, result.existing, len(result.measures)), (3, 1, 3))
        apply_measure_import(result)
        stored = list(self.plan.measures.order_by("order").values_list(
            "order", "title", "steps", "responsible", "period_kind", "start_month", "end_month", "monitoring",
            "item_codes", "indicators",
        ))  # fmt: skip
        self.assertEqual(
            stored[1:],
            [
                (1, "ประกาศนโยบาย No Gift", ["จัดทำประกาศ", "เผยแพร่บนเว็บไซต์"], "สำนักปลัด", PeriodKind.MONTHS, 1, 3,
                 "รายงานนายก", ["i7"], [4]),
                (2, "คู่มือการยืมทรัพย์สิน", ["จัดทำคู่มือ", "แจ้งเวียน"], "กองคลัง", PeriodKind.WHOLE_YEAR, None, None,
                 "", ["i20"], [4]),
                (3, "ประชุมชี้แจงงบประมาณ", [], "ทุกสำนัก/กอง", PeriodKind.MONTHS, 10, 12, "", [], []),
            ],
        )  # fmt: skip
        self.assertEqual(self.plan.measures.get(order=1).period_display(), "ม.ค. – มี.ค. ๖๕")

    def test_header_spellings_are_tolerant(self):
        header = [
            "  มาตรการ / แนวทาง ",
            "ขั้นตอน/วิธีการ",
            "ผู้รับ ผิดชอบ",
            "ระยะเวลา\nดำเนินการ",
            "การกำกับ ติดตาม",
            "ตัวชี้วัด / ข้อ",
        ]
        result = self.preview([header, ["ทำ", "ก", "กองช่าง", "ตลอดปี", "ติดตาม", "e4"]])
        self.assertEqual(result.errors, [])
        measure = result.measures[0]
        self.assertEqual(
            (measure.steps, measure.responsible, measure.monitoring, measure.answers),
            (["ก"], "กองช่าง", "ติดตาม", ["e4"]),
        )

    def test_xlsx_reads_like_csv(self):
        result = plan_measure_import(read_table(xlsx_bytes(GOOD), "m.xlsx"), self.plan)
        self.assertEqual(result.errors, [])
        self.assertEqual([m.title for m in result.measures], [row[1] for row in GOOD[1:]])

    def test_continuation_rows_extend_the_measure_above(self):
        rows = [
            HEADER,
            ["1", "ประกาศนโยบาย", "๑. จัดทำประกาศ", "สำนักปลัด", "ม.ค. – มี.ค.", "รายงานนายก", "i7"],
            ["", "", "๒. เผยแพร่", "กองคลัง", "", "ทุกไตรมาส", "4"],
            ["", "", "", "", "", "", ""],
            ["2", "คู่มือ", "", "", "ตลอดปี", "", ""],
        ]
        result = self.preview(rows)
        self.assertEqual(result.errors, [])
        first = result.measures[0]
        self.assertEqual(
            (first.steps, first.responsible, first.monitoring, first.answers),
            (["จัดทำประกาศ", "เผยแพร่"], "สำนักปลัด, กองคลัง", "รายงานนายก\nทุกไตรมาส", ["i7", "4"]),
        )
        self.assertEqual((len(result.measures), result.rows), (2, 3))

    def test_last_years_periods_keep_their_months_with_a_note(self):
        result = self.preview([HEADER, ["1", "ก", "", "", "ม.ค. – มี.ค. ๖๔", "", ""]])
        self.assertEqual(result.errors, [])
        self.assertEqual(result.measures[0].period_text, "ม.ค. – มี.ค. ๖๕")
        self.assertEqual(len(result.notes), 1)
        self.assertIn("ปีงบประมาณ ๒๕๖๔", result.notes[0])

    def test_create_units(self):
        rows = [HEADER, ["1", "ก", "", "กองพัสดุ, กองคลัง", "ตลอดปี", "", ""]]
        refused = self.preview(rows)
        self.assertEqual(len(refused.errors), 1)
        self.assertIn("ไม่พบส่วนราชการ 'กองพัสดุ'", refused.errors[0].message)
        result = self.preview(rows, create_units=True)
        self.assertEqual((result.errors, result.new_units), ([], ["กองพัสดุ"]))
        self.assertFalse(OrgUnit.objects.filter(organization=self.alpha).exists())  # the preview writes nothing
        apply_measure_import(result)
        names = list(OrgUnit.objects.filter(organization=self.alpha).values_list("name", flat=True))
        self.assertEqual(names[-1], "กองพัสดุ")
        self.assertIn("กองคลัง", names)  # the default list is created with it
        self.assertEqual(self.plan.measures.get().responsible, "กองพัสดุ, กองคลัง")


class ErrorTests(ImportTestCase):
    def test_every_bad_row_is_listed_with_row_column_and_value_and_nothing_is_written(self):
        rows = [
            HEADER,
            ["1", "", "ขั้นตอนที่ไม่มีมาตรการ", "", "", "", ""],  # continuation before any measure
            ["2", "ไม่มีระยะเวลา", "", "", "", "", ""],
            ["3", "ระยะเวลากลับด้าน", "", "", "มี.ค. – ม.ค.", "", ""],
            ["4", "ส่วนราชการไม่รู้จัก", "", "กองดาวเทียม", "ตลอดปี", "", ""],
            ["5", "ตัวชี้วัดเกิน", "", "", "ตลอดปี", "", "i7, 11"],
            ["6", "ข้อไม่มีในปี", "", "", "ตลอดปี", "", "o44"],
            ["7", "ระยะเวลาซ้ำ", "", "", "ตลอดปี", "", ""],
            ["", "", "", "", "ม.ค.", "", ""],
        ]
        result = self.preview(rows)
        self.assertEqual(
            [(e.row, e.column, e.value) for e in result.errors],
            [(2, 2, ""), (4, 5, "มี.ค. – ม.ค."), (6, 7, "i7, 11"), (7, 7, "o44"), (9, 5, "ม.ค."), (3, 5, ""),
             (5, 4, "กองดาวเทียม")],
        )  # fmt: skip
        messages = self.messages(result)
        expected = [
            "แถว 2 คอลัมน์ B (ที่ 2) 'มาตรการ/แนวทาง': ไม่ได้ระบุมาตรการ/แนวทาง",
            "แถว 4 คอลัมน์ E (ที่ 5) 'ระยะเวลาดำเนินการ': ระยะเวลา 'มี.ค. – ม.ค.': เดือนเริ่มต้น มี.ค. อยู่หลังเดือนสิ้นสุด ม.ค.",
            "แถว 6 คอลัมน์ G (ที่ 7) 'ตัวชี้วัด/ข้อ': ตัวชี้วัดที่ ๑๑ ไม่มี",
            "แถว 7 คอลัมน์ G (ที่ 7) 'ตัวชี้วัด/ข้อ': ไม่มีข้อ O44 ในกรอบการประเมินปี ๒๕๖๔",
            "แถว 9 คอลัมน์ E (ที่ 5) 'ระยะเวลาดำเนินการ': มาตรการในแถว 8 มีระยะเวลาดำเนินการแล้ว",
            "แถว 3 คอลัมน์ E (ที่ 5) 'ระยะเวลาดำเนินการ': ไม่ได้ระบุระยะเวลาดำเนินการ",
            "แถว 5 คอลัมน์ D (ที่ 4) 'ผู้รับผิดชอบ': ไม่พบส่วนราชการ 'กองดาวเทียม'",
        ]
        self.assertEqual(len(messages), len(expected), messages)
        for message, start in zip(messages, expected, strict=True):
            self.assertTrue(message.startswith(start), (message, start))
        with self.assertRaises(MeasureImportRefused):
            apply_measure_import(result)
        self.assertFalse(Measure.objects.exists())

    def test_responsible_longer_than_the_field(self):
        units = ", ".join(f"กองที่{n}" for n in range(40))
        result = self.preview([HEADER, ["1", "ก", "", units, "ตลอดปี", "", ""]], create_units=True)
        self.assertEqual(self.messages(result), ["แถว 2 คอลัมน์ D (ที่ 4) 'ผู้รับผิดชอบ': ผู้รับผิดชอบยาวเกิน ๒๕๕ ตัวอักษร"])

    def test_unknown_and_missing_headers(self):
        result = self.preview([["มาตรการ", "งบประมาณ", "ผู้รับผิดชอบ"], ["ก", "1000", "กองคลัง"]])
        self.assertEqual(
            self.messages(result),
            [
                "แถว 1 คอลัมน์ B (ที่ 2) 'งบประมาณ': ไม่รู้จักหัวคอลัมน์นี้ (ใช้ได้: 'มาตรการ/แนวทาง', 'ขั้นตอนหรือวิธีการ', "
                "'ผู้รับผิดชอบ', 'ระยะเวลาดำเนินการ', 'การกำกับติดตาม', 'ตัวชี้วัด/ข้อ')",
                "แถว 1: ไม่พบคอลัมน์ 'ระยะเวลาดำเนินการ'",
            ],
        )
        self.assertEqual(result.measures, [])

    def test_duplicated_column(self):
        result = self.preview([["มาตรการ", "แนวทาง", "ระยะเวลา"], ["ก", "ข", "ตลอดปี"]])
        self.assertEqual(self.messages(result), ["แถว 1 คอลัมน์ B (ที่ 2) 'แนวทาง': ซ้ำกับคอลัมน์ A (หมายถึงข้อมูลเดียวกัน)"])

    def test_empty_file_and_header_only(self):
        self.assertEqual(self.messages(self.preview([])), ["ไฟล์ว่าง ไม่พบแถวหัวคอลัมน์"])
        self.assertEqual(self.messages(self.preview([HEADER])), ["แถว 1: ไม่พบมาตรการใต้แถวหัวคอลัมน์"])

    def test_formula_cell_is_an_error_not_a_blank(self):
        rows = [HEADER[1:], ["ก", "=A1", "", "ตลอดปี", "", ""]]
        result = plan_measure_import(read_table(xlsx_bytes(rows), "m.xlsx"), self.plan)
        self.assertEqual(len(result.errors), 1)
        self.assertEqual((result.errors[0].row, result.errors[0].column, result.errors[0].value), (2, 2, "=A1"))
        self.assertIn("แถว 2 คอลัมน์ B (ที่ 2) 'ขั้นตอนหรือวิธีการ': ช่องนี้เป็นสูตร", result.errors[0].message)


class TargetAndAtomicityTests(ImportTestCase):
    def test_target_plan_is_the_newest_draft(self):
        self.assertEqual(target_plan(organization=self.alpha, fiscal_year=2565), self.plan)
        with self.assertRaisesMessage(PlanError, "ยังไม่มีมาตรการปีงบประมาณ ๒๕๖๖"):
            target_plan(organization=self.alpha, fiscal_year=2566)
        Measure.objects.create(plan=self.plan, title="มาตรการที่ต้องมีก่อนเสนอ")
        self.plan.submit(by=self.alice)
        with self.assertRaisesMessage(PlanError, "อยู่ในสถานะ เสนอผู้บริหารแล้ว นำเข้าได้เฉพาะฉบับร่าง"):
            target_plan(organization=self.alpha, fiscal_year=2565)
        self.plan.approve(by=self.bob)
        correction = self.plan.new_version(by=self.alice)
        self.assertEqual(target_plan(organization=self.alpha, fiscal_year=2565), correction)

    def test_plan_frozen_after_the_preview_writes_nothing(self):
        result = self.preview([HEADER, ["1", "ก", "", "กองใหม่", "ตลอดปี", "", ""]], create_units=True)
        self.assertEqual(result.errors, [])
        Measure.objects.create(plan=self.plan, title="มาตรการที่ต้องมีก่อนเสนอ")
        self.plan.submit(by=self.alice)
        self.plan.approve(by=self.bob)
        with self.assertRaises(PlanError):
            apply_measure_import(result)
        self.assertEqual(Measure.objects.count(), 1)
        self.assertFalse(OrgUnit.objects.exists())

    def test_failure_while_writing_rolls_back_the_new_units(self):
        result = self.preview([HEADER, ["1", "ก", "", "กองใหม่", "ตลอดปี", "", ""]], create_units=True)
        with (
            mock.patch.object(Measure.objects, "bulk_create", side_effect=IntegrityError("boom")),
            self.assertRaises(IntegrityError),
        ):
            apply_measure_import(result)
        self.assertFalse(OrgUnit.objects.exists())
        self.assertFalse(Measure.objects.exists())

    def test_user_must_be_allowed_to_edit_the_plan(self):
        result = self.preview(GOOD)
        with self.assertRaises(PlanPermissionDenied):
            apply_measure_import(result, by=self.charlie)
        with self.assertRaises(PlanPermissionDenied):
            apply_measure_import(result, by=self.bob)  # executives approve, they do not edit
        self.assertEqual(len(apply_measure_import(result, by=self.alice)), 3)


class CommandTests(ImportTestCase):
    def run_command(self, rows, *args, name="measures.csv"):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            if name.endswith(".xlsx"):
                path.write_bytes(xlsx_bytes(rows))
            else:
                out = io.StringIO()
                csv.writer(out).writerows(rows)
                path.write_text(out.getvalue(), encoding="utf-8")
            stdout = io.StringIO()
            call_command("import_measures", str(path), "--org", "ALPHA", *args, stdout=stdout)
            return stdout.getvalue()

    def test_success_exits_0_and_prints_the_preview(self):
        output = self.run_command(GOOD, "--year", "๒๕๖๕", name="measures.xlsx")
        self.assertIn("มาตรการ 3 รายการ", output)
        self.assertIn("1. ประกาศนโยบาย No Gift · สำนักปลัด · ม.ค. – มี.ค. ๖๕", output)
        self.assertIn("บันทึกแล้ว: เพิ่มมาตรการ 3 รายการ", output)
        self.assertEqual(self.plan.measures.count(), 3)

    def test_dry_run_writes_nothing(self):
        output = self.run_command(GOOD, "--year", "2565", "--dry-run")
        self.assertIn("--dry-run", output)
        self.assertEqual(self.plan.measures.count(), 0)

    def test_errors_exit_1_and_write_nothing(self):
        rows = [*GOOD, ["4", "ไม่มีระยะเวลา", "", "", "", "", ""]]
        with self.assertRaises(CommandError) as caught:
            self.run_command(rows, "--year", "2565")
        self.assertEqual(caught.exception.returncode, 1)
        self.assertIn("พบข้อผิดพลาด 1 รายการ", str(caught.exception))
        self.assertEqual(self.plan.measures.count(), 0)

    def test_create_units_flag(self):
        rows = [HEADER, ["1", "ก", "", "กองพัสดุ", "ตลอดปี", "", ""]]
        with self.assertRaises(CommandError):
            self.run_command(rows, "--year", "2565")
        self.run_command(rows, "--year", "2565", "--create-units")
        self.assertTrue(OrgUnit.objects.filter(organization=self.alpha, name="กองพัสดุ").exists())

    def test_refusals_exit_1(self):
        cases = [
            (["--year", "2566"], "ยังไม่มีมาตรการ"),
            (["--year", "ปีหน้า"], "ไม่ใช่ปีงบประมาณ"),
        ]
        for args, fragment in cases:
            with self.subTest(args=args), self.assertRaises(CommandError) as caught:
                self.run_command(GOOD, *args)
            self.assertEqual(caught.exception.returncode, 1)
            self.assertIn(fragment, str(caught.exception))
        with self.assertRaises(CommandError) as caught:
            call_command("import_measures", "/nonexistent/m.csv", "--org", "ALPHA", "--year", "2565")
        self.assertIn("ไม่พบไฟล์", str(caught.exception))
        with self.assertRaises(CommandError) as caught:
            call_command("import_measures", "/nonexistent/m.csv", "--org", "NOPE", "--year", "2565")
        self.assertIn("ไม่พบหน่วยงานรหัส NOPE", str(caught.exception))
        MeasurePlan.objects.filter(pk=self.plan.pk).update(status=MeasurePlan.Status.PUBLISHED)
        with self.assertRaises(CommandError) as caught:
            self.run_command(GOOD, "--year", "2565")
        self.assertIn("อยู่ในสถานะ เผยแพร่แล้ว", str(caught.exception))
