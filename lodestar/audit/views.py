"""The audit log page (owners and admins; others get 403, other organizations 404)."""

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lodestar.audit import presenting, selectors
from lodestar.audit.forms import LogFilterForm
from lodestar.audit.models import AuditEvent
from lodestar.core.pagination import page_of
from lodestar.core.responses import denied
from lodestar.orgs.models import Group, Membership

PER_PAGE = 50


@dataclass(frozen=True)
class Row:
    event: AuditEvent
    action: str
    who_url: str
    about_url: str
    details: list


@require_GET
def log(request, org_slug):
    """Who did what to the organization's security, when and from where; filtered by the query
    string, 50 rows a page, a fixed number of queries whatever the page holds."""
    membership = request.membership
    if not membership.is_admin:
        return denied(request, _("Only owners and admins can read the audit log."))
    organization_id = membership.organization_id
    form = LogFilterForm(request.GET, viewer=membership)
    filters = form.filters()
    page = page_of(selectors.events(organization_id, filters), request.GET.get("page"), per_page=PER_PAGE)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": _rows(org_slug, organization_id, list(page.object_list)),
        "query": urlencode(form.query()),
    }
    return render(request, "audit/log.html", context, status=422 if form.errors else 200)


def _rows(org_slug: str, organization_id: int, events: list[AuditEvent]) -> list[Row]:
    people = selectors.people_of(organization_id, [event.actor_id for event in events])
    memberships = selectors.existing(
        Membership, organization_id, [event.target_id for event in events if event.target_type == "orgs.membership"]
    )
    groups = selectors.existing(
        Group, organization_id, [event.target_id for event in events if event.target_type == "orgs.group"]
    )

    def person_url(pk) -> str:
        return reverse("directory:person", kwargs={"org_slug": org_slug, "membership_id": pk})

    def about_url(event) -> str:
        pk = int(event.target_id) if event.target_id.isdigit() else None
        if event.target_type == "orgs.membership" and pk in memberships:
            return person_url(pk)
        if event.target_type == "orgs.group" and pk in groups:
            return reverse("directory:group", kwargs={"org_slug": org_slug, "group_id": pk})
        return ""

    return [
        Row(
            event=event,
            action=presenting.action_label(event.action),
            who_url=person_url(people[event.actor_id].pk) if event.actor_id in people else "",
            about_url=about_url(event),
            details=presenting.details_of(event.details),
        )
        for event in events
    ]
