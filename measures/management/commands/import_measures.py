"""`manage.py import_measures --org CODE --year YYYY FILE [--dry-run] [--create-units]`.

Reads the five measure columns from an .xlsx or CSV file into the organisation's draft plan of
that fiscal year. Prints the preview and every error; exits 1 with nothing written when there is
any error, 0 otherwise; --dry-run stops after the preview.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ita.importers.parse import ParseError, read_file_bytes, read_table
from ita.models import Organization
from ita.thai import ThaiValueError, format_number, parse_fiscal_year
from measures.importers.load import apply_measure_import, plan_measure_import, target_plan
from measures.models import PlanError


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("นำเข้ามาตรการจากไฟล์ .xlsx หรือ CSV เข้ามาตรการฉบับร่างของหน่วยงาน (บันทึกทั้งหมดหรือไม่บันทึกเลย)")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "file", help=_("ไฟล์มาตรการ (.xlsx, .csv หรือ .txt) ที่มีคอลัมน์มาตรการ/แนวทาง และระยะเวลาดำเนินการ")
        )
        parser.add_argument("--org", required=True, help=_("รหัสหน่วยงาน"))
        parser.add_argument("--year", required=True, help=_("ปีงบประมาณของมาตรการ (พ.ศ.) เช่น 2567"))
        parser.add_argument("--dry-run", action="store_true", help=_("แสดงตัวอย่างและข้อผิดพลาดโดยไม่บันทึก"))
        parser.add_argument("--create-units", action="store_true", help=_("สร้างส่วนราชการที่ยังไม่มีในรายชื่อของหน่วยงาน"))

    def handle(self, *args, **options) -> None:
        organization = Organization.objects.filter(code=options["org"]).first()
        if organization is None:
            raise CommandError(_("ไม่พบหน่วยงานรหัส %(code)s") % {"code": options["org"]}, returncode=1)
        try:
            year = parse_fiscal_year(options["year"])
            plan = target_plan(organization=organization, fiscal_year=year)
        except (ThaiValueError, PlanError) as error:
            raise CommandError(str(error), returncode=1) from error
        path = Path(options["file"])
        try:
            table = read_table(read_file_bytes(path), path.name)
        except ParseError as error:
            raise CommandError(str(error), returncode=1) from error
        result = plan_measure_import(table, plan, create_units=options["create_units"], filename=path.name)
        self.stdout.write("\n".join(result.summary_lines()))
        if result.errors:
            raise CommandError(
                _("พบข้อผิดพลาด %(count)s รายการ ไม่ได้บันทึกข้อมูลใด ๆ") % {"count": f"{len(result.errors):,}"}, returncode=1
            )
        if options["dry_run"]:
            self.stdout.write(_("ทดลองนำเข้า (--dry-run): ไม่ได้บันทึกข้อมูล"))
            return
        try:
            created = apply_measure_import(result)
        except PlanError as error:
            raise CommandError(str(error), returncode=1) from error
        self.stdout.write(
            _("บันทึกแล้ว: เพิ่มมาตรการ %(count)s รายการ ในมาตรการปีงบประมาณ %(year)s")
            % {"count": f"{len(created):,}", "year": format_number(plan.fiscal_year)}
        )
