"""`manage.py plan --org CODE --year YYYY [--json]`: the organisation's measure plan for a fiscal year.

Creates the draft from the previous year's assessment when there is no plan yet, then prints
the newest version: ranking, strengths, weaknesses, items to improve and measures.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ita.models import Organization
from ita.thai import ThaiValueError, format_number, parse_fiscal_year, parse_score
from measures.models import MeasurePlan, PlanError
from measures.plans import create_plan, latest_plan, plan_document


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("สร้าง (ถ้ายังไม่มี) และแสดงมาตรการส่งเสริมคุณธรรมและความโปร่งใสของหน่วยงานในปีงบประมาณที่ระบุ")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", required=True, help=_("รหัสหน่วยงาน"))
        parser.add_argument("--year", required=True, help=_("ปีงบประมาณของมาตรการ (พ.ศ.) เช่น 2567"))
        parser.add_argument("--threshold", help=_("เกณฑ์จุดแข็ง/จุดอ่อนเมื่อสร้างใหม่ (ค่าเริ่มต้น ๘๕)"))
        parser.add_argument("--grouping", choices=MeasurePlan.Grouping.values, default=MeasurePlan.Grouping.INDICATOR)
        parser.add_argument("--no-suggest", action="store_true", help=_("ไม่เติมมาตรการจากคลังเมื่อสร้างใหม่"))
        parser.add_argument("--json", action="store_true", help=_("แสดงผลเป็น JSON"))

    def handle(self, *args, **options) -> None:
        organization = Organization.objects.filter(code=options["org"]).first()
        if organization is None:
            raise CommandError(_("ไม่พบหน่วยงานรหัส %(code)s") % {"code": options["org"]})
        try:
            year = parse_fiscal_year(options["year"])
            plan = latest_plan(organization=organization, fiscal_year=year)
            if plan is None:
                extra = {"threshold": parse_score(options["threshold"])} if options["threshold"] else {}
                plan = create_plan(
                    organization=organization,
                    fiscal_year=year,
                    grouping=options["grouping"],
                    suggest=not options["no_suggest"],
                    **extra,
                )
        except (ThaiValueError, PlanError) as error:
            raise CommandError(str(error)) from error
        document = plan_document(plan)
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            self._print(document)

    def _print(self, doc: dict) -> None:
        write = self.stdout.write
        write(
            _("มาตรการปีงบประมาณ %(year)s ของ %(org)s (ฉบับที่ %(version)s, สถานะ %(status)s) จากผลปี %(based)s")
            % {
                "year": format_number(doc["fiscal_year"]),
                "org": doc["organization_name"],
                "version": format_number(doc["version"]),
                "status": MeasurePlan.Status(doc["status"]).label,
                "based": format_number(doc["based_on"]),
            }
        )
        ranking = ", ".join(f"{r['indicator']} ({r['score']})" for r in doc["ranking"])
        write(_("ลำดับตัวชี้วัด: %(ranking)s") % {"ranking": ranking})
        write(_("จุดแข็ง: %(list)s") % {"list": ", ".join(map(str, doc["strengths"])) or "-"})
        write(_("จุดอ่อน: %(list)s") % {"list": ", ".join(map(str, doc["weaknesses"])) or "-"})
        write(_("ข้อที่ต้องพัฒนา:"))
        for item in doc["items_to_improve"]:
            write(f"  {item['code'].upper()} {item['score']}: {item['recommendation']}")
        write(_("มาตรการ:"))
        for number, measure in enumerate(doc["measures"], start=1):
            write(f"  {number}. {measure['title']} · {measure['responsible']} · {measure['period']}")
