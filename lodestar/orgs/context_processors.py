from django.utils.functional import SimpleLazyObject

from lodestar.orgs.models import Organization


def organization(request):
    """The request's organization and membership, and the person's organizations for the switcher."""
    membership = getattr(request, "membership", None)
    context = {"organization": getattr(request, "organization", None), "membership": membership}
    if membership is not None:
        context["my_organizations"] = SimpleLazyObject(
            lambda: list(
                Organization.objects.filter(memberships__user=request.user, memberships__is_active=True)
                .order_by("name")
                .values("name", "slug")
            )
        )
    return context
