"""Finding people and groups: the suggestions of the person and group pickers, and the site
root, which finds a signed-in person's organization."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from lodestar.accounts.addresses import may_start_organization
from lodestar.core.validation import clean_search
from lodestar.orgs import selectors
from lodestar.orgs.models import Group, Organization, Role


@login_required
def root(request):
    """Send a signed-in person to their first organization's home."""
    organization = (
        Organization.objects.filter(memberships__user=request.user, memberships__is_active=True)
        .order_by("memberships__joined_at", "pk")
        .first()
    )
    if organization is None:
        return render(request, "orgs/no_organization.html", {"may_start": may_start_organization(request.user)})
    return redirect("okrs:home", org_slug=organization.slug)


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
