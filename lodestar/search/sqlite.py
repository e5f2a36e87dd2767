"""Case-insensitive search on SQLite as on PostgreSQL: SQLite's own ``LOWER`` leaves every letter
but A to Z as it is, so "ÄNDERUNG" would not find "Änderung" there. Search lowers text with
UNICODE_LOWER instead, which is Python's ``str.lower``, registered on each new SQLite connection
(lodestar.search.apps); PostgreSQL's ``LOWER`` already lowers Ä, Ö, Ü and the rest."""

UNICODE_LOWER = "lodestar_lower"


def _lower(text: str | None) -> str | None:
    return None if text is None else str(text).lower()


def register_unicode_lower(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(UNICODE_LOWER, 1, _lower, deterministic=True)
