"""`manage.py sync_frameworks [--apply]`: bring stored frameworks up to date with their fixture files.

A dry run by default: it prints what it would add, update, keep and leave, and writes nothing (see
ita.frameworks.sync).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ita.frameworks.files import FixtureError
from ita.frameworks.report import report_lines
from ita.frameworks.sync import sync_frameworks


class Command(BaseCommand):
    help = _(
        "เทียบกรอบการประเมินในฐานข้อมูลกับไฟล์ใน fixtures/frameworks/ (ตรวจอย่างเดียว); "
        "--apply เพื่อเพิ่มและปรับตามไฟล์ โดยไม่แก้สิ่งที่ผู้ดูแลระบบแก้ไขและไม่ลบข้อมูล"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--apply", action="store_true", help=_("เขียนการเปลี่ยนแปลงลงฐานข้อมูล (ค่าเริ่มต้น: ตรวจอย่างเดียว)"))

    def handle(self, *args, apply: bool = False, **options) -> None:
        try:
            report = sync_frameworks(apply=apply)
        except FixtureError as error:
            raise CommandError(str(error)) from error
        for line in report_lines(report):
            self.stdout.write(line)
