"""Running a service as one transaction, retried when the database reports a conflict."""

import functools
import time

from django.db import OperationalError, connection, transaction

# PostgreSQL: serialization_failure, deadlock_detected. SQLite: a writer that waited too long.
_RETRYABLE_SQLSTATES = {"40001", "40P01"}
_ATTEMPTS = 4


def _is_conflict(error: OperationalError) -> bool:
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in _RETRYABLE_SQLSTATES:
        return True
    return "database is locked" in str(error)


def atomic_service(func):
    """Run ``func`` in a transaction; when it is the outermost one, retry it on a write conflict."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if connection.in_atomic_block:
            with transaction.atomic():
                return func(*args, **kwargs)
        for attempt in range(_ATTEMPTS):
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except OperationalError as error:
                if attempt == _ATTEMPTS - 1 or not _is_conflict(error):
                    raise
                time.sleep(0.01 * (2**attempt))
        raise AssertionError("unreachable")

    return wrapper
