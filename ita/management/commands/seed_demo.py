"""`manage.py seed_demo`: load the framework fixtures, the demo organisations and results, and demo users.

With the demo users, the demo organisations' plans of the current fiscal year are drafted too (one
published); see ita.demo.place_demo_plans and measures.demo.

Safe to run again (see ita.demo, which does the loading).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ita.demo import account_lines, place_demo_plans, report_lines, seed_demo
from ita.frameworks.files import FixtureError


class Command(BaseCommand):
    help = _("โหลดกรอบการประเมิน ITA ข้อมูลหน่วยงานตัวอย่าง และบัญชีผู้ใช้ทดลอง (รันซ้ำได้โดยไม่เกิดข้อมูลซ้ำ)")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-users", action="store_true", help=_("ไม่สร้างบัญชีผู้ใช้ทดลอง"))
        parser.add_argument("--force", action="store_true", help=_("สร้างบัญชีผู้ใช้ทดลองแม้ DEBUG ปิดอยู่ (อย่าใช้กับระบบจริง)"))
        parser.add_argument("--no-catalogue", action="store_true", help=_("ไม่โหลดคลังข้อเสนอแนะและคลังมาตรการ"))

    def handle(self, *args, no_users: bool = False, force: bool = False, no_catalogue: bool = False, **options) -> None:
        make_users = not no_users
        if make_users and not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "ไม่สร้างบัญชีผู้ใช้ทดลองเมื่อ DEBUG ปิดอยู่ เพราะรหัสผ่านทดลองเป็นที่รู้กันทั่วไป: "
                    "ใช้ --no-users เพื่อโหลดเฉพาะข้อมูล หรือ --force หากแน่ใจว่าไม่ใช่ระบบจริง"
                )
            )
        try:
            report = seed_demo(make_users=make_users)
        except FixtureError as error:
            raise CommandError(str(error)) from error
        for line in report_lines(report):
            self.stdout.write(line)
        # The catalogue (recommendations, measure library) belongs to the measures app; its own
        # command loads it idempotently and never overwrites an administrator's edits.
        if not no_catalogue:
            call_command("load_catalogue", stdout=self.stdout)
        if make_users:
            # The plans (measures app) are drafted from the results and the catalogue loaded above and
            # moved through the workflow by the demo accounts, so they come last.
            for line in place_demo_plans():
                self.stdout.write(line)
        if report.accounts:
            for line in account_lines(report.accounts):
                self.stdout.write(line)
