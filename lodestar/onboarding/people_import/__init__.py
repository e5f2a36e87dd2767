"""Bulk onboarding from a spreadsheet: reading the file (``reading``), deciding each row's outcome
(``planning``), writing it in bulk (``applying``), the services that run them (``services``) and
the downloadable template (``template``)."""
