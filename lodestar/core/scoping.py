"""Tenant scoping: every organization-owned model is read inside an organization scope.

Organization-owned models use ``OrganizationScopedManager``; a query on them
outside ``organization_scope(...)`` raises ``ScopeError`` instead of silently
returning every organization's rows. The scope is entered by the web
middleware, management commands and background tasks.

Escape hatch: ``all_organizations()`` turns scoping off. It exists for the
Django admin (platform operators), the demo and data generators and tests'
set-up; grep for it when auditing.
"""

from contextlib import contextmanager

from django.db import models
from django_scopes import ScopedManager, scope, scopes_disabled


def OrganizationScopedManager(queryset_class=models.QuerySet):  # noqa: N802 - reads like a class
    return ScopedManager(_manager_class=models.Manager.from_queryset(queryset_class), organization="organization")


@contextmanager
def organization_scope(organization):
    """Limit every scoped query to one organization (never None: that would mean all)."""
    if organization is None or getattr(organization, "pk", None) is None:
        raise ValueError("organization_scope needs a saved organization")
    with scope(organization=organization):
        yield


@contextmanager
def all_organizations():
    """Audited escape hatch: read across organizations. Do not use in request handling."""
    with scopes_disabled():
        yield
