"""The pages of an organization worth measuring, with representative ids: one registry for the
query-count tests (tests/test_query_counts.py) and the benchmark (bench/run.py). A new page joins here.

Objects are picked by shape (public, active, with key results, check-ins and a visible parent) so
that a small and a large generated organization draw the same page with the same queries.
"""

from django.db.models import Count

from lodestar.okrs.models import KeyResult, Objective, Timeframe
from lodestar.orgs.models import GroupMembership, Membership, Role


def busy_member(organization) -> Membership:
    """The member who leads the most objectives: the fullest My goals page."""
    return (
        Membership.objects.filter(organization=organization, role=Role.MEMBER)
        .annotate(led=Count("led_objectives"))
        .order_by("-led", "pk")
        .select_related("user", "organization")
        .first()
    )


def representative_pages(organization) -> dict[str, str]:
    """{page name: path} as the busy member sees them."""
    slug = organization.slug
    person = busy_member(organization)
    current = Timeframe.objects.filter(organization=organization, state=Timeframe.State.ACTIVE, kind="quarter")
    shaped = Objective.objects.filter(
        organization=organization,
        timeframe__in=current,
        state=Objective.State.ACTIVE,
        visibility=Objective.Visibility.PUBLIC,
        parent__visibility=Objective.Visibility.PUBLIC,
    ).annotate(krs=Count("key_results"))
    objective = shaped.filter(level=Objective.Level.GROUP, krs__gte=2).order_by("pk").first()
    key_result = (
        KeyResult.objects.filter(organization=organization, objective=objective)
        .annotate(readings=Count("check_ins"))
        .order_by("-readings", "pk")
        .first()
    )
    group = (
        GroupMembership.objects.filter(organization=organization, membership=person)
        .order_by("group_id")
        .values_list("group_id", flat=True)
        .first()
    )
    return {
        "home (my goals)": f"/{slug}/",
        "company": f"/{slug}/company/",
        "objective": f"/{slug}/objectives/{objective.pk}/",
        "key result": f"/{slug}/key-results/{key_result.pk}/",
        "groups": f"/{slug}/groups/",
        "group": f"/{slug}/groups/{group}/",
        "people": f"/{slug}/people/",
        "person": f"/{slug}/people/{person.pk}/",
    }
