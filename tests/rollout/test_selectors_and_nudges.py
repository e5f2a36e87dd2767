"""The adoption dashboard counts what the data says, in a fixed number of queries and only from
goals the viewer may see; the people behind each number; and the nudges the worker sends to the
members of a rollout group who are behind once its date has passed."""

import datetime
import zoneinfo
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.notifications.models import Notification
from lodestar.notifications.text import notification_sentence
from lodestar.okrs import services as okrs
from lodestar.okrs.models import CheckIn
from lodestar.orgs import services as orgs
from lodestar.rollout import nudges, selectors, services, snapshots
from lodestar.rollout.models import Nudge, Stage
from lodestar.worker import schedule
from tests import factories
from tests.conftest import add_person, reload
from tests.rollout.conftest import make_ambassador

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def check_in(actor, key_result, *, days_ago: int, today: datetime.date):
    """A check-in recorded at noon (Acme's time) ``days_ago`` days before today."""
    made = okrs.record_check_in(actor=actor, key_result=key_result, value=10, status="on_track")
    noon = datetime.datetime.combine(today - datetime.timedelta(days=days_ago), datetime.time(12), tzinfo=BERLIN)
    CheckIn.objects.filter(pk=made.pk).update(created_at=noon)
    return made


def group_objective(cast, title, group, lead, **kw):
    return factories.objective(
        cast.owner, timeframe=cast.quarter, title=title, level="group", groups=[group], lead=lead, **kw
    )


@pytest.fixture
def adoption(cast):
    """Acme's people and what they did this quarter:

    - owner: leads the company objective; never checked in; owns no key result.
    - admin: owns the company's key result; checked in 2, 9, 16 and 23 days ago (steady).
    - lead: leads the Engineering objective aligned to the company's; owns its second key result,
      never checked in; in the rollout group.
    - member: owns the Engineering objective's first key result, checked in 7 days ago; leads an
      Engineering draft aligned to the company objective; in the rollout group, trained.
    - sales: leads the Sales objective and an Engineering objective, neither aligned; owns its key result, checked in 14 days ago.
    - viewer: nothing.
    """
    today = cast.today
    company = factories.objective(cast.owner, timeframe=cast.quarter, title="Customers love us")
    revenue = factories.metric(cast.owner, company, owner=cast.admin, title="Revenue")
    aligned = group_objective(cast, "Ship faster", cast.engineering, cast.lead, parent=company)
    lead_time = factories.metric(cast.owner, aligned, owner=cast.member, title="Lead time")
    factories.metric(cast.owner, aligned, owner=cast.lead, title="Deploys")
    loose = group_objective(cast, "Sell more", cast.sales_group, cast.sales)
    deals = factories.metric(cast.owner, loose, owner=cast.sales, title="Deals")
    group_objective(cast, "Shared platform", cast.engineering, cast.sales)  # Engineering's, led from Sales
    draft = group_objective(cast, "Fewer incidents", cast.engineering, cast.member, parent=company, state="draft")
    factories.metric(cast.owner, draft, owner=cast.owner, title="Incidents")  # a draft's: not expected yet
    for days in (2, 9, 16, 23):
        check_in(cast.admin, revenue, days_ago=days, today=today)
    check_in(cast.member, lead_time, days_ago=7, today=today)  # just outside 7 days
    check_in(cast.sales, deals, days_ago=14, today=today)  # just outside 14 days
    rollout_group = services.create_rollout_group(
        actor=cast.admin, name="First rollout group", members=[cast.lead, cast.member]
    )
    services.record_session(
        actor=cast.admin, rollout_group=rollout_group, held_on=today, topic="Intro", attendees=[cast.member]
    )
    return SimpleNamespace(company=company, aligned=aligned, loose=loose, draft=draft, rollout_group=rollout_group)


def ids(*people):
    return {person.pk for person in people}


def counted(cast, viewer=None) -> dict:
    """What the worker counts for the viewer's snapshot: each segment's figures, by key."""
    sight = selectors.sight_of(reload(viewer or cast.admin))
    figures = selectors.adoption_figures(cast.acme, sight, cast.quarter, cast.today)
    return {segment.key: segment.figures for segment in figures.segments}


def test_the_dashboard_counts_who_holds_goals_this_quarter(cast, adoption):
    everyone = counted(cast)["all"]
    assert everyone.people == ids(cast.owner, cast.admin, cast.lead, cast.member, cast.sales, cast.viewer)
    assert everyone.with_goals == ids(cast.owner, cast.admin, cast.lead, cast.member, cast.sales)
    assert everyone.measure("without_goals") == ids(cast.viewer)


def test_the_dashboard_counts_check_ins_within_7_and_14_days_among_owners_of_active_key_results(cast, adoption):
    everyone = counted(cast)["all"]
    assert everyone.checked_in_7.of == ids(cast.admin, cast.lead, cast.member, cast.sales)
    assert everyone.checked_in_7.people == ids(cast.admin)
    assert everyone.checked_in_14.people == ids(cast.admin, cast.member)
    assert everyone.measure("missed_14") == ids(cast.lead, cast.sales)
    assert everyone.never_checked_in == ids(cast.owner, cast.lead, cast.viewer)


def test_the_dashboard_counts_drafts_and_how_many_group_objectives_are_aligned(cast, adoption):
    everyone = counted(cast)["all"]
    assert (everyone.drafts, everyone.drafts_in_round, everyone.draft_leads) == (1, 0, ids(cast.member))
    assert (everyone.group_objectives, everyone.aligned, everyone.unaligned_leads) == (4, 2, ids(cast.sales))


def test_a_draft_in_an_open_round_is_counted_as_such(cast, adoption):
    services.open_round(
        actor=cast.admin, title="Challenge", deadline=cast.today, objectives=[adoption.draft], reviewers=[cast.lead]
    )
    assert counted(cast)["all"].drafts_in_round == 1


def test_the_dashboard_shows_how_far_everyone_came(cast, adoption):
    stages = counted(cast)["all"].stages
    came_at_least_as_far_as_drafting = ids(cast.owner, cast.admin, cast.lead, cast.member, cast.sales)
    assert stages == {
        "invited": came_at_least_as_far_as_drafting,
        "trained": came_at_least_as_far_as_drafting,
        "drafted": came_at_least_as_far_as_drafting,
        "aligned": ids(cast.admin, cast.lead, cast.member, cast.sales),
        "checked_in": ids(cast.admin, cast.member, cast.sales),
        "steady": ids(cast.admin),
    }


def page(cast, viewer=None):
    """The dashboard as the viewer's page reads it: from their snapshot (a small organization's is
    counted during the request when due)."""
    viewer = reload(viewer or cast.admin)
    snapshot = snapshots.snapshot_for(viewer, cast.quarter)
    return selectors.adoption_dashboard(viewer, snapshots.counts(snapshot), cast.today)


def test_a_rollout_groups_segment_counts_its_members_and_their_goal(cast, adoption):
    key = f"rg-{adoption.rollout_group.pk}"
    assert counted(cast)[key].people == ids(cast.lead, cast.member)
    assert counted(cast)[key].stages["aligned"] == ids(cast.lead, cast.member)  # the goal: aligned
    (segment,) = page(cast).rollout_groups
    assert (segment.key, segment.name) == (key, "First rollout group")
    assert (segment.figures.people, segment.target_reached, segment.target_state) == (2, 2, "done")


def test_a_departments_segment_counts_the_objectives_its_groups_own(cast, adoption):
    figures = counted(cast)
    engineering, sales = figures[f"g-{cast.engineering.pk}"], figures[f"g-{cast.sales_group.pk}"]
    assert engineering.people == ids(cast.lead, cast.member)
    assert (engineering.group_objectives, engineering.aligned, engineering.unaligned_leads) == (3, 2, ids(cast.sales))
    assert (sales.group_objectives, sales.aligned) == (2, 0)  # its own, and the one its person leads
    departments = {row.name: row.figures for row in page(cast).departments}
    assert (departments["Engineering"].people, departments["Engineering"].aligned) == (2, 2)


def test_the_dashboards_queries_do_not_grow_with_the_organization(cast, adoption):
    def queries(read):
        with CaptureQueriesContext(connection) as captured:
            read()
        return len(captured)

    page(cast)  # counted: the next read only reads
    few_counting, few_reading = queries(lambda: counted(cast)), queries(lambda: page(cast))
    for n in range(4):
        person = add_person(cast.owner, f"person{n}@acme.test", f"Person {n}")
        team = orgs.create_group(actor=cast.owner, name=f"Team {n}")
        orgs.set_group_member(actor=cast.owner, group=team, membership=person, is_lead=True)
        goal = group_objective(cast, f"Goal {n}", team, person, parent=adoption.company if n % 2 else None)
        check_in(person, factories.metric(cast.owner, goal, owner=person), days_ago=n * 5, today=cast.today)
        draft = group_objective(cast, f"Draft {n}", team, person, state="draft")
        services.open_round(
            actor=cast.admin, title=f"Round {n}", deadline=cast.today, objectives=[draft], reviewers=[person]
        )
        group = services.create_rollout_group(actor=cast.admin, name=f"Group {n}", members=[person, cast.viewer])
        services.record_session(
            actor=cast.admin, rollout_group=group, held_on=cast.today, topic="Intro", attendees=[person]
        )
    services.start_rollout(actor=cast.admin, starts_on=cast.today)
    assert len(page(cast).rollout_groups) == 5
    assert queries(lambda: counted(cast)) == few_counting
    assert queries(lambda: page(cast)) == few_reading


def test_a_private_objective_counts_only_for_a_viewer_who_may_see_it(cast, adoption):
    hermit = add_person(cast.owner, "hermit@acme.test", "Hal Hermit")
    factories.objective(
        hermit, timeframe=cast.quarter, title="My secret", level="personal", lead=hermit, visibility="private"
    )
    ambassador = make_ambassador(cast, add_person(cast.owner, "amb@acme.test", "Amy Ambassador"))
    assert hermit.pk in counted(cast, cast.admin)["all"].with_goals
    assert hermit.pk not in counted(cast, ambassador)["all"].with_goals


def test_a_check_in_on_a_private_objective_counts_only_for_a_viewer_who_may_see_it(cast, adoption):
    hermit = add_person(cast.owner, "hermit@acme.test", "Hal Hermit")
    secret = factories.objective(
        hermit, timeframe=cast.quarter, title="My secret", level="personal", lead=hermit, visibility="private"
    )
    check_in(hermit, factories.metric(hermit, secret, owner=hermit), days_ago=1, today=cast.today)
    ambassador = make_ambassador(cast, add_person(cast.owner, "amb@acme.test", "Amy Ambassador"))
    assert hermit.pk in counted(cast, cast.admin)["all"].checked_in_7.people
    assert hermit.pk in counted(cast, ambassador)["all"].never_checked_in


# --- the people behind a number ----------------------------------------------------------------


def behind(cast, segment, measure, viewer=None):
    viewer = reload(viewer or cast.admin)
    snapshot = snapshots.snapshot_for(viewer, cast.quarter)
    return snapshots.people_behind(viewer, snapshot, segment=segment, measure=measure, page=None)


def test_the_people_who_missed_the_weeks_check_in_are_listed_by_name(cast, adoption):
    listed = behind(cast, "all", "missed_7")
    assert [person.full_name for person in listed.people] == ["Lea Lead", "Max Member", "Sam Sales"]
    assert listed.total == 3


def test_the_people_of_a_rollout_group_who_never_checked_in_are_listed(cast, adoption):
    listed = behind(cast, f"rg-{adoption.rollout_group.pk}", "never_checked_in")
    assert [person.pk for person in listed.people] == [cast.lead.pk]
    assert listed.segment_name == "First rollout group"


def test_the_people_of_a_department_who_reached_a_stage_are_listed(cast, adoption):
    listed = behind(cast, f"g-{cast.engineering.pk}", "stage-checked_in")
    assert [person.pk for person in listed.people] == [cast.member.pk]


@pytest.mark.parametrize(
    "segment", ["everyone", "rg-", "rg-x", "g-99999999", "rg-99999999", "rg-99999999999999999999999", "all-1"]
)
def test_an_unknown_segment_lists_nobody(cast, adoption, segment):
    assert behind(cast, segment, "people") is None


def test_an_unknown_measure_lists_nobody(cast, adoption):
    assert behind(cast, "all", "salaries") is None


def test_another_organizations_rollout_group_or_department_lists_nobody(cast, adoption):
    theirs = services.create_rollout_group(actor=cast.beta_owner, name="Beta group", members=[cast.beta_member])
    assert behind(cast, f"rg-{theirs.pk}", "people") is None
    assert behind(cast, f"g-{cast.beta_group.pk}", "people") is None


# --- nudges ------------------------------------------------------------------------------------


@pytest.fixture
def behind_group(cast):
    """A rollout group whose goal (an aligned objective) was due yesterday: the lead reached it,
    the sales person drafted an objective not yet aligned, the member did nothing."""
    company = factories.objective(cast.owner, timeframe=cast.quarter, title="Customers love us")
    group_objective(cast, "Ship faster", cast.engineering, cast.lead, parent=company)
    group_objective(cast, "Sell more", cast.sales_group, cast.sales)
    return services.create_rollout_group(
        actor=cast.admin,
        name="First rollout group",
        target_stage=Stage.ALIGNED,
        target_on=cast.today - datetime.timedelta(days=1),
        members=[cast.lead, cast.member, cast.sales],
    )


def nudged():
    return Notification.objects.filter(kind=Notification.Kind.NUDGED)


def test_the_worker_nudges_each_member_behind_the_groups_goal_once_its_date_passed(cast, behind_group):
    schedule.tick()
    assert set(nudged().values_list("recipient", flat=True)) == ids(cast.member, cast.sales)
    assert set(Nudge.objects.values_list("membership", "next_stage")) == {
        (cast.member.pk, Stage.TRAINED),
        (cast.sales.pk, Stage.ALIGNED),
    }


def test_a_second_run_of_the_worker_nudges_nobody_again(cast, behind_group):
    schedule.tick()
    schedule.tick()
    assert nudged().count() == 2
    assert nudges.send_due_nudges(cast.acme, cast.today) == 0


def test_a_nudge_names_the_next_step(cast, behind_group):
    schedule.tick()
    to_member, to_sales = nudged().get(recipient=cast.member), nudged().get(recipient=cast.sales)
    assert notification_sentence(to_member) == (
        "First rollout group: your next step is the OKR introduction. It takes ten minutes."
    )
    assert notification_sentence(to_sales) == (
        "First rollout group: your next step is to align your objective to a company objective."
    )


def test_a_new_goal_for_the_group_nudges_again(cast, behind_group):
    nudges.send_due_nudges(cast.acme, cast.today)
    services.update_rollout_group(actor=cast.admin, rollout_group=behind_group, target_stage=Stage.DRAFTED)
    assert nudges.send_due_nudges(cast.acme, cast.today) == 1  # the member; the sales person drafted
    assert nudged().filter(recipient=cast.member).count() == 2


def test_a_deactivated_member_is_not_nudged(cast, behind_group):
    orgs.update_membership(actor=cast.owner, membership=cast.member, is_active=False)
    nudges.send_due_nudges(cast.acme, cast.today)
    assert set(nudged().values_list("recipient", flat=True)) == ids(cast.sales)


@pytest.mark.parametrize("days_past", [-7, 0, 31])
def test_a_group_whose_date_is_not_past_or_long_past_nudges_nobody(cast, behind_group, days_past):
    services.update_rollout_group(
        actor=cast.admin, rollout_group=behind_group, target_on=cast.today - datetime.timedelta(days=days_past)
    )
    assert nudges.send_due_nudges(cast.acme, cast.today) == 0
    assert not nudged().exists()


def test_a_group_whose_date_passed_thirty_days_ago_still_nudges(cast, behind_group):
    services.update_rollout_group(
        actor=cast.admin, rollout_group=behind_group, target_on=cast.today - datetime.timedelta(days=30)
    )
    assert nudges.send_due_nudges(cast.acme, cast.today) == 2


def test_a_group_without_a_date_nudges_nobody(cast, behind_group):
    services.update_rollout_group(actor=cast.admin, rollout_group=behind_group, target_on=None)
    assert nudges.send_due_nudges(cast.acme, cast.today) == 0
