"""Recording, correcting and deleting check-ins, and how progress rolls up."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lodestar.core.errors import NotAllowed, NotFound
from lodestar.okrs import services
from lodestar.okrs.models import CheckIn, KeyResult, Objective, Status
from lodestar.okrs.rollup import recompute_organization
from tests import factories
from tests.conftest import days_ago, reload


@pytest.fixture
def tree(cast):
    """Company objective ← Engineering objective ← Max's personal objective, each with a metric KR."""
    company = factories.objective(cast.owner, timeframe=cast.quarter, title="Win the market")
    company_kr = factories.metric(cast.owner, company, owner=cast.admin, title="Market share", start=10, target=20)
    team = factories.objective(
        cast.lead,
        timeframe=cast.quarter,
        title="Ship faster",
        level=Objective.Level.GROUP,
        groups=[cast.engineering],
        parent=company,
    )
    team_kr = factories.metric(cast.lead, team, owner=cast.member, title="Deploys per week", start=0, target=10)
    personal = factories.objective(
        cast.member, timeframe=cast.quarter, title="Automate tests", level=Objective.Level.PERSONAL, parent=team
    )
    personal_kr = factories.metric(cast.member, personal, title="Automated tests", start=0, target=100)
    return company, company_kr, team, team_kr, personal, personal_kr


def test_check_in_sets_the_key_results_value_progress_and_status(cast, tree):
    *_, team_kr, _, _ = tree
    services.record_check_in(actor=cast.member, key_result=team_kr, value=4, status="on_track", confidence=7)
    team_kr = reload(team_kr)
    assert team_kr.current_value == Decimal(4)
    assert team_kr.progress == pytest.approx(0.4)
    assert team_kr.status == Status.ON_TRACK
    assert team_kr.last_check_in_on == cast.today


def test_a_check_in_rolls_up_the_whole_alignment_chain_at_once(cast, tree):
    company, _company_kr, team, _team_kr, personal, personal_kr = tree
    services.update_objective(actor=cast.lead, objective=team, progress_driver=Objective.ProgressDriver.BOTH)
    services.update_objective(actor=cast.owner, objective=company, progress_driver=Objective.ProgressDriver.BOTH)

    services.record_check_in(actor=cast.member, key_result=personal_kr, value=50, status="needs_attention")

    assert reload(personal).progress == pytest.approx(0.5)
    assert reload(team).progress == pytest.approx(0.25)  # mean of its KR (0) and the personal objective (0.5)
    assert reload(company).progress == pytest.approx(0.125)
    assert reload(team).status == Status.NEEDS_ATTENTION
    assert reload(company).status == Status.NEEDS_ATTENTION


def test_objectives_driven_by_key_results_ignore_aligned_objectives(cast, tree):
    _, _, team, _, personal, personal_kr = tree
    services.record_check_in(actor=cast.member, key_result=personal_kr, value=80, status="on_track")
    assert reload(personal).progress == pytest.approx(0.8)
    assert reload(team).progress == 0.0


def test_draft_objectives_do_not_count_in_their_parents_roll_up(cast, tree):
    _, _, team, _, personal, personal_kr = tree
    services.update_objective(actor=cast.lead, objective=team, progress_driver=Objective.ProgressDriver.CHILDREN)
    services.record_check_in(actor=cast.member, key_result=personal_kr, value=60, status="on_track")
    assert reload(team).progress == pytest.approx(0.6)
    services.update_objective(actor=cast.member, objective=personal, state=Objective.State.DRAFT)
    assert reload(team).progress == 0.0


def test_the_latest_check_in_by_effective_date_wins_even_when_entered_later(cast, tree):
    *_, personal_kr = tree
    services.record_check_in(actor=cast.member, key_result=personal_kr, value=70, status="on_track")
    services.record_check_in(
        actor=cast.member, key_result=personal_kr, value=20, status="off_track", effective_on=days_ago(cast.today, 7)
    )
    assert reload(personal_kr).current_value == Decimal(70)
    assert reload(personal_kr).status == Status.ON_TRACK


def test_deleting_a_check_in_falls_back_to_the_previous_one_and_keeps_history(cast, tree):
    *_, personal_kr = tree
    services.record_check_in(
        actor=cast.member, key_result=personal_kr, value=30, status="on_track", effective_on=days_ago(cast.today, 7)
    )
    latest = services.record_check_in(actor=cast.member, key_result=personal_kr, value=90, status="on_track")
    services.delete_check_in(actor=cast.member, check_in=latest)
    assert reload(personal_kr).current_value == Decimal(30)
    deleted = CheckIn.history.filter(id=latest.pk, history_type="-").get()
    assert deleted.value == Decimal(90)
    assert deleted.history_user == cast.member.user


def test_correcting_a_check_in_records_the_previous_version(cast, tree):
    *_, personal_kr = tree
    check_in = services.record_check_in(actor=cast.member, key_result=personal_kr, value=30, status="on_track")
    services.update_check_in(actor=cast.member, check_in=check_in, value=35)
    assert reload(personal_kr).current_value == Decimal(35)
    assert list(CheckIn.history.filter(id=check_in.pk).order_by("history_date").values_list("value", flat=True)) == [
        Decimal(30),
        Decimal(35),
    ]


def test_removing_the_only_check_in_returns_a_metric_to_its_start(cast, tree):
    *_, personal_kr = tree
    check_in = services.record_check_in(actor=cast.member, key_result=personal_kr, value=30, status="on_track")
    services.delete_check_in(actor=cast.member, check_in=check_in)
    personal_kr = reload(personal_kr)
    assert (personal_kr.current_value, personal_kr.progress, personal_kr.status) == (Decimal(0), 0.0, Status.NONE)


def test_reaching_the_target_makes_the_key_result_accomplished(cast, tree):
    *_, personal, personal_kr = tree
    services.record_check_in(actor=cast.member, key_result=personal_kr, value=100, status="off_track")
    assert reload(personal_kr).status == Status.ACCOMPLISHED
    assert reload(personal).status == Status.ACCOMPLISHED


def test_automatic_status_fills_in_a_missing_status(cast, tree):
    *_, personal_kr = tree
    cast.acme.automatic_status = True
    cast.acme.save()
    member = reload(cast.member)
    # Half of the timeframe has passed: 45 % progress is at least 0.8 × 50 % → on track.
    check_in = services.record_check_in(actor=member, key_result=personal_kr, value=45)
    assert (check_in.status, check_in.status_is_automatic) == (Status.ON_TRACK, True)
    assert services.record_check_in(actor=member, key_result=personal_kr, value=30).status == Status.NEEDS_ATTENTION
    assert services.record_check_in(actor=member, key_result=personal_kr, value=10).status == Status.OFF_TRACK
    explicit = services.record_check_in(actor=member, key_result=personal_kr, value=10, status="on_track")
    assert explicit.status == Status.ON_TRACK


def test_without_automatic_status_a_status_is_required(cast, tree):
    *_, personal_kr = tree
    with pytest.raises(ValidationError) as error:
        services.record_check_in(actor=cast.member, key_result=personal_kr, value=10)
    assert "status" in error.value.message_dict
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    ("kind", "reading", "progress"),
    [
        (KeyResult.Kind.MILESTONE, {"done": True}, 1.0),
        (KeyResult.Kind.ESTIMATE, {"percent": 40}, 0.4),
        (KeyResult.Kind.THRESHOLD, {"value": "99.7"}, 1.0),
        (KeyResult.Kind.THRESHOLD, {"value": "99.1"}, 0.0),
    ],
)
def test_each_key_result_type_takes_its_own_reading(cast, kind, reading, progress):
    objective = factories.objective(cast.owner, timeframe=cast.quarter)
    key_result = factories.key_result(cast.owner, objective, kind, owner=cast.member)
    services.record_check_in(actor=cast.member, key_result=key_result, status="on_track", **reading)
    assert reload(key_result).progress == progress


def test_weights_change_how_much_a_key_result_counts(cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter)
    heavy = factories.metric(cast.owner, objective, weight=3, title="Heavy")
    factories.metric(cast.owner, objective, title="Light")
    services.record_check_in(actor=cast.owner, key_result=heavy, value=100, status="on_track")
    assert reload(objective).progress == pytest.approx(0.75)


# --- bad input is refused and changes nothing ------------------------------------------------------


def snapshot():
    return (
        list(CheckIn.objects.values_list("id", "value")),
        list(KeyResult.objects.values_list("id", "progress", "status", "current_value")),
        list(Objective.objects.values_list("id", "progress", "status", "parent_id", "title")),
    )


@pytest.mark.parametrize(
    ("reading", "field"),
    [
        ({"value": 10, "confidence": 11}, "confidence"),
        ({"value": 10, "confidence": 0}, "confidence"),
        ({"value": "NaN"}, "value"),
        ({"value": "1e309"}, "value"),
        ({"value": "ten"}, "value"),
        ({"value": 10**17}, "value"),
        ({"value": None}, "value"),
        ({"value": 10, "comment": "x" * 5001}, "comment"),
        ({"value": 10, "comment": "nul \x00 byte"}, "comment"),
        ({"value": 10, "status": "great"}, "status"),
    ],
)
def test_bad_check_in_input_is_refused_with_the_field_named(cast, tree, reading, field):
    *_, personal_kr = tree
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.record_check_in(actor=cast.member, key_result=personal_kr, **{"status": "on_track", **reading})
    assert field in error.value.message_dict
    assert snapshot() == before


def test_check_in_dates_must_lie_between_the_timeframe_start_and_today(cast, tree):
    *_, personal_kr = tree
    for day in (cast.today + datetime.timedelta(days=1), cast.quarter.starts_on - datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            services.record_check_in(
                actor=cast.member, key_result=personal_kr, value=1, status="on_track", effective_on=day
            )
        assert "effective_on" in error.value.message_dict
    assert not CheckIn.objects.exists()


def test_a_member_cannot_check_in_on_a_closed_timeframe_but_an_admin_can(cast):
    objective = factories.objective(cast.owner, timeframe=cast.closed, lead=cast.member, level="personal")
    key_result = factories.metric(cast.owner, objective, owner=cast.member)
    day = cast.closed.ends_on
    with pytest.raises(NotAllowed):
        services.record_check_in(actor=cast.member, key_result=key_result, value=5, status="on_track", effective_on=day)
    assert not CheckIn.objects.exists()
    services.record_check_in(actor=cast.admin, key_result=key_result, value=5, status="on_track", effective_on=day)
    assert CheckIn.objects.count() == 1


def test_a_key_result_of_another_organization_is_not_found(cast, tree):
    *_, personal_kr = tree
    with pytest.raises(NotFound):
        services.record_check_in(actor=cast.beta_owner, key_result=personal_kr, value=5, status="on_track")
    assert not CheckIn.objects.exists()


def test_caches_equal_a_recomputation_after_many_changes(cast, tree):
    _company, company_kr, team, team_kr, _personal, personal_kr = tree
    services.update_objective(actor=cast.lead, objective=team, progress_driver=Objective.ProgressDriver.BOTH)
    services.record_check_in(actor=cast.admin, key_result=company_kr, value=15, status="on_track")
    first = services.record_check_in(actor=cast.member, key_result=team_kr, value=3, status="off_track")
    services.record_check_in(actor=cast.member, key_result=personal_kr, value=100, status="on_track")
    services.update_check_in(actor=cast.member, check_in=first, value=8)
    services.update_key_result(actor=cast.lead, key_result=team_kr, target_value=Decimal(16))
    assert recompute_organization(cast.acme.pk, write=False) == {"key_results": 0, "objectives": 0}
