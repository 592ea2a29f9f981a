"""No Docker engine runs here, so check that docker-compose.yml names only things the project has."""

import importlib
import importlib.util
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from celery.beat import Scheduler
from django.conf import settings
from django.core.management import get_commands
from django.test import Client
from kombu.utils.imports import symbol_by_name

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
REQUIREMENTS = {
    re.split(r"[=<>]", line)[0].strip().lower()
    for line in (ROOT / "requirements.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
}
APP_SERVICES = ["migrate", "web", "worker", "beat"]
LONG_RUNNING = ["web", "worker", "beat"]
HEALTH_SCRIPT = "/app/scripts/healthcheck.py"  # WORKDIR /app in the Dockerfile


def _commands():
    for name, service in COMPOSE["services"].items():
        if "command" in service and name in APP_SERVICES:
            yield name, service["command"]
        test = service.get("healthcheck", {}).get("test")
        if test and name in APP_SERVICES:
            assert test[0] == "CMD", f"{name}: an app health check runs a program, not a shell line"
            yield name, test[1:]


def _health_script():
    spec = importlib.util.spec_from_file_location("healthcheck_script", ROOT / "scripts" / "healthcheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _option(command: list[str], name: str) -> str:
    assert name in command, f"{name} missing from {command}"
    return command[command.index(name) + 1]


@pytest.mark.parametrize(("service", "command"), list(_commands()))
def test_every_app_command_exists(service, command):
    program = command[0]
    if program == "python" and command[1] == HEALTH_SCRIPT:
        _health_script().make_parser().parse_args(command[2:])  # exits (fails the test) on unknown arguments
    elif program == "python":
        assert command[1] == "manage.py"
        assert command[2] in get_commands(), f"{service}: no management command {command[2]!r}"
    elif program == "gunicorn":
        assert "gunicorn" in REQUIREMENTS
        module, _, attribute = command[1].partition(":")
        assert callable(getattr(importlib.import_module(module), attribute))
    elif program == "celery":
        assert "celery" in REQUIREMENTS
        assert command[1:3] == ["-A", "ita"]
        assert importlib.import_module("ita.celery").app.main == "ita"
        if "--scheduler" in command:
            assert issubclass(symbol_by_name(_option(command, "--scheduler")), Scheduler)
    else:
        pytest.fail(f"{service}: unknown program {program!r}")


def test_app_services_build_this_project_and_use_production_settings():
    assert (ROOT / "Dockerfile").is_file()
    for name in APP_SERVICES:
        service = COMPOSE["services"][name]
        assert service["build"] == "."
        env = service["environment"]
        assert env["DEBUG"] == "0"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://")


def test_every_service_has_a_health_check_or_is_one_shot():
    for name, service in COMPOSE["services"].items():
        assert "healthcheck" in service or name == "migrate", name


def test_dockerfile_installs_only_pinned_requirements():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert "==" in line, f"unpinned requirement: {line}"


@pytest.mark.django_db
def test_healthz_reports_ok():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "problems": [], "missing": []}


def test_dockerfile_collects_static_files_with_the_production_storage_as_root():
    # DEBUG=1 would write no manifest, and every page would then fail under WhiteNoise's storage;
    # after `USER ita` the build could not write /app/staticfiles at all.
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    collect = next(i for i, line in enumerate(lines) if "manage.py collectstatic" in line)
    command = " ".join(lines[collect - 1 : collect + 1])
    assert "DEBUG=0" in command
    assert "SECRET_KEY=" in command
    assert collect < lines.index("USER ita")
    # The build's environment must pass the production settings' guards (secret key, SITE_URL).
    build_env = dict(word.split("=", 1) for word in command.split() if "=" in word and word[0].isupper())
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "SITE_URL")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='ita.settings'; django.setup()",
        ],
        cwd=ROOT,
        env={**env, **build_env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-500:]


def test_the_image_leaves_out_the_local_environment():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "var"} <= ignored


def test_web_is_reachable_only_through_the_trusted_proxy():
    web = COMPOSE["services"]["web"]
    # One trusted proxy appends X-Forwarded-For; a direct connection could forge it, so none is allowed.
    assert web["environment"]["TRUSTED_PROXY_COUNT"] == "1"
    assert all(port.startswith("127.0.0.1:") for port in web["ports"])
    assert web["environment"]["CSRF_TRUSTED_ORIGINS"].startswith("https://")
    assert web["environment"]["SITE_URL"].startswith("https://")


def _image_environment(tmp_path: Path) -> dict[str, str]:
    """The production container's environment: the Dockerfile's ENV lines plus what compose passes in."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("ENV "):
            env.update(pair.split("=", 1) for pair in line[4:].split())
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o555)
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o777)
    env.update(
        HOME=str(home),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="ita.example.go.th",
        SITE_URL="https://ita.example.go.th",
        DATABASE_URL=f"sqlite:///{data / 'ita.sqlite3'}",
    )
    return env


def _unprivileged() -> list[str]:
    """A command prefix that takes away root's power to write where file permissions say no.

    As root (CI containers) the process keeps uid 0 but loses the capabilities that bypass file
    permissions, so a read-only HOME really is read-only to it; as any other user nothing is needed.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux): cannot drop the file-permission capabilities")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner,-chown", "--"]


SMOKE = (
    "import django; django.setup(); from pythainlp.tokenize import word_tokenize;"
    "print('|'.join(word_tokenize('ความโปร่งใสภายในหน่วยงาน', engine='newmm')))"
)


@pytest.mark.slow
def test_the_image_starts_as_an_unprivileged_user_with_a_read_only_home(tmp_path):
    """pythainlp makes ~/pythainlp-data on import; the image's user cannot write its home (issue 13)."""
    env = _image_environment(tmp_path)
    prefix = _unprivileged()
    commands = {
        "check": [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        "migrate": [sys.executable, "manage.py", "migrate", "--plan"],
        "tokenize": [sys.executable, "-c", SMOKE],
    }
    results = {
        name: subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            prefix + command,
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "ita.settings"},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        for name, command in commands.items()
    }
    for name, result in results.items():
        assert result.returncode == 0, f"{name} failed as an unprivileged user:\n{result.stderr[-3000:]}"
    assert "No issues" in results["check"].stdout or "no issues" in results["check"].stdout
    assert "Create model Organization" in results["migrate"].stdout
    assert results["tokenize"].stdout.strip() == "ความ|โปร่งใส|ภายใน|หน่วยงาน"
    assert list(Path(env["HOME"]).iterdir()) == [], "something wrote into the read-only home"


@pytest.mark.slow
def test_the_read_only_home_is_really_read_only_to_the_test(tmp_path):
    """The test above proves something only if its process cannot write the home it is given."""
    env = _image_environment(tmp_path)
    probe = Path(env["HOME"]) / "probe"
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [*_unprivileged(), sys.executable, "-c", f"open({str(probe)!r}, 'w')"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0 and "Permission denied" in result.stderr
    assert not probe.exists()


def test_beat_sends_the_scheduled_sweep_and_runs_once():
    beat = COMPOSE["services"]["beat"]
    assert beat["command"][:4] == ["celery", "-A", "ita", "beat"]
    assert beat["deploy"]["replicas"] == 1  # two beats would send every task twice
    # The schedule is the settings' (no -s schedule of its own on the command line) and names real tasks.
    from ita.celery import app

    app.loader.import_default_modules()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "ita.sweep_jobs" in tasks
    assert tasks <= set(app.tasks)


def test_worker_has_memory_and_time_limits_under_the_visibility_timeout():
    command = COMPOSE["services"]["worker"]["command"]
    assert int(_option(command, "--max-memory-per-child")) > 0
    soft, hard = int(_option(command, "--soft-time-limit")), int(_option(command, "--time-limit"))
    assert 0 < soft < hard
    # A task still running when Redis hands it back would run twice: every hard limit stays below that.
    from ita.importers.jobs import PHASE_HARD_LIMIT
    from reports.rendering import TIME_LIMIT

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert max(hard, PHASE_HARD_LIMIT.total_seconds(), TIME_LIMIT) < visibility


def test_health_checks_start_neither_django_nor_a_celery_client():
    for name, service in COMPOSE["services"].items():
        words = " ".join(service["healthcheck"]["test"]) if "healthcheck" in service else ""
        assert "manage.py" not in words and "celery" not in words, name
    assert _option(COMPOSE["services"]["web"]["healthcheck"]["test"], "url").endswith("/healthz")
    # The probe's Host header must be one the app accepts.
    web = COMPOSE["services"]["web"]
    assert _option(web["healthcheck"]["test"], "--host") == web["environment"]["ALLOWED_HOSTS"]
    for name in ("worker", "beat"):
        service = COMPOSE["services"][name]
        assert _option(service["healthcheck"]["test"], "file") == service["environment"]["LIVENESS_FILE"]


def test_health_script_uses_the_standard_library_only():
    source = (ROOT / "scripts" / "healthcheck.py").read_text()
    imported = set(re.findall(r"^(?:from|import) (\w+)", source, re.MULTILINE))
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


def test_redis_requires_a_password_and_every_redis_url_carries_it():
    redis = COMPOSE["services"]["redis"]
    password = _option(redis["command"], "--requirepass")
    assert password.startswith("${REDIS_PASSWORD:?")
    assert redis["environment"]["REDISCLI_AUTH"] == password
    urls = [
        (name, value)
        for name, service in COMPOSE["services"].items()
        for value in (service.get("environment") or {}).values()
        if str(value).startswith("redis://")
    ]
    assert {name for name, _ in urls} >= set(APP_SERVICES)
    for name, url in urls:
        assert url.startswith(f"redis://:{password}@"), f"{name}: {url}"


def test_celery_and_the_cache_never_unpickle():
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_SERIALIZER == settings.CELERY_RESULT_SERIALIZER == "json"


def test_a_backup_service_dumps_the_database_on_a_schedule_into_a_volume():
    backup = COMPOSE["services"]["backup"]
    assert backup["image"].startswith("postgres:")
    assert "/scripts/backup.sh" in " ".join(backup["command"])
    assert "sleep" in " ".join(backup["command"])
    assert "backups:/backups" in backup["volumes"]
    assert backup["environment"]["BACKUP_DIR"] == "/backups"
    assert int(backup["environment"]["BACKUP_KEEP_DAYS"].strip("${}").split(":-")[1]) > 0
    assert "backups" in COMPOSE["volumes"]
    for script in ("backup.sh", "restore.sh"):
        assert os.access(ROOT / "scripts" / script, os.X_OK), script


def test_no_app_service_keeps_state_on_local_disk():
    for name in APP_SERVICES:
        service = COMPOSE["services"][name]
        assert "volumes" not in service, f"{name} mounts a volume"
        assert "MEDIA_ROOT" not in service["environment"], name
    assert "media" not in COMPOSE["volumes"]
    # Uploaded files go to the database with everything else.
    assert settings.STORAGES["default"]["BACKEND"] == "ita.storage.files.DatabaseStorage"
