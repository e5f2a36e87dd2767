"""Trigram indexes for global search on PostgreSQL (see lodestar.core.trigram)."""

from django.db import migrations

from lodestar.core.trigram import trigram_indexes

# index name: (table, column)
INDEXES = {
    "orgs_group_name_trgm": ("orgs_group", "name"),
    "orgs_membership_job_title_trgm": ("orgs_membership", "job_title"),
}


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ('orgs', '0001_initial'),
    ]

    operations = [trigram_indexes(INDEXES)]
