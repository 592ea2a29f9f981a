"""`manage.py purge_imports`: delete import uploads and error lists past IMPORT_RETENTION_DAYS.

Celery beat runs it daily; without beat, run it from cron, e.g. `30 3 * * * manage.py purge_imports`.
"""

from django.core.management.base import BaseCommand

from ita.importers import retention


class Command(BaseCommand):
    help = "Drop the bytes of refused import uploads, and delete uploads and error lists past the retention period."

    def handle(self, *args, **options) -> None:
        counts = retention.purge_imports()
        self.stdout.write(", ".join(f"{label}: {count}" for label, count in counts.items()))
