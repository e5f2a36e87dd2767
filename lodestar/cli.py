"""The ``lodestar`` command: Django's manage.py for an installed Lodestar."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")
    from django.core.management import execute_from_command_line

    argv = sys.argv
    if len(argv) > 1 and argv[1] in ("--help", "-h"):
        argv = [argv[0], "help"]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
