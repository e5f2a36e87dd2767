"""Tenant scoping: every organization-owned model is read inside an organization scope.

Organization-owned models use ``OrganizationScopedManager``; a query on them
outside ``organization_scope(...)`` raises ``ScopeError`` instead of silently
returning every organization's rows. The scope is entered by the web
middleware, management commands and background tasks.

Escape hatch: ``all_organizations()`` turns scoping off; its docstring lists every
use. Grep for it when auditing, and add a new use to that list.
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
    """Audited escape hatch: query across organizations. Never in request handling once the
    organization is known; every use is listed here (``grep -rn all_organizations lodestar``).

    Requests: the admin, and lookups made before the organization is known (they find it):
      - ``lodestar.orgs.middleware``: the Django admin, for platform operators, spans all
        organizations (read-only: ``lodestar.core.admin``); and the membership lookup that
        decides a request's organization, limited to the signed-in user.
      - ``lodestar.api.auth``: an API token by its unique random prefix (and its last-used
        stamp); a browser session's own memberships, by user.
      - ``lodestar.feeds.services.find_push_feed``: a push feed by its secret URL's unique prefix.
      - ``lodestar.scim.services.authenticate``: a SCIM token by its unique random prefix (and its
        last-used stamp); ``_change_account``: whether an account is in any other organization.
      - ``lodestar.notifications.views``: the unsubscribe link's signed membership id.
      - ``lodestar.sso.services``: single sign-on before an organization is chosen — the provider a
        sign-in names (``find_provider``), the organization that verified an address's domain
        (``provider_for_email``), whether another organization verified a domain first, and the
        signing-in person's own memberships in organizations that require single sign-on.
      - ``lodestar.audit.listeners``: a signed-in (or wrongly typed) account's own active
        memberships, by user, to log the sign-in in each of its organizations.

    The worker, which serves every organization (each item then runs in its own scope):
      - ``lodestar.worker.outbox``: claiming the next outbox item and recording its result.
      - ``lodestar.worker.schedule``: whether any outbox has something to deliver.
      - ``lodestar.orgs.selectors.each_organization``: the periodic jobs' list of organizations.
      - ``lodestar.feeds.services.claim_due_feed`` and ``lodestar.feeds.tasks``: due polls.
      - ``lodestar.api.services.sweep_call_counts``: forgetting old rate-limit windows.
      - ``lodestar.rollout.snapshots``: claiming the next due adoption snapshot (``claim_due``),
        and whether any is due or forgotten (``enqueue_due``).

    The demo: ``lodestar.demo.management.commands.load_demo`` deletes the demo organization and
    its people (the demo builder and ``generate_org`` work inside the new organization's scope).

    Tests: ``tests/conftest.py`` sets up data with scoping off; requests still enter their own scope.
    """
    with scopes_disabled():
        yield
