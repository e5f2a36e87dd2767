"""Trigram indexes for global search on PostgreSQL (see lodestar.core.trigram)."""

from django.db import migrations

from lodestar.core.trigram import trigram_indexes

# index name: (table, column)
INDEXES = {
    "accounts_user_full_name_trgm": ("accounts_user", "full_name"),
    "accounts_user_email_trgm": ("accounts_user", "email"),
}


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [trigram_indexes(INDEXES)]
