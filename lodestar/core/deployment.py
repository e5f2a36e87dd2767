"""What `lodestar serve` asks of the environment before it starts, and how many processes it runs.

Plain functions of the environment and the core count, without Django: the `lodestar` command
calls :func:`environment_problems` before the settings load (a production setting that is
missing stops them with a traceback, not with the list of what to set), and `serve` again.
"""

import os
from collections.abc import Mapping

# What the production profile cannot run without (docs/deploy.md, deploy/lodestar.env.example).
REQUIRED = {
    "SECRET_KEY": "a long random string: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
    "ALLOWED_HOSTS": "the name people reach Lodestar by, e.g. okr.example.com",
    "DATABASE_URL": "e.g. postgres://lodestar@127.0.0.1:5432/lodestar",
}
WORKERS_VARIABLE = "LODESTAR_WEB_WORKERS"
THREADS_VARIABLE = "LODESTAR_WEB_THREADS"
# One worker process per core (granian warns beyond that), each running requests in two threads:
# 2 × cores requests at once, so one waiting for the database leaves its core to the other.
# Each thread may hold a database connection: 16 processes × 2 stay well inside PostgreSQL's
# default max_connections (100) next to the background workers, on any machine.
MAX_DEFAULT_WORKERS = 16
DEFAULT_THREADS = 2
_TRUE = {"1", "true", "yes", "on"}


def environment_problems(environ: Mapping[str, str]) -> list[str]:
    """Every reason the environment is not a production one; empty when `serve` may start."""
    problems = []
    if environ.get("DJANGO_ENV") != "production":
        problems.append(
            "DJANGO_ENV must be production (lodestar serve runs the production profile; `make run` "
            "serves the development one)."
        )
    for name, hint in REQUIRED.items():
        if not environ.get(name, "").strip():
            problems.append(f"{name} is not set ({hint}).")
    if environ.get("DEBUG", "").strip().lower() in _TRUE:
        problems.append("DEBUG is on: it shows settings and code to anyone who meets an error. Remove it.")
    return problems


def refusal(problems: list[str]) -> str:
    """What `serve` says when the environment is not a production one."""
    lines = "\n".join(f"  - {problem}" for problem in problems)
    return (
        "lodestar serve runs Lodestar in production and needs its environment (docs/deploy.md, "
        f"deploy/lodestar.env.example):\n{lines}"
    )


def available_cores() -> int:
    """The cores this process may run on (a CPU affinity or cpuset counts, not the machine's total)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _positive(value: str, source: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ValueError(f"{source}={value!r} is not a positive whole number.")
    return number


def web_workers(requested: int | None, environ: Mapping[str, str], cores: int) -> int:
    """`--workers` if given, else LODESTAR_WEB_WORKERS, else one per core (at most 16)."""
    if requested is not None:
        return _positive(str(requested), "--workers")
    if environ.get(WORKERS_VARIABLE, "").strip():
        return _positive(environ[WORKERS_VARIABLE].strip(), WORKERS_VARIABLE)
    return max(1, min(cores, MAX_DEFAULT_WORKERS))


def web_threads(requested: int | None, environ: Mapping[str, str]) -> int:
    """Request threads per worker process: `--threads`, else LODESTAR_WEB_THREADS, else 2."""
    if requested is not None:
        return _positive(str(requested), "--threads")
    if environ.get(THREADS_VARIABLE, "").strip():
        return _positive(environ[THREADS_VARIABLE].strip(), THREADS_VARIABLE)
    return DEFAULT_THREADS
