from django import template
from django.db.models import Case, IntegerField, Value, When

from lodestar.orgs.cards import Person
from lodestar.orgs.models import Membership, Role

register = template.Library()

ADMINS_NAMED = 3  # a few names to ask, owners first; the people page lists everyone


def admins_to_ask(organization_id: int) -> list[Person]:
    """The organization's first few active owners and admins, owners first, by name (one query)."""
    rows = (
        Membership.objects.filter(organization_id=organization_id, is_active=True, role__in=[Role.OWNER, Role.ADMIN])
        .annotate(rank=Case(When(role=Role.OWNER, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("rank", "user__full_name", "pk")
        .values("id", "user__full_name", "user__email")[:ADMINS_NAMED]
    )
    return [Person(row["id"], row["user__full_name"], row["user__email"]) for row in rows]


@register.inclusion_tag("orgs/partials/ask_admins.html", takes_context=True)
def ask_admins(context) -> dict:
    """Whom a member asks when a page waits for an admin: "Ask Olga Owner or another admin." with links."""
    organization = context["request"].organization
    return {"admins": admins_to_ask(organization.pk), "organization": organization}
