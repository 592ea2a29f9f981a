"""`manage.py render_measures --org CODE --year YYYY [--followup] [--digits arabic] [--html|--format docx] --output F`.

Renders the newest version of the organisation's มาตรการ for the fiscal year to PDF (or its
HTML with --html, or an editable Word file with --format docx), creating the draft from the
previous year's assessment first when there is no plan yet, as the `plan` command does. With
--followup it renders the follow-up report of the six- or twelve-month round (--round 6|12,
default 12), as of the round's last day or --as-of YYYY-MM-DD. Rendering runs in this process:
for operators and tests, not for request handlers (see reports/pdf/render.py).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ita.models import Organization
from ita.thai import ThaiValueError, format_number, parse_fiscal_year
from measures.followup import ROUND_MONTHS, round_end
from measures.models import MeasurePlan, PlanError
from measures.plans import create_plan, latest_plan
from reports.models import DocumentKind
from reports.pdf.available import render_pdf
from reports.pdf.errors import DocumentTooComplex
from reports.rendering import UnprintableText, check_printable, document_context, document_html
from reports.word import measures_docx


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("จัดทำเอกสารมาตรการส่งเสริมคุณธรรมและความโปร่งใสของหน่วยงานเป็นไฟล์ PDF (หรือ HTML หรือ Word)")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", required=True, help=_("รหัสหน่วยงาน"))
        parser.add_argument("--year", required=True, help=_("ปีงบประมาณของมาตรการ (พ.ศ.) เช่น 2567"))
        parser.add_argument("--digits", choices=("thai", "arabic"), default="thai", help=_("ชนิดตัวเลขในเอกสาร"))
        parser.add_argument("--followup", action="store_true", help=_("จัดทำรายงานผลการดำเนินงานตามมาตรการ"))
        parser.add_argument("--round", type=int, choices=ROUND_MONTHS, default=None, help=_("รอบรายงาน ๖ หรือ ๑๒ เดือน"))
        parser.add_argument("--as-of", default=None, help=_("วันที่ของข้อมูล (ปปปป-ดด-วว ค.ศ.) ค่าเริ่มต้นคือวันสุดท้ายของรอบ"))
        parser.add_argument("--answers", action="store_true", help=_("เพิ่มคอลัมน์ข้อ/ตัวชี้วัดที่มาตรการตอบ"))
        parser.add_argument("--html", action="store_true", help=_("บันทึกเป็น HTML แทน PDF"))
        parser.add_argument(
            "--format", choices=("pdf", "docx"), default="pdf", help=_("ชนิดไฟล์: pdf หรือ docx (Word แก้ไขได้)")
        )
        parser.add_argument("--output", required=True, help=_("ไฟล์ที่จะบันทึก"))

    def handle(self, *args, **options) -> None:
        word = options["format"] == "docx"
        if word and (options["html"] or options["followup"]):
            raise CommandError(_("ไฟล์ Word จัดทำได้เฉพาะเอกสารมาตรการ และใช้ร่วมกับ --html หรือ --followup ไม่ได้"))
        plan = self._plan(options["org"], options["year"])
        kind, document_options = self._document(plan, options)
        context = document_context(plan, kind=kind, digits=options["digits"], options=document_options)
        if not (word or options["html"]):
            try:
                check_printable(context)
            except UnprintableText as error:
                raise CommandError("\n".join([str(error), *error.problems])) from error
        output = Path(options["output"])
        if word:
            output.write_bytes(measures_docx(context))
        elif options["html"]:
            output.write_text(document_html(kind, context), encoding="utf-8")
        else:
            try:
                output.write_bytes(render_pdf(document_html(kind, context)))
            except DocumentTooComplex as error:
                raise CommandError(str(error)) from error
        self.stdout.write(
            _("บันทึกมาตรการปี %(year)s ของ %(org)s (ฉบับที่ %(version)s) ที่ %(path)s")
            % {
                "year": format_number(plan.fiscal_year),
                "org": plan.organization.name,
                "version": format_number(plan.version),
                "path": output,
            }
        )

    def _document(self, plan: MeasurePlan, options: dict) -> tuple[str, dict]:
        if not options["followup"]:
            return DocumentKind.MEASURES, {"with_answers": True} if options["answers"] else {}
        months = options["round"] or 12
        as_of = round_end(plan.fiscal_year, months)
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError as error:
                raise CommandError(
                    _("วันที่ %(value)s ไม่ถูกต้อง (ใช้รูปแบบ ปปปป-ดด-วว)") % {"value": options["as_of"]}
                ) from error
        return DocumentKind.FOLLOWUP, {"round": months, "as_of": as_of.isoformat()}

    def _plan(self, code: str, year_text: str) -> MeasurePlan:
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            raise CommandError(_("ไม่พบหน่วยงานรหัส %(code)s") % {"code": code})
        try:
            year = parse_fiscal_year(year_text)
            plan = latest_plan(organization=organization, fiscal_year=year)
            return plan or create_plan(organization=organization, fiscal_year=year)
        except (ThaiValueError, PlanError) as error:
            raise CommandError(str(error)) from error
