"""Reading the audit log: one organization's rows, newest first, narrowed by the filters."""

from django.db.models import Q, QuerySet

from lodestar.audit.forms import LogFilters
from lodestar.audit.models import AuditEvent
from lodestar.orgs.models import Membership


def events(organization_id: int, filters: LogFilters) -> QuerySet:
    found = AuditEvent.objects.filter(organization_id=organization_id)
    if filters.actions:
        found = found.filter(action__in=filters.actions)
    if filters.person is not None:
        found = found.filter(about_person(filters.person))
    if filters.since is not None:
        found = found.filter(occurred_at__gte=filters.since)
    if filters.until is not None:
        found = found.filter(occurred_at__lt=filters.until)
    return found.order_by("-occurred_at", "-pk")


def about_person(person: Membership) -> Q:
    """Rows the person acted in, or that are about them (their membership or their account)."""
    return (
        Q(actor_id=person.user_id)
        | Q(target_type="orgs.membership", target_id=str(person.pk))
        | Q(target_type="accounts.user", target_id=str(person.user_id))
    )


def people_of(organization_id: int, user_ids) -> dict[int, Membership]:
    """The memberships here of the accounts named by a page of rows, by account (one query), to
    link each row's person to their page."""
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return {}
    found = Membership.objects.filter(organization_id=organization_id, user_id__in=ids)
    return {membership.user_id: membership for membership in found}


def existing(model, organization_id: int, ids) -> set[int]:
    """Which of these ids of the organization's ``model`` rows still exist (one query), so that a
    row links only to what is there."""
    ids = {int(pk) for pk in ids if str(pk).isdigit()}
    if not ids:
        return set()
    return set(model.objects.filter(organization_id=organization_id, pk__in=ids).values_list("pk", flat=True))
