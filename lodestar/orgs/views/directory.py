from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from lodestar.orgs.models import Organization


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
    raise Http404


@require_safe
def group_detail(request, org_slug, group_id):
    raise Http404


@require_safe
def people(request, org_slug):
    raise Http404


@require_safe
def person(request, org_slug, membership_id):
    raise Http404
