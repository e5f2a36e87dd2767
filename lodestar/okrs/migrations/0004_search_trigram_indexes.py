"""Trigram indexes for global search on PostgreSQL (see lodestar.core.trigram)."""

from django.db import migrations

from lodestar.core.trigram import trigram_indexes

# index name: (table, column)
INDEXES = {
    "okrs_objective_title_trgm": ("okrs_objective", "title"),
    "okrs_objective_description_trgm": ("okrs_objective", "description"),
    "okrs_keyresult_title_trgm": ("okrs_keyresult", "title"),
}


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ('okrs', '0003_timeframe_current_and_progress_snapshots'),
    ]

    operations = [trigram_indexes(INDEXES)]
