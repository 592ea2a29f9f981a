"""`manage.py oit_check --org CODE --year YYYY [--json]`: check an OIT checklist's links now and print the result.

The check runs here, not in a worker, and is stored like the button's and beat's (ita.oit.linkhealth).
"""

from __future__ import annotations

import json
import re

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ita.models import EvidenceChecklist, Organization
from ita.models.organizations import CODE_REGEX
from ita.oit.checklist import oit_items, stored_values
from ita.oit.linkhealth import check_checklists
from ita.oit.status import report, report_lines
from ita.thai import ThaiValueError, format_number, parse_fiscal_year


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("ตรวจลิงก์หลักฐาน OIT ของหน่วยงานและปีงบประมาณที่ระบุ บันทึกผล แล้วแสดงผลรายข้อ")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", required=True, help=_("รหัสหน่วยงาน"))
        parser.add_argument("--year", required=True, help=_("ปีงบประมาณ (พ.ศ.) เช่น 2568 หรือ ๒๕๖๘"))
        parser.add_argument("--json", action="store_true", help=_("แสดงผลเป็น JSON"))

    def handle(self, *args, **options) -> None:
        checklist = _find_checklist(options["org"], options["year"])
        check_checklists([checklist])
        checklist.refresh_from_db()
        items, values = oit_items(checklist.framework), stored_values(checklist)
        if options["json"]:
            self.stdout.write(json.dumps(report(checklist, items, values), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(report_lines(checklist, items, values)))


def _find_checklist(code: str, year_text: str) -> EvidenceChecklist:
    code = code.strip()
    # A code outside the codes' character set names no organisation (and a NUL would upset PostgreSQL).
    organization = Organization.objects.filter(code=code).first() if re.fullmatch(CODE_REGEX, code) else None
    if organization is None:
        raise CommandError(_("ไม่พบหน่วยงานรหัส %(code)s") % {"code": code})
    try:
        year = parse_fiscal_year(year_text)
    except ThaiValueError as error:
        raise CommandError(str(error)) from error
    checklist = (
        EvidenceChecklist.objects.select_related("organization", "framework")
        .filter(organization=organization, fiscal_year=year)
        .first()
    )
    if checklist is None:
        raise CommandError(
            _("%(org)s ยังไม่มีรายการหลักฐาน OIT ของปีงบประมาณ %(year)s")
            % {"org": organization.name, "year": format_number(year)}
        )
    return checklist
