"""A fresh machine gets a clear message, not a traceback (issue 13): scripts/check_python.sh and scripts/sysdeps.sh.

Each case runs the real script with /bin/sh and a PATH holding only stand-ins for the commands it asks
(python3, dpkg-query, id, sudo, apt-get, brew, uname…), which record how they were called.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL_TOOLS = ("grep", "head", "ls", "sed", "cat", "tr")


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f'#!/bin/sh\necho "{name} $*" >> "{folder}/calls"\n{body}\n')
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path):
    """A bin folder with the plain tools linked in; stubs are added per test."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in REAL_TOOLS:
        found = shutil.which(tool)
        if found:
            (folder / tool).symlink_to(found)
    (folder / "calls").write_text("")
    return folder


def _python(folder: Path, *, version: str = "3.11", venv: bool = True) -> None:
    newer = tuple(int(part) for part in version.split(".")) >= (3, 11)
    _stub(
        folder,
        "python3",
        f"""case "$*" in
  *'>= (3, 11)'*) exit {0 if newer else 1} ;;
  *'import ensurepip, venv'*) exit {0 if venv else 1} ;;
  *'version_info[:2]'*) echo {version} ;;
esac
exit 0""",
    )


def _run(folder: Path, script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - the project's own script, fixed arguments
        ["/bin/sh", str(ROOT / "scripts" / script), *args],
        env={"PATH": str(folder), **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def _calls(folder: Path) -> str:
    return (folder / "calls").read_text()


def test_an_old_python_is_named_with_what_to_do(machine):
    _python(machine, version="3.10")
    result = _run(machine, "check_python.sh", "python3")
    assert result.returncode == 1
    assert "Python 3.10" in result.stderr and "3.11 or newer" in result.stderr
    assert "make PYTHON=python3.11" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_venv_module_is_named(machine):
    _python(machine, venv=False)
    result = _run(machine, "check_python.sh", "python3")
    assert result.returncode == 1
    assert "apt-get install python3-venv" in result.stderr


def test_a_missing_python_is_named(machine):
    result = _run(machine, "check_python.sh", "python3")
    assert result.returncode == 1
    assert "python3 not found" in result.stderr


def test_a_good_python_passes_silently(machine):
    _python(machine)
    result = _run(machine, "check_python.sh", "python3")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def _debian(folder: Path, *, installed: bool, uid: int, sudo: str | None) -> None:
    _stub(folder, "uname", "echo Linux")
    _stub(folder, "id", f"echo {uid}")
    _stub(folder, "dpkg-query", "echo 'install ok installed'" if installed else "exit 1")
    _stub(folder, "fc-list", "echo 'Garuda:style=Regular'" if installed else "exit 0")
    _stub(folder, "apt-get", "exit 0")
    if installed:
        _stub(folder, "pdftotext", "exit 0")
    if sudo == "no-password":
        _stub(folder, "sudo", 'if [ "$1" = "-n" ]; then exit 0; fi; "$@"')
    elif sudo == "password":
        _stub(folder, "sudo", 'if [ "$1" = "-n" ]; then echo "a password is required" >&2; exit 1; fi; exit 1')
    _python(folder, venv=installed)


def test_everything_installed_means_nothing_said_and_no_sudo(machine):
    """A user without ldconfig on PATH was asked for sudo apt-get on every make: now dpkg-query answers."""
    _debian(machine, installed=True, uid=1000, sudo="password")
    result = _run(machine, "sysdeps.sh")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert "apt-get" not in _calls(machine) and "sudo" not in _calls(machine)


def test_a_user_without_sudo_is_told_the_command(machine):
    _debian(machine, installed=False, uid=1000, sudo=None)
    result = _run(machine, "sysdeps.sh")
    assert result.returncode == 0
    assert "apt-get install python3-venv libpango-1.0-0 libpangoft2-1.0-0 libthai0 fonts-thai-tlwg poppler-utils" in (
        result.stderr
    )
    assert "apt-get" not in _calls(machine)
    assert "Installing" not in result.stdout  # nothing is being installed: say only what to do


def test_sudo_asking_for_a_password_is_not_tried_on_every_make(machine):
    _debian(machine, installed=False, uid=1000, sudo="password")
    result = _run(machine, "sysdeps.sh")
    assert result.returncode == 0
    assert "sudo -n true" in _calls(machine)
    assert "sudo apt-get" not in _calls(machine)
    assert "apt-get install" in result.stderr


def test_root_installs_with_apt_get(machine):
    _debian(machine, installed=False, uid=0, sudo=None)
    result = _run(machine, "sysdeps.sh", WITH_BROWSER="1")
    assert result.returncode == 0
    assert "apt-get install -y -qq python3-venv libpango-1.0-0" in _calls(machine)
    assert "chromium" in _calls(machine)


def test_macos_is_told_homebrew_names(machine):
    _stub(machine, "uname", "echo Darwin")
    _stub(machine, "brew", "exit 1")
    result = _run(machine, "sysdeps.sh", WITH_BROWSER="1")
    assert result.returncode == 0
    assert "brew install pango poppler" in result.stderr
    assert "brew install --cask chromium" in result.stderr
    assert "libpango-1.0-0" not in result.stderr and "apt-get" not in result.stderr
