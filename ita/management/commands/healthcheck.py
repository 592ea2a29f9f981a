from django.core.management.base import BaseCommand, CommandError

from ita.health import missing_parts, problems


class Command(BaseCommand):
    help = "Exit 0 when the database and the broker answer; used by container health checks."

    def handle(self, *args, **options):
        found = problems()
        if found:
            raise CommandError("; ".join(found))
        for reason in missing_parts():
            self.stderr.write(f"optional part missing: {reason}")
        self.stdout.write("ok")
