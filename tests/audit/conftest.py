"""Helpers of the audit log's tests: the rows an organization logged."""

from lodestar.audit.models import AuditEvent


def logged(organization, action=None):
    """The organization's audit rows, oldest first (of one action when given)."""
    found = AuditEvent.objects.filter(organization=organization)
    if action is not None:
        found = found.filter(action=action)
    return list(found.order_by("occurred_at", "pk"))


def last(organization, action):
    rows = logged(organization, action)
    assert rows, f"nothing logged as {action}"
    return rows[-1]
