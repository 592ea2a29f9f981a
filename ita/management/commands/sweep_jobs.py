"""`manage.py sweep_jobs`: end background jobs nobody will finish (see ita.importers.sweep).

Run it every few minutes from cron or Celery beat, e.g. `*/5 * * * * manage.py sweep_jobs`.
"""

from django.core.management.base import BaseCommand

from ita.importers import sweep as job_sweep


class Command(BaseCommand):
    help = "Send stuck import jobs once more or mark them failed with a reason; fail PDF renders left pending."

    def handle(self, *args, **options) -> None:
        result = job_sweep.sweep_stale_jobs()
        renders = job_sweep.fail_stale_renders()
        self.stdout.write(
            f"imports requeued: {len(result.requeued)}, imports failed: {len(result.failed)}, renders failed: {renders}"
        )
