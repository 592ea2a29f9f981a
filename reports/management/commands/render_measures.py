"""`manage.py render_measures --org CODE --year YYYY [--digits arabic] [--html] --output FILE`.

Renders the newest version of the organisation's มาตรการ for the fiscal year to PDF (or its
HTML with --html), creating the draft from the previous year's assessment first when there is
no plan yet, as the `plan` command does. Rendering runs in this process: for operators and
tests, not for request handlers (see reports/pdf.py).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ita.models import Organization
from ita.thai import ThaiValueError, format_number, parse_fiscal_year
from measures.models import MeasurePlan, PlanError
from measures.workflows import create_plan, latest_plan
from reports.context import measures_document_context, measures_document_html
from reports.pdf import DocumentTooComplex, render_pdf


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("จัดทำเอกสารมาตรการส่งเสริมคุณธรรมและความโปร่งใสของหน่วยงานเป็นไฟล์ PDF (หรือ HTML)")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", required=True, help=_("รหัสหน่วยงาน"))
        parser.add_argument("--year", required=True, help=_("ปีงบประมาณของมาตรการ (พ.ศ.) เช่น 2567"))
        parser.add_argument("--digits", choices=("thai", "arabic"), default="thai", help=_("ชนิดตัวเลขในเอกสาร"))
        parser.add_argument("--html", action="store_true", help=_("บันทึกเป็น HTML แทน PDF"))
        parser.add_argument("--output", required=True, help=_("ไฟล์ที่จะบันทึก"))

    def handle(self, *args, **options) -> None:
        plan = self._plan(options["org"], options["year"])
        html = measures_document_html(measures_document_context(plan, digits=options["digits"]))
        output = Path(options["output"])
        if options["html"]:
            output.write_text(html, encoding="utf-8")
        else:
            try:
                output.write_bytes(render_pdf(html))
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
