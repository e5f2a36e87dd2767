"""Fast bulk loading: PostgreSQL COPY through psycopg, plain batched INSERTs elsewhere.

Rows are tuples in the order of ``columns``; ids are chosen by the caller (see
``IdAllocator``) so that rows can reference each other before they are written.
"""

from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection


class IdAllocator:
    """Hands out ids above the current maximum of each table; ``finish`` moves the sequences on."""

    def __init__(self):
        self._next: dict[type, int] = {}

    def take(self, model, count: int = 1) -> int:
        """The first of ``count`` consecutive new ids for ``model``."""
        if model not in self._next:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
                self._next[model] = cursor.fetchone()[0] + 1
        first = self._next[model]
        self._next[model] = first + count
        return first

    def finish(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def row_count(model) -> int:
    """How many rows a table holds, across organizations (a statistics estimate goes stale after
    a large delete, so this counts)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {model._meta.db_table}")
        return cursor.fetchone()[0]


@contextmanager
def indexes_deferred(model, *, expected_rows: int):
    """On PostgreSQL, load ``model``'s table without its secondary indexes and foreign keys,
    then build them once at the end (much faster than maintaining them row by row).

    Only pays when the load is larger than what the table already holds (rebuilding indexes
    over millions of existing rows costs more than it saves), so it does nothing otherwise,
    and nothing on other databases. Runs inside the caller's transaction: the table is locked
    until commit, and any failure rolls the schema back too.
    """
    if connection.vendor != "postgresql" or row_count(model) > expected_rows:
        yield
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = %s::regclass AND NOT indisprimary "
            "AND indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        indexes = cursor.fetchall()
        # Constraint changes need the referenced tables free of pending deferred checks: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def write_rows(model, columns: Sequence[str], rows: Iterable[tuple], *, batch_size: int = 5000) -> int:
    """Write rows into ``model``'s table; returns how many were written."""
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        return _copy(table, columns, rows)
    return _insert(table, columns, rows, batch_size)


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(column) for column in columns)  # "primary" is a keyword


def _copy(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    count = 0
    statement = f"COPY {table} ({_quoted(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _insert(table: str, columns: Sequence[str], rows: Iterable[tuple], batch_size: int) -> int:
    sql = f"INSERT INTO {table} ({_quoted(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    count, batch = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def delete_organization_rows(organization) -> None:
    """Delete an organization and everything in it with one DELETE per table.

    Much faster than the ORM's cascade for millions of rows; foreign keys are deferred,
    so the order does not matter within the transaction. Accounts left without any
    membership are deleted too.
    """
    from allauth.account.models import EmailAddress
    from django.apps import apps

    from lodestar.accounts.models import User
    from lodestar.orgs.models import Membership, Organization

    owned = [
        model
        for model in apps.get_models()
        if model is not Organization and any(f.column == "organization_id" for f in model._meta.concrete_fields)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT user_id FROM {Membership._meta.db_table} WHERE organization_id = %s",
            [organization.pk],
        )
        user_ids = [row[0] for row in cursor.fetchall()]
        for model in owned:
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE organization_id = %s", [organization.pk])
        cursor.execute(f"DELETE FROM {Organization._meta.db_table} WHERE id = %s", [organization.pk])
        users, memberships = User._meta.db_table, Membership._meta.db_table
        for start in range(0, len(user_ids), 5000):
            chunk = user_ids[start : start + 5000]
            listed = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"DELETE FROM {EmailAddress._meta.db_table} WHERE user_id IN ({listed}) "
                f"AND NOT EXISTS (SELECT 1 FROM {memberships} m WHERE m.user_id = {EmailAddress._meta.db_table}.user_id)",
                chunk,
            )
            cursor.execute(
                f"DELETE FROM {users} WHERE id IN ({listed}) "
                f"AND NOT EXISTS (SELECT 1 FROM {memberships} m WHERE m.user_id = {users}.id)",
                chunk,
            )
