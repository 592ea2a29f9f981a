"""The README's backup and restore procedure, tried: back up, drop, restore, the same rows (issue 13).

Needs a PostgreSQL where the test may create and drop databases (BACKUP_TRIAL_ADMIN_URL, by default
the local server's `postgres` user) and the client programs pg_dump, pg_restore and psql; skipped
without them, so the suite still runs on SQLite with no service. Its databases are named
compose_trial_<random> and dropped at the end.
"""

import hashlib
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BACKUP_TRIAL_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
FILE_BYTES = bytes(range(256)) * 100

pytestmark = pytest.mark.slow


def _admin():
    psycopg2 = pytest.importorskip("psycopg2")
    missing = [program for program in ("pg_dump", "pg_restore", "psql") if shutil.which(program) is None]
    if missing:
        pytest.skip(f"PostgreSQL client programs missing: {', '.join(missing)}")
    try:
        connection = psycopg2.connect(ADMIN_URL, connect_timeout=3)
    except psycopg2.OperationalError as error:
        pytest.skip(f"no PostgreSQL to try the backup on ({error.__class__.__name__})")
    connection.autocommit = True
    return connection


def _url(name: str) -> str:
    parts = urlsplit(ADMIN_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _run(args: list[str], database_url: str, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "REDIS_URL")}
    env.update(DATABASE_URL=database_url, **extra)
    return subprocess.run(  # noqa: S603 - our own scripts and manage.py
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def _counts(database_url: str) -> dict[str, int]:
    import psycopg2

    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM public."{table}"')  # noqa: S608 - names from pg_tables
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT content FROM ita_storedfile WHERE name = 'trial/หลักฐาน.pdf'")
        counts["stored file sha256"] = hashlib.sha256(bytes(cursor.fetchone()[0])).hexdigest()
    connection.close()
    return counts


SAVE_FILE = (
    "import django; django.setup();"
    "from django.core.files.base import ContentFile; from django.core.files.storage import default_storage;"
    f"print(default_storage.save('trial/หลักฐาน.pdf', ContentFile({FILE_BYTES!r})))"
)


def test_backup_drop_restore_gives_back_every_row_and_file(tmp_path):
    admin = _admin()
    name = f"compose_trial_{secrets.token_hex(4)}"
    url = _url(name)
    backups = tmp_path / "backups"
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        python = sys.executable
        for args in (
            [python, "manage.py", "migrate", "--noinput"],
            [python, "manage.py", "seed_demo", "--force"],
            [python, "-c", SAVE_FILE],
        ):
            result = _run(args, url, DJANGO_SETTINGS_MODULE="ita.settings")
            assert result.returncode == 0, result.stderr[-3000:]
        before = _counts(url)
        assert before["ita_storedfile"] == 1 and before["ita_organization"] > 0 and before["auth_user"] > 0

        # An old backup beyond the retention, which the next good backup removes.
        backups.mkdir()
        stale = backups / "ita-20000101T000000Z.dump"
        stale.write_bytes(b"old")
        month_ago = time.time() - 30 * 86400
        os.utime(stale, (month_ago, month_ago))

        result = _run(["scripts/backup.sh"], url, BACKUP_DIR=str(backups), BACKUP_KEEP_DAYS="14")
        assert result.returncode == 0, result.stderr
        dumps = sorted(backups.glob("ita-*.dump"))
        assert not stale.exists()
        assert len(dumps) == 1 and dumps[0].stat().st_mode & 0o077 == 0, "one private dump"

        admin.cursor().execute(f'DROP DATABASE "{name}"')
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        result = _run(["scripts/restore.sh", str(dumps[0])], url)
        assert result.returncode == 0, result.stderr
        assert _counts(url) == before

        # A second restore would mix the backup into live data: refused, nothing changed.
        result = _run(["scripts/restore.sh", str(dumps[0])], url)
        assert result.returncode == 1 and "empty database" in result.stderr
        assert _counts(url) == before
        # The restored database is the app's: no migration is missing.
        result = _run([sys.executable, "manage.py", "migrate", "--check"], url)
        assert result.returncode == 0, result.stdout + result.stderr
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
