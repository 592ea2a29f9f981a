"""`manage.py send_oit_digest [--date YYYY-MM-DD]`: this week's OIT evidence digest, by hand or from cron."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ita.oit.digest import send_oit_digest
from ita.thai import format_number


class Command(BaseCommand):
    help = "Queue the weekly e-mail of missing OIT evidence for every year being collected; once per week."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="the day to run as (YYYY-MM-DD, Christian era); default: today")

    def handle(self, *args, **options) -> None:
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date must be a date YYYY-MM-DD, not {options['date']!r}") from None
        run = send_oit_digest(today=today)
        if not run.mails:
            self.stdout.write(_("ไม่มีปีใดอยู่ในช่วงรับหลักฐาน OIT: ไม่ได้ส่งอีเมลสรุป"))
        for year, count in run.mails.items():
            line = _("หลักฐาน OIT ปี พ.ศ. %(year)s: อีเมลสรุปเข้าคิว %(count)s ฉบับ")
            self.stdout.write(line % {"year": format_number(year), "count": format_number(count)})
