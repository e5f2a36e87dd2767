from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

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
