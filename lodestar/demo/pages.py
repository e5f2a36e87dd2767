"""The pages of an organization worth measuring, with representative ids: one registry for the
query-count tests (tests/test_query_counts.py) and the benchmark (bench/run.py). A new page joins here.

Objects are picked by shape (public, active, with key results and a visible parent) so that a
small and a large generated organization draw the same page with the same queries.
"""

from django.db.models import Count

from lodestar.activity.models import Activity
from lodestar.kpis.models import KPI
from lodestar.okrs.models import Initiative, KeyResult, Objective, ObjectiveGroup, Timeframe
from lodestar.okrs.selectors import pick_current_timeframe
from lodestar.orgs.models import Group, GroupMembership, Membership, Role
from lodestar.rollout import snapshots
from lodestar.rollout.models import ChallengeRound, Reviewer, RolloutGroup, RoundObjective
from lodestar.strategy.models import Pillar
from lodestar.webhooks.models import Webhook


def busy_member(organization) -> Membership:
    """The member who leads the most objectives: the fullest My goals page."""
    return (
        Membership.objects.filter(organization=organization, role=Role.MEMBER)
        .annotate(led=Count("led_objectives"))
        .order_by("-led", "pk")
        .select_related("user", "organization")
        .first()
    )


def an_owner(organization) -> Membership:
    return (
        Membership.objects.filter(organization=organization, role=Role.OWNER)
        .select_related("user", "organization")
        .order_by("pk")
        .first()
    )


def busy_members_objective(organization, person: Membership) -> Objective:
    """An active, public group objective of the current quarter the person leads (and so may edit),
    with at least two key results and a public parent."""
    return (
        Objective.objects.filter(
            organization=organization,
            lead=person,
            level=Objective.Level.GROUP,
            state=Objective.State.ACTIVE,
            visibility=Objective.Visibility.PUBLIC,
            parent__visibility=Objective.Visibility.PUBLIC,
            timeframe__state=Timeframe.State.ACTIVE,
            timeframe__kind=Timeframe.Kind.QUARTER,
        )
        .annotate(krs=Count("key_results"))
        .filter(krs__gte=2)
        .order_by("pk")
        .first()
    )


def a_kpi(organization) -> KPI:
    """The KPI with the most values (ties: the oldest)."""
    return KPI.objects.filter(organization=organization).annotate(n=Count("values")).order_by("-n", "pk").first()


def closed_quarter(organization) -> int:
    """The latest closed timeframe, else the current one (a generated organization may have none closed)."""
    timeframes = Timeframe.objects.filter(organization=organization)
    closed = timeframes.filter(state=Timeframe.State.CLOSED).order_by("-ends_on").values_list("pk", flat=True).first()
    return closed or timeframes.order_by("-starts_on").values_list("pk", flat=True).first()


def active_timeframe(organization) -> int | None:
    timeframes = Timeframe.objects.filter(organization=organization, state=Timeframe.State.ACTIVE)
    return timeframes.order_by("-starts_on", "pk").values_list("pk", flat=True).first()


def member_pages(organization) -> dict[str, str]:
    """{page name: path} of every page a member opens, as the busy member sees them."""
    slug = organization.slug
    person = busy_member(organization)
    objective = busy_members_objective(organization, person)
    key_result = (
        KeyResult.objects.filter(organization=organization, objective=objective)
        .annotate(readings=Count("check_ins"))
        .order_by("-readings", "pk")
        .first()
    )
    rollout_group = first_rollout_group(organization)
    group, group_slug = (
        GroupMembership.objects.filter(organization=organization, membership=person)
        .order_by("group_id")
        .values_list("group_id", "group__slug")
        .first()
    )
    return {
        "home (my goals)": f"/{slug}/",
        "company": f"/{slug}/company/",
        "objectives not aligned": f"/{slug}/company/unaligned/",
        "strategy": f"/{slug}/strategy/",
        "alignment map": f"/{slug}/map/",
        "alignment map (a group, a status)": f"/{slug}/map/?group={group_slug}&status=on_track",
        "alignment map (a path)": f"/{slug}/map/?focus={objective.pk}",
        "presentation": f"/{slug}/present/",
        "KPIs": f"/{slug}/kpis/",
        "KPIs by owner, unhealthy": f"/{slug}/kpis/?by=owner&health=unhealthy",
        "KPIs by owner, page 2": f"/{slug}/kpis/?by=owner&page=2",
        "KPI": f"/{slug}/kpis/{a_kpi(organization).pk}/",
        "new KPI": f"/{slug}/kpis/new/",
        "new initiative": f"/{slug}/objectives/{objective.pk}/initiatives/new/",
        "objective": f"/{slug}/objectives/{objective.pk}/",
        "key result": f"/{slug}/key-results/{key_result.pk}/",
        "groups": f"/{slug}/groups/",
        "group search": f"/{slug}/groups/options/?q=gro",
        "group": f"/{slug}/groups/{group}/",
        "group retrospective (closed quarter)": f"/{slug}/groups/{group}/retrospective/?timeframe={closed_quarter(organization)}",
        "people": f"/{slug}/people/",
        "people, page 2": f"/{slug}/people/?page=2",
        "people search": f"/{slug}/people/options/?q=per",
        "person": f"/{slug}/people/{person.pk}/",
        "search": f"/{slug}/search/?q=platform",
        "search (2 letters)": f"/{slug}/search/?q=pl",
        "search, more key results": f"/{slug}/search/?q=platform&kind=key_results&page=2",
        "new objective": f"/{slug}/objectives/new/",
        "edit objective": f"/{slug}/objectives/{objective.pk}/edit/",
        "dismiss a coach suggestion": f"/{slug}/objectives/{objective.pk}/coach/dismiss/?rule=too_few_krs",
        "delete objective": f"/{slug}/objectives/{objective.pk}/delete/",
        "alignment search": f"/{slug}/objectives/parents/?q=e",
        "new key result": f"/{slug}/objectives/{objective.pk}/key-results/new/",
        "edit key result": f"/{slug}/key-results/{key_result.pk}/edit/",
        "delete key result": f"/{slug}/key-results/{key_result.pk}/delete/",
        "check-in conversation": f"/{slug}/check-ins/{key_result.check_ins.order_by('pk').first().pk}/comments/",
        "activity": f"/{slug}/activity/",
        "activity, older": f"/{slug}/activity/?before={_middle_activity(organization)}",
        "group activity": f"/{slug}/groups/{group}/activity/",
        "person activity": f"/{slug}/people/{person.pk}/activity/",
        "notifications": f"/{slug}/notifications/",
        "e-mail preferences": f"/{slug}/settings/notifications/",
        "your settings": f"/{slug}/settings/personal/",
        "mention search": f"/{slug}/people/mentions/?q=an",
        "API tokens": f"/{slug}/settings/api-tokens/",
        "automatic updates of a key result": f"/{slug}/key-results/{key_result.pk}/feeds/",
        "rollout plan": f"/{slug}/rollout/",
        "rollout groups": f"/{slug}/rollout/groups/",
        "challenge rounds": f"/{slug}/rollout/rounds/",
        "onboarding deck": f"/{slug}/onboarding/",
        **({"rollout group": f"/{slug}/rollout/groups/{rollout_group.pk}/"} if rollout_group else {}),
    }


def first_rollout_group(organization) -> RolloutGroup | None:
    return RolloutGroup.objects.filter(organization=organization).order_by("pk").first()


def open_round(organization) -> ChallengeRound | None:
    """The first open challenge round. Only its reviewers, the leads of its objectives and those
    running the rollout may see it, so its pages are admin pages."""
    return (
        ChallengeRound.objects.filter(organization=organization, state=ChallengeRound.State.OPEN).order_by("pk").first()
    )


def _rollout_admin_pages(organization, slug: str) -> dict[str, str]:
    # The adoption figures as the owner reads them once the worker has counted them.
    timeframes = list(Timeframe.objects.filter(organization=organization))
    snapshots.counted_for(an_owner(organization), pick_current_timeframe(timeframes, organization.today()))
    pages = {
        "adoption dashboard": f"/{slug}/rollout/adoption/",
        "people behind an adoption figure": f"/{slug}/rollout/adoption/people/?segment=all&measure=never_checked_in",
        "edit onboarding deck": f"/{slug}/onboarding/edit/",
    }
    challenge = open_round(organization)
    if challenge is None:
        return pages
    pages["challenge round"] = f"/{slug}/rollout/rounds/{challenge.pk}/"
    pages["close a challenge round"] = f"/{slug}/rollout/rounds/{challenge.pk}/close/"
    # The review page is a reviewer's: there when the owner the registry signs in as reviews the round.
    if Reviewer.objects.filter(organization=organization, round=challenge, membership=an_owner(organization)).exists():
        entry = RoundObjective.objects.filter(organization=organization, round=challenge).order_by("pk").first()
        pages["review in a challenge round"] = f"/{slug}/rollout/reviews/{entry.pk}/"
    return pages


def _closing_pages(organization, slug: str, timeframe_id: int) -> dict[str, str]:
    """The closing tracker, and the full lists of the group with the most objectives still to close
    and of the personal objectives (thousands in a large organization)."""
    tracker = f"/{slug}/timeframes/{timeframe_id}/closing/"
    busiest = (
        ObjectiveGroup.objects.filter(
            organization=organization, objective__timeframe_id=timeframe_id, objective__state=Objective.State.ACTIVE
        )
        .values("group_id")
        .annotate(open=Count("pk"))
        .order_by("-open", "group_id")
        .values_list("group_id", flat=True)
        .first()
    )
    return {
        "closing tracker": tracker,
        **({"closing tracker, all of a group": f"{tracker}groups/{busiest}/"} if busiest else {}),
        "closing tracker, all personal objectives": f"{tracker}levels/personal/",
    }


def _middle_activity(organization) -> int:
    """An event half-way through the feed, for a page further back."""
    ids = Activity.objects.filter(organization=organization).order_by("pk").values_list("pk", flat=True)
    return ids[ids.count() // 2]


def admin_pages(organization) -> dict[str, str]:
    """{page name: path} of the pages only admins open (people, groups, timeframes, strategy), and
    pages that change another person's KPI or initiative, which admins may open for any."""
    slug = organization.slug
    group = (
        Group.objects.filter(organization=organization)
        .annotate(people=Count("group_memberships"))
        .order_by("-people", "pk")
        .first()
    )
    timeframe = Timeframe.objects.filter(organization=organization).order_by("pk").first()
    pillar = Pillar.objects.filter(organization=organization).order_by("-year", "position", "pk").first()
    kpi = a_kpi(organization)
    initiative = Initiative.objects.filter(organization=organization).order_by("pk").first()
    webhook = Webhook.objects.filter(organization=organization).order_by("pk").first()
    return {
        "home (my goals) with the getting-started checklist": f"/{slug}/",
        "new group": f"/{slug}/groups/new/",
        "edit group": f"/{slug}/groups/{group.pk}/edit/",
        "group members": f"/{slug}/groups/{group.pk}/members/",
        "invite people": f"/{slug}/people/invite/",
        "invitations": f"/{slug}/people/invitations/",
        "import people": f"/{slug}/people/import/",
        "edit person": f"/{slug}/people/{busy_member(organization).pk}/edit/",
        "timeframes": f"/{slug}/timeframes/",
        "new timeframe": f"/{slug}/timeframes/new/",
        "edit timeframe": f"/{slug}/timeframes/{timeframe.pk}/edit/",
        **_closing_pages(organization, slug, active_timeframe(organization) or timeframe.pk),
        "edit strategy": f"/{slug}/strategy/edit/",
        "new pillar": f"/{slug}/strategy/pillars/new/",
        "edit pillar": f"/{slug}/strategy/pillars/{pillar.pk}/edit/",
        "remove pillar": f"/{slug}/strategy/pillars/{pillar.pk}/delete/",
        "edit KPI": f"/{slug}/kpis/{kpi.pk}/edit/",
        "paste KPI values": f"/{slug}/kpis/{kpi.pk}/values/import/",
        "delete KPI": f"/{slug}/kpis/{kpi.pk}/delete/",
        "remove a KPI value": f"/{slug}/kpi-values/{kpi.values.order_by('pk').first().pk}/delete/",
        "edit initiative": f"/{slug}/initiatives/{initiative.pk}/edit/",
        "delete initiative": f"/{slug}/initiatives/{initiative.pk}/delete/",
        "organization settings": f"/{slug}/settings/",
        "chat channels": f"/{slug}/settings/chat/",
        "webhooks": f"/{slug}/settings/webhooks/",
        "single sign-on": f"/{slug}/settings/sso/",
        "provisioning (SCIM)": f"/{slug}/settings/scim/",
        "audit log": f"/{slug}/settings/audit/",
        "audit log, people and groups": f"/{slug}/settings/audit/?action=people",
        "automatic updates of a KPI": f"/{slug}/kpis/{kpi.pk}/feeds/",
        # Generated organizations have one; a database generated before webhooks existed has none.
        **({"webhook": f"/{slug}/settings/webhooks/{webhook.pk}/"} if webhook else {}),
        **_rollout_admin_pages(organization, slug),
    }
