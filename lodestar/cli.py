"""The ``lodestar`` command: Django's manage.py for an installed Lodestar."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")
    from django.core.management import execute_from_command_line

    argv = sys.argv
    if len(argv) > 1 and argv[1] in ("--help", "-h"):
        argv = [argv[0], "help"]
    if len(argv) > 1 and argv[1] == "serve" and not {"-h", "--help"} & set(argv):
        _refuse_serve_without_production_environment()
    execute_from_command_line(argv)


def _refuse_serve_without_production_environment() -> None:
    """Before the settings load: without SECRET_KEY they stop with a traceback naming one variable,
    where `serve` should list everything production still needs."""
    from lodestar.core.deployment import environment_problems, refusal

    problems = environment_problems(os.environ)
    if problems:
        sys.stderr.write(f"{refusal(problems)}\n")
        raise SystemExit(2)


if __name__ == "__main__":
    main()
