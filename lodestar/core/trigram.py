"""Trigram indexes for global search (lodestar.search.selectors), on PostgreSQL only; the
migrations of each app that owns a searched table call this.

Search matches ``LOWER(column) LIKE LOWER(pattern)``; a GIN index of pg_trgm trigrams over
``LOWER(column::text)`` serves it for patterns with three letters or digits in a row, instead of
reading every row. The expression is deliberately not the ``UPPER(column::text)`` of Django's
``icontains``: other pages' icontains queries run as prepared statements with generic plans, which
would pick this index even for a pattern without any trigram ("e"), and pg_trgm then reads the
whole index (the alignment search measured 60 ms instead of 3 ms).

SQLite has no such index and needs none at its scale, so this does nothing there; the models do
not declare these indexes (they could not be created on SQLite). Built CONCURRENTLY, so that
writes go on while a large installation migrates (the migration must say ``atomic = False``).
Creating the pg_trgm extension needs a role allowed to (a superuser, or the database owner on
PostgreSQL 13+, where pg_trgm is a trusted extension).
"""

from django.db import migrations


def trigram_indexes(indexes: dict[str, tuple[str, str]]) -> migrations.RunPython:
    """A migration operation creating (and on reverse dropping) ``{index name: (table, column)}``."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, column) in indexes.items():
            schema_editor.execute(
                f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{name}" '
                f'ON "{table}" USING gin ((LOWER("{column}"::text)) gin_trgm_ops)'
            )
        for table in {table for table, _ in indexes.values()}:
            schema_editor.execute(f'ANALYZE "{table}"')  # statistics of the indexed expression, for the planner

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')

    return migrations.RunPython(create, drop, elidable=False)
