#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    if sys.version_info < (3, 11):  # noqa: UP036 - the point is to say so on an older Python
        major, minor = sys.version_info[:2]
        sys.exit(f"This project needs Python 3.11 or newer; this is Python {major}.{minor}.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
