"""The activity feed pages. ``?before=<id>`` pages back; htmx appends the next page in place."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from lodestar.activity import selectors
from lodestar.orgs.access import access_group, access_membership


def _before(request) -> int | None:
    """The id to page back from; anything else starts at the newest."""
    value = request.GET.get("before", "")
    return int(value) if value.isdecimal() and 0 < int(value) < 2**63 else None


def _render(request, page, *, heading, group=None, person=None):
    context = {"page": page, "heading": heading, "group": group, "person": person}
    template = "activity/partials/feed_page.html" if request.htmx else "activity/feed.html"
    return render(request, template, context)


@require_safe
def organization_feed(request, org_slug):
    page = selectors.feed(request.membership, before=_before(request))
    return _render(request, page, heading=request.organization.name)


@require_safe
def group_feed(request, org_slug, group_id):
    group = access_group(request.membership, group_id)
    page = selectors.feed(request.membership, group_id=group.pk, before=_before(request))
    return _render(request, page, heading=group.name, group=group)


@require_safe
def person_feed(request, org_slug, membership_id):
    person = access_membership(request.membership, membership_id)
    page = selectors.feed(request.membership, person_id=person.pk, before=_before(request))
    return _render(request, page, heading=person.full_name, person=person)
