"""The directory everyone reads: groups and people, with the goals they hold and the KPIs they watch."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from lodestar.core.pagination import page_of
from lodestar.core.validation import clean_search
from lodestar.kpis import selectors as kpi_selectors
from lodestar.okrs import coaching
from lodestar.okrs import selectors as goals
from lodestar.okrs.page_timeframe import selected_timeframe
from lodestar.orgs import selectors
from lodestar.orgs.access import access_group, access_membership
from lodestar.orgs.cards import Person
from lodestar.orgs.models import Role

PEOPLE_PER_PAGE = 50
GROUPS_PER_PAGE = 50


@require_safe
def group_list(request, org_slug):
    """The groups as a tree (top level and one level below), with leads, size and the progress of
    their objectives in the timeframe, GROUPS_PER_PAGE rows a page."""
    membership = request.membership
    view = selected_timeframe(request)
    organization_id = membership.organization_id
    page = page_of(selectors.group_tree(organization_id), request.GET.get("page"), per_page=GROUPS_PER_PAGE)
    groups = selectors.group_rows(organization_id, page.object_list)
    progress = goals.groups_progress(membership, view.timeframe, [g.id for g in groups]) if view.timeframe else {}
    rows = [(group, *progress.get(group.id, (0.0, 0))) for group in groups]
    context = {**view.context(), "timeframe_scoped": True, "groups": rows, "page": page}
    return render(request, "directory/groups.html", context)


@require_safe
def group_detail(request, org_slug, group_id):
    """A group: its objectives in the timeframe, sub-groups, leads and members."""
    membership = request.membership
    group = access_group(membership, group_id)
    view = selected_timeframe(request)
    subgroups = selectors.sub_groups(membership.organization_id, group.pk)
    progress = {}
    objectives = []
    if view.timeframe:
        objectives = goals.level_objectives(membership, view.timeframe, group=group)
        progress = goals.groups_progress(membership, view.timeframe, [group.pk, *(row.id for row in subgroups)])
    return render(
        request,
        "directory/group.html",
        {
            **view.context(),
            "timeframe_scoped": True,
            "group": group,
            "objectives": objectives,
            "group_progress": progress.get(group.pk, (0.0, 0)),
            "subgroups": [(row, *progress.get(row.id, (0.0, 0))) for row in subgroups],
            "members": selectors.group_members(group),
            "kpis": kpi_selectors.group_kpis(membership, group, today=view.today),
            "new_objective_url": _new_objective_url(org_slug, view.timeframe, level="group", group=group.pk),
            "coach_summary": coaching.group_summary(request.organization, group, objectives, today=view.today),
            "check_in_ids": goals.list_check_in_ids(membership, objectives),
            "automatic_status": request.organization.automatic_status,
        },
    )


def _new_objective_url(org_slug, timeframe, **prefill) -> str:
    if timeframe is not None:
        prefill["timeframe"] = timeframe.pk
    return f"{reverse('okrs:objective_create', kwargs={'org_slug': org_slug})}?{urlencode(prefill)}"


@require_safe
def people(request, org_slug):
    """Everyone in the organization, 50 per page, searchable by name, e-mail or job title."""
    query = clean_search(request.GET.get("q", ""))
    people = selectors.people_page(request.membership.organization_id, query=query)
    page = page_of(people, request.GET.get("page"), per_page=PEOPLE_PER_PAGE)
    roles = dict(Role.choices)
    rows = [
        (Person(row["id"], row["user__full_name"], row["user__email"]), row["job_title"], roles[row["role"]])
        for row in page.object_list
    ]
    return render(request, "directory/people.html", {"page": page, "people": rows, "query": query})


@require_safe
def person(request, org_slug, membership_id):
    """A person: what they lead, own and contribute to in the timeframe, their groups and manager."""
    membership = request.membership
    person = access_membership(membership, membership_id)
    view = selected_timeframe(request)
    objectives = goals.person_objectives(membership, person, view.timeframe) if view.timeframe else []
    return render(
        request,
        "directory/person.html",
        {
            **view.context(),
            "timeframe_scoped": True,
            "person": person,
            "objectives": objectives,
            "groups": selectors.person_groups(person),
            "check_in_ids": goals.list_check_in_ids(membership, objectives),
            "automatic_status": request.organization.automatic_status,
        },
    )
