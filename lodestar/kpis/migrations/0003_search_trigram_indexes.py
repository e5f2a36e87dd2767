"""Trigram indexes for global search on PostgreSQL (see lodestar.core.trigram)."""

from django.db import migrations

from lodestar.core.trigram import trigram_indexes

# index name: (table, column)
INDEXES = {
    "kpis_kpi_name_trgm": ("kpis_kpi", "name"),
}


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ('kpis', '0002_drop_redundant_organization_indexes'),
    ]

    operations = [trigram_indexes(INDEXES)]
