#!/bin/sh
# Can the Python that make will use ($1, default python3) run this project? Exit 1 with what to do when not.
PYTHON="${1:-python3}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "$PYTHON not found. Install Python 3.11 or newer, or name it: make PYTHON=/path/to/python3.11" >&2
  exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; then
  version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo "unknown")
  echo "$PYTHON is Python $version; this project needs Python 3.11 or newer (datetime.UTC, enum.StrEnum)." >&2
  echo "Install a newer Python and run: make PYTHON=python3.11 (or python3.12, python3.13)" >&2
  exit 1
fi
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  echo "$PYTHON has no venv module. Debian/Ubuntu: apt-get install python3-venv (make does it when run as root)." >&2
  exit 1
fi
