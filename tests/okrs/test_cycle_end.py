"""The end of a cycle: the timeframe's lifecycle, closing objectives with a score, an outcome and a
reflection, carrying objectives and key results over, and turning an estimate into a metric."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from lodestar.activity.models import Activity
from lodestar.activity.text import sentence
from lodestar.core.errors import NotAllowed, NotFound
from lodestar.notifications import services as notifications
from lodestar.notifications.models import ChatPost
from lodestar.okrs import closing
from lodestar.okrs import services as okrs
from lodestar.okrs.models import CheckIn, KeyResult, Objective, Timeframe
from tests import factories
from tests.okrs.goals import alerts_objective


@pytest.fixture
def team_goal(cast):
    objective = alerts_objective(cast)
    done = factories.metric(cast.owner, objective, owner=cast.member, title="Routed alerts", start=0, target=10)
    okrs.record_check_in(actor=cast.member, key_result=done, value=10, status="on_track")
    open_kr = factories.metric(
        cast.owner, objective, owner=cast.lead, title="Minutes to acknowledge", start=60, target=15
    )
    okrs.record_check_in(actor=cast.lead, key_result=open_kr, value=30, status="needs_attention")
    return objective


# --- pure rules ----------------------------------------------------------------------------------


@given(st.floats(min_value=-1, max_value=2, allow_nan=False))
def test_the_suggested_score_is_the_progress_clamped_to_one_decimal(progress):
    score = closing.suggested_score(progress)
    assert Decimal(0) <= score <= Decimal(1)
    assert score == score.quantize(Decimal("0.1"))
    assert abs(float(score) - min(max(progress, 0), 1)) <= 0.05 + 1e-9


def test_what_a_score_means_depends_on_the_commitment():
    committed, aspirational = Objective.Commitment.COMMITTED, Objective.Commitment.ASPIRATIONAL
    assert closing.suggested_outcome(Decimal("0.7"), aspirational) == Objective.Outcome.ACCOMPLISHED
    assert closing.suggested_outcome(Decimal("0.9"), committed) == Objective.Outcome.MISSED
    assert closing.suggested_outcome(Decimal("1.0"), committed) == Objective.Outcome.ACCOMPLISHED
    assert "fell short" in closing.score_meaning(Decimal("0.9"), committed)
    assert "success" in closing.score_meaning(Decimal("0.7"), aspirational)
    assert closing.score_meaning(Decimal("0.5"), aspirational) != closing.score_meaning(Decimal("0.2"), aspirational)


def test_a_timeframe_moves_forward_and_a_closed_one_only_reopens_into_closing():
    state = Timeframe.State
    assert closing.can_change_timeframe_state(state.PLANNING, state.ACTIVE)
    assert closing.can_change_timeframe_state(state.CLOSING, state.CLOSED)
    assert closing.can_change_timeframe_state(state.CLOSED, state.CLOSING)
    assert not closing.can_change_timeframe_state(state.PLANNING, state.CLOSED)
    assert not closing.can_change_timeframe_state(state.CLOSED, state.ACTIVE)


# --- timeframe lifecycle -------------------------------------------------------------------------


def test_an_admin_walks_a_timeframe_through_its_lifecycle_and_history_names_who_reopened_it(cast, next_quarter):
    for state in ("active", "closing", "closed", "closing"):
        okrs.change_timeframe_state(actor=cast.admin, timeframe=next_quarter, state=state)
    next_quarter.refresh_from_db()
    assert next_quarter.state == Timeframe.State.CLOSING
    latest = next_quarter.history.order_by("-history_id").first()
    assert (latest.state, latest.history_user) == ("closing", cast.admin.user)
    assert list(next_quarter.history.order_by("history_id").values_list("state", flat=True)) == [
        "planning",
        "active",
        "closing",
        "closed",
        "closing",
    ]


def test_a_timeframe_cannot_skip_a_stage_and_members_cannot_move_it(cast, next_quarter):
    with pytest.raises(ValidationError) as error:
        okrs.change_timeframe_state(actor=cast.owner, timeframe=next_quarter, state="closed")
    assert "state" in error.value.message_dict
    with pytest.raises(NotAllowed):
        okrs.change_timeframe_state(actor=cast.lead, timeframe=next_quarter, state="active")
    with pytest.raises(NotFound):
        okrs.change_timeframe_state(actor=cast.beta_owner, timeframe=next_quarter, state="active")
    next_quarter.refresh_from_db()
    assert next_quarter.state == Timeframe.State.PLANNING


def test_drafts_of_a_starting_timeframe_are_activated_together(cast, next_quarter):
    drafts = [
        factories.objective(cast.owner, timeframe=next_quarter, title=title, state="draft") for title in ("A", "B")
    ]
    okrs.change_timeframe_state(actor=cast.owner, timeframe=next_quarter, state="active")
    okrs.publish_drafts(actor=cast.owner, objectives=drafts)
    assert set(Objective.objects.filter(timeframe=next_quarter).values_list("state", flat=True)) == {"active"}


# --- closing an objective ------------------------------------------------------------------------


def test_closing_keeps_score_outcome_and_reflection(cast, team_goal):
    closed = okrs.close_objective(
        actor=cast.member,
        objective=team_goal,
        score="0.6",
        outcome="missed",
        reflection={"What went well?": "Routing works.", "What did we learn?": "  ", "What do we do next?": "Paging."},
    )
    closed.refresh_from_db()
    assert (closed.state, closed.score, closed.outcome) == ("closed", Decimal("0.60"), "missed")
    assert closed.reflection == {"What went well?": "Routing works.", "What do we do next?": "Paging."}
    assert closed.closed_at is not None


def test_without_a_score_the_progress_suggests_one(cast, team_goal):
    team_goal.refresh_from_db()
    closed = okrs.close_objective(actor=cast.member, objective=team_goal)
    assert closed.score == closing.suggested_score(team_goal.progress)
    assert closed.outcome == Objective.Outcome.MISSED  # committed, below 1.0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"score": "1.5"}, "score"),
        ({"score": "-0.1"}, "score"),
        ({"score": "abc"}, "score"),
        ({"outcome": "won"}, "outcome"),
        ({"reflection": {"Who is to blame?": "Nobody"}}, "reflection"),
        ({"reflection": ["not", "a", "dict"]}, "reflection"),
    ],
)
def test_a_bad_close_leaves_the_objective_open(cast, team_goal, changes, field):
    with pytest.raises(ValidationError) as error:
        okrs.close_objective(actor=cast.member, objective=team_goal, **changes)
    assert field in error.value.message_dict
    team_goal.refresh_from_db()
    assert (team_goal.state, team_goal.score, team_goal.outcome) == ("active", None, "")


def test_the_organizations_own_questions_are_the_ones_answered(cast, team_goal):
    cast.acme.reflection_questions = ["Did customers notice?"]
    cast.acme.save()
    cast.member.organization.refresh_from_db()
    with pytest.raises(ValidationError):
        okrs.close_objective(actor=cast.member, objective=team_goal, reflection={"What went well?": "x"})
    closed = okrs.close_objective(actor=cast.member, objective=team_goal, reflection={"Did customers notice?": "Yes"})
    assert closed.reflection == {"Did customers notice?": "Yes"}


def test_only_someone_who_may_edit_it_closes_an_objective(cast, team_goal):
    with pytest.raises(NotAllowed):
        okrs.close_objective(actor=cast.sales, objective=team_goal)
    with pytest.raises(NotAllowed):
        okrs.close_objective(actor=cast.viewer, objective=team_goal)
    with pytest.raises(NotFound):
        okrs.close_objective(actor=cast.beta_owner, objective=team_goal)


# --- carry-over ----------------------------------------------------------------------------------


def test_carrying_an_objective_over_takes_its_unfinished_key_results_and_links_both_ways(cast, team_goal, next_quarter):
    okrs.close_objective(actor=cast.member, objective=team_goal)
    carried = okrs.carry_over_objective(actor=cast.member, objective=team_goal, timeframe=next_quarter)
    assert (carried.timeframe, carried.state, carried.carried_over_from) == (next_quarter, "draft", team_goal)
    assert list(team_goal.carried_over_to.all()) == [carried]
    assert list(carried.groups.all()) == [cast.engineering]
    (key_result,) = carried.key_results.all()
    source = team_goal.key_results.get(title="Minutes to acknowledge")
    assert key_result.carried_over_from == source
    assert list(source.carried_over_to.all()) == [key_result]
    # A metric continues from where it stands: 30 minutes, still aiming at 15.
    assert (key_result.start_value, key_result.current_value, key_result.target_value) == (30, 30, 15)
    assert key_result.owner == cast.lead
    assert source.check_ins.count() == 1  # the history stays with the source


def test_chosen_key_results_are_carried_and_foreign_ones_refused(cast, team_goal, next_quarter, world):
    finished = team_goal.key_results.get(title="Routed alerts")
    carried = okrs.carry_over_objective(
        actor=cast.member, objective=team_goal, timeframe=next_quarter, key_results=[finished]
    )
    assert [kr.title for kr in carried.key_results.all()] == ["Routed alerts"]
    with pytest.raises(ValidationError):
        okrs.carry_over_objective(
            actor=cast.member, objective=team_goal, timeframe=next_quarter, key_results=[world.key_result]
        )


def test_carrying_over_is_refused_into_a_closed_timeframe_the_same_one_or_for_outsiders(cast, team_goal, next_quarter):
    with pytest.raises(NotAllowed):
        okrs.carry_over_objective(actor=cast.member, objective=team_goal, timeframe=cast.closed)
    with pytest.raises(ValidationError):
        okrs.carry_over_objective(actor=cast.member, objective=team_goal, timeframe=cast.quarter)
    with pytest.raises(NotAllowed):
        okrs.carry_over_objective(actor=cast.sales, objective=team_goal, timeframe=next_quarter)
    with pytest.raises(NotFound):
        okrs.carry_over_objective(actor=cast.beta_owner, objective=team_goal, timeframe=cast.beta_quarter)
    assert not Objective.objects.filter(timeframe=next_quarter).exists()


def test_one_key_result_is_carried_into_an_objective_of_the_next_timeframe_once(cast, team_goal, next_quarter):
    target = factories.objective(cast.owner, timeframe=next_quarter, title="Alerts, next round", state="draft")
    source = team_goal.key_results.get(title="Minutes to acknowledge")
    copy = okrs.carry_over_key_result(actor=cast.owner, key_result=source, into=target)
    assert (copy.objective, copy.carried_over_from, copy.start_value) == (target, source, Decimal(30))
    with pytest.raises(ValidationError):
        okrs.carry_over_key_result(actor=cast.owner, key_result=source, into=target)
    with pytest.raises(ValidationError):
        okrs.carry_over_key_result(actor=cast.owner, key_result=source, into=team_goal)
    assert target.key_results.count() == 1


# --- estimate → metric ---------------------------------------------------------------------------


def test_an_estimate_becomes_a_metric_keeping_its_check_ins(cast, team_goal):
    estimate = factories.key_result(cast.owner, team_goal, KeyResult.Kind.ESTIMATE, owner=cast.member)
    okrs.record_check_in(actor=cast.member, key_result=estimate, percent=40, status="on_track")
    converted = okrs.convert_estimate_to_metric(
        actor=cast.member, key_result=estimate, start_value="120", target_value="60", unit="minutes", current_value="90"
    )
    converted.refresh_from_db()
    assert (converted.kind, converted.start_value, converted.target_value, converted.unit) == (
        "metric",
        120,
        60,
        "minutes",
    )
    assert converted.current_value == 90
    assert converted.progress == pytest.approx(0.5)
    readings = list(CheckIn.objects.filter(key_result=estimate).order_by("id").values_list("percent", "value"))
    assert readings == [(Decimal(40), None), (None, Decimal(90))]


def test_converting_needs_distinct_figures_an_estimate_and_the_right_to_edit(cast, team_goal):
    estimate = factories.key_result(cast.owner, team_goal, KeyResult.Kind.ESTIMATE, owner=cast.member)
    with pytest.raises(ValidationError):
        okrs.convert_estimate_to_metric(actor=cast.member, key_result=estimate, start_value=5, target_value=5)
    with pytest.raises(ValidationError):
        okrs.convert_estimate_to_metric(actor=cast.member, key_result=estimate, start_value="x", target_value=5)
    with pytest.raises(NotAllowed):
        okrs.convert_estimate_to_metric(actor=cast.sales, key_result=estimate, start_value=1, target_value=5)
    metric = team_goal.key_results.get(title="Routed alerts")
    with pytest.raises(ValidationError):
        okrs.convert_estimate_to_metric(actor=cast.member, key_result=metric, start_value=1, target_value=5)
    estimate.refresh_from_db()
    assert estimate.kind == KeyResult.Kind.ESTIMATE
    assert not estimate.check_ins.exists()


def test_closing_an_objective_is_told_in_the_feed_and_to_chat_channels_that_ask(cast, team_goal):
    notifications.create_chat_channel(
        actor=cast.owner,
        name="#retros",
        service="slack",
        url="http://127.0.0.1:9/hooks/retros",
        events=["objective_closed"],
        group=None,
        is_active=True,
    )
    okrs.close_objective(actor=cast.member, objective=team_goal, score="0.65", outcome="missed")
    closed = Activity.objects.get(kind=Activity.Kind.OBJECTIVE_CLOSED)
    assert sentence(closed) == "Max Member closed “Alerts reach the right person” with a score of 0.65: missed"
    assert "with a score of 0.65" in json.dumps(ChatPost.objects.get().payload, ensure_ascii=False)
