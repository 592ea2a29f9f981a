"""`manage.py grade`: grade a stored assessment, or a JSON what-if document without the database.

    manage.py grade --org ORG00001 --year ๒๕๖๖ [--json] [--dry-run]
    manage.py grade --input scores.json [--json]

The document's shape and its checks are in ita.grading.whatif.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ita.grading import whatif
from ita.grading.assess import AssessmentNotFound, find_assessment, grade_assessment
from ita.grading.inputs import DEFAULT_FIXTURE_DIR


class Command(BaseCommand):
    # --input must not touch the database, so skip the system checks (some of them query it).
    requires_system_checks = []

    @property
    def help(self) -> str:
        # A property, not a lazy string: argparse needs a real str, translated when the parser is built.
        return _("คำนวณคะแนนรวมและระดับผล ITA ของผลการประเมินที่บันทึกไว้ หรือของไฟล์ JSON")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", help=_("รหัสหน่วยงาน"))
        parser.add_argument("--year", help=_("ปีงบประมาณ (พ.ศ.) เช่น 2566 หรือ ๒๕๖๖"))
        parser.add_argument("--input", help=_("ไฟล์ JSON ของคะแนนที่จะคำนวณ (ไม่ใช้ฐานข้อมูล)"))
        parser.add_argument("--json", action="store_true", help=_("แสดงผลเป็น JSON"))
        parser.add_argument("--dry-run", action="store_true", help=_("คำนวณโดยไม่บันทึกผลลงฐานข้อมูล"))

    def handle(self, *args, **options) -> None:
        if options["input"]:
            if options["org"] or options["year"]:
                raise CommandError(_("ใช้ --input พร้อมกับ --org หรือ --year ไม่ได้"))
        elif not (options["org"] and options["year"]):
            raise CommandError(_("ต้องระบุ --org และ --year หรือระบุ --input"))
        try:
            if options["input"]:
                directory = getattr(settings, "ITA_FRAMEWORK_FIXTURES", DEFAULT_FIXTURE_DIR)
                result, extra = whatif.grade_file(Path(options["input"]), directory)
            else:
                assessment = find_assessment(code=options["org"], fiscal_year=whatif.fiscal_year(options["year"]))
                result = grade_assessment(assessment=assessment, save=not options["dry_run"])
                extra = whatif.assessment_fields(assessment)
        except (whatif.WhatIfError, AssessmentNotFound) as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            payload = {**extra, **whatif.result_payload(result)}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(whatif.summary_lines(result, extra)))
