"""Trigram indexes for global search (lodestar.search.selectors), on PostgreSQL only.

Search matches ``LOWER(column) LIKE LOWER(pattern)``; a GIN index of pg_trgm trigrams over
``LOWER(column::text)`` serves it for patterns with three letters or digits in a row, instead of
reading every row. The expression is deliberately not the ``UPPER(column::text)`` of Django's
``icontains``: other pages' icontains queries run as prepared statements with generic plans, which
would pick this index even for a pattern without any trigram ("e"), and pg_trgm then reads the
whole index (the alignment search measured 60 ms instead of 3 ms).

SQLite has no such index and needs none at its scale, so this does nothing there; the models do
not declare these indexes (they could not be created on SQLite). Built CONCURRENTLY, so that
writes go on while a large installation migrates.
"""

from django.db import migrations

# index name: (table, column)
INDEXES = {
    "orgs_group_name_trgm": ("orgs_group", "name"),
    "orgs_membership_job_title_trgm": ("orgs_membership", "job_title"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{name}" ON "{table}" USING gin ((LOWER("{column}"::text)) gin_trgm_ops)'
        )
    for table in {table for table, _ in INDEXES.values()}:
        schema_editor.execute(f'ANALYZE "{table}"')  # statistics of the indexed expression, for the planner


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ('orgs', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
