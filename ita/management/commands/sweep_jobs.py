"""`manage.py sweep_jobs`: end background jobs nobody will finish (see ita.sweeps).

Run it every few minutes from cron or Celery beat, e.g. `*/5 * * * * manage.py sweep_jobs`.
"""

from django.core.management.base import BaseCommand

from ita import sweeps


class Command(BaseCommand):
    help = (
        "Send stuck import jobs once more or mark them failed with a reason; fail PDF renders left pending; "
        "send notification e-mails left behind."
    )

    def handle(self, *args, **options) -> None:
        counts = sweeps.sweep_all()
        self.stdout.write(", ".join(f"{label}: {count}" for label, count in counts.items()))
