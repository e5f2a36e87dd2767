"""The directory pages everyone reads: groups and people, with the goals they hold."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from lodestar.core.validation import clean_search
from lodestar.kpis import selectors as kpi_selectors
from lodestar.okrs import coaching
from lodestar.okrs import selectors as goals
from lodestar.okrs.views.common import selected_timeframe
from lodestar.orgs import selectors
from lodestar.orgs.access import access_group, access_membership
from lodestar.orgs.cards import Person
from lodestar.orgs.models import Group, Organization, Role

PEOPLE_PER_PAGE = 50


@login_required
def root(request):
    """Send a signed-in person to their first organization's home."""
    organization = (
        Organization.objects.filter(memberships__user=request.user, memberships__is_active=True)
        .order_by("memberships__joined_at", "pk")
        .first()
    )
    if organization is None:
        return render(request, "orgs/no_organization.html", status=200)
    return redirect("okrs:home", org_slug=organization.slug)


@require_safe
def group_list(request, org_slug):
    """Every group as a tree, with leads, size and the progress of its objectives in the timeframe."""
    membership = request.membership
    view = selected_timeframe(request)
    groups = selectors.group_rows(membership.organization_id)
    progress = goals.groups_progress(membership, view.timeframe, [g.id for g in groups]) if view.timeframe else {}
    rows = [(group, *progress.get(group.id, (0.0, 0))) for group in groups]
    return render(request, "orgs/groups.html", {**view.context(), "timeframe_scoped": True, "groups": rows})


@require_safe
def group_detail(request, org_slug, group_id):
    """A group: its objectives in the timeframe, sub-groups, leads and members."""
    membership = request.membership
    group = access_group(membership, group_id)
    view = selected_timeframe(request)
    subgroups = selectors.group_rows(membership.organization_id, under=group.pk)
    progress = {}
    objectives = []
    if view.timeframe:
        objectives = goals.level_objectives(membership, view.timeframe, group=group)
        progress = goals.groups_progress(membership, view.timeframe, [group.pk, *(row.id for row in subgroups)])
    return render(
        request,
        "orgs/group.html",
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
    paginator = Paginator(selectors.people_page(request.membership.organization_id, query=query), PEOPLE_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    roles = dict(Role.choices)
    rows = [
        (Person(row["id"], row["user__full_name"], row["user__email"]), row["job_title"], roles[row["role"]])
        for row in page.object_list
    ]
    return render(request, "orgs/people.html", {"page": page, "people": rows, "query": query})


@require_safe
def person(request, org_slug, membership_id):
    """A person: what they lead, own and contribute to in the timeframe, their groups and manager."""
    membership = request.membership
    person = access_membership(membership, membership_id)
    view = selected_timeframe(request)
    objectives = goals.person_objectives(membership, person, view.timeframe) if view.timeframe else []
    return render(
        request,
        "orgs/person.html",
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


PEOPLE_OPTIONS_MAX = 20


@require_safe
def people_options(request, org_slug):
    """The person picker's suggestions (lodestar.orgs.pickers): up to 20 active people whose name,
    e-mail address or job title contains the text typed, by name, as ``<option>``s that htmx puts
    into the field's datalist (one query). The input sends its text under its own name, which
    ``field`` names (else ``q``); ``holders=1`` leaves out viewers, who cannot hold goals."""
    query = request.GET
    search = clean_search(query.get(query.get("field") or "q", ""))
    rows = selectors.people_page(request.membership.organization_id, query=search)
    if query.get("holders") == "1":
        rows = rows.exclude(role=Role.VIEWER)
    people = [
        {"email": row["user__email"], "name": row["user__full_name"], "job_title": row["job_title"]}
        for row in rows[:PEOPLE_OPTIONS_MAX]
    ]
    return render(request, "orgs/people_options.html", {"people": people})


GROUP_OPTIONS_MAX = 20


@require_safe
def group_options(request, org_slug):
    """The group picker's suggestions (lodestar.orgs.pickers): up to 20 groups of the organization
    whose name or short name contains the text typed, by name, with their parent group, as
    ``<option>``s that htmx puts into the field's datalist (one query). The input sends its text
    under its own name, which ``field`` names (else ``q``)."""
    query = request.GET
    search = clean_search(query.get(query.get("field") or "q", ""))
    rows = Group.objects.filter(organization_id=request.membership.organization_id)
    if search:
        rows = rows.filter(Q(name__icontains=search) | Q(slug__icontains=search))
    groups = [
        {"slug": row["slug"], "name": row["name"], "parent": row["parent__name"] or ""}
        for row in rows.order_by("name", "pk").values("slug", "name", "parent__name")[:GROUP_OPTIONS_MAX]
    ]
    return render(request, "orgs/group_options.html", {"groups": groups})
