"""`manage.py send_reminders [--today YYYY-MM-DD]`: the daily follow-up reminders, by hand or from cron."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from measures.notifications import send_followup_reminders


class Command(BaseCommand):
    help = "Queue the e-mails of follow-up rounds closing within 14 days; a second run the same day adds none."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="the day to run as (YYYY-MM-DD, Christian era); default: today")

    def handle(self, *args, **options) -> None:
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(f"--today must be a date YYYY-MM-DD, not {options['today']!r}") from None
        count = send_followup_reminders(today=today)
        self.stdout.write(f"reminders queued: {count}")
