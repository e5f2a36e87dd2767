"""The rollout's pure functions: a person's journey, the plan's dates and states, the adoption
funnel's arithmetic and a challenge round's grouped feedback and changes."""

import datetime

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from lodestar.rollout import adoption, challenge, journey, plan
from lodestar.rollout.adoption import Activity, AdoptionData
from lodestar.rollout.models import Criterion, FeedbackPoint, Stage

TODAY = datetime.date(2026, 3, 18)

facts_strategy = st.builds(
    journey.Facts,
    invited=st.booleans(),
    trained=st.booleans(),
    drafted=st.booleans(),
    aligned=st.booleans(),
    checked_in=st.booleans(),
    steady=st.booleans(),
)


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


# --- the journey -------------------------------------------------------------------------------


def test_the_stages_run_from_invited_to_steady():
    assert journey.STAGES == ("invited", "trained", "drafted", "aligned", "checked_in", "steady")


def test_nobody_who_did_nothing_has_a_furthest_stage_and_their_next_step_is_the_invitation():
    nothing = journey.Facts()
    assert journey.furthest_stage(nothing) is None
    assert not journey.has_reached(nothing, Stage.INVITED)
    assert journey.next_stage(nothing) == Stage.INVITED


def test_a_later_step_counts_even_when_earlier_ones_were_skipped():
    checked_in_untrained = journey.Facts(invited=True, checked_in=True)
    assert journey.furthest_stage(checked_in_untrained) == Stage.CHECKED_IN
    assert journey.has_reached(checked_in_untrained, Stage.TRAINED)
    assert journey.has_reached(checked_in_untrained, Stage.ALIGNED)
    assert not journey.has_reached(checked_in_untrained, Stage.STEADY)
    assert journey.next_stage(checked_in_untrained) == Stage.STEADY


def test_the_next_step_follows_the_furthest_one_met():
    assert journey.next_stage(journey.Facts(invited=True, trained=True)) == Stage.DRAFTED
    assert journey.next_stage(journey.Facts(drafted=True)) == Stage.ALIGNED


def test_the_journey_is_complete_once_steady():
    assert journey.next_stage(journey.Facts(steady=True)) is None


@given(facts_strategy)
def test_having_reached_a_stage_means_having_reached_every_stage_before_it(facts):
    reached = [journey.has_reached(facts, stage) for stage in journey.STAGES]
    assert reached == sorted(reached, reverse=True)  # True ... True False ... False


@given(facts_strategy)
def test_there_is_no_next_step_exactly_when_steady_is_met(facts):
    assert (journey.next_stage(facts) is None) == facts.steady


@given(facts_strategy)
def test_the_next_step_is_never_one_already_reached(facts):
    following = journey.next_stage(facts)
    if following is not None:
        assert not journey.has_reached(facts, following)
        assert all(journey.has_reached(facts, s) for s in journey.STAGES[: journey.STAGES.index(following)])


def test_the_week_windows_are_four_back_to_back_weeks_ending_today_newest_first():
    windows = journey.week_windows(TODAY)
    assert windows == [
        (days_ago(6), TODAY),
        (days_ago(13), days_ago(7)),
        (days_ago(20), days_ago(14)),
        (days_ago(27), days_ago(21)),
    ]


def test_a_check_in_in_each_of_the_four_weeks_is_steady():
    assert journey.is_steady({TODAY, days_ago(7), days_ago(14), days_ago(27)}, TODAY)


def test_a_week_without_a_check_in_breaks_steadiness():
    assert not journey.is_steady({TODAY, days_ago(1), days_ago(7), days_ago(21)}, TODAY)  # none in 14..20


def test_a_check_in_four_weeks_ago_is_outside_the_last_window():
    assert not journey.is_steady({TODAY, days_ago(7), days_ago(14), days_ago(28)}, TODAY)


def test_nobody_without_check_ins_is_steady():
    assert not journey.is_steady(set(), TODAY)


# --- the plan ----------------------------------------------------------------------------------


def test_a_ticked_step_is_done_even_after_its_date():
    assert plan.step_state(due_on=days_ago(30), done_on=days_ago(1), today=TODAY) == plan.StepState.DONE


def test_a_step_is_overdue_the_day_after_its_date():
    assert plan.step_state(due_on=days_ago(1), done_on=None, today=TODAY) == plan.StepState.OVERDUE


def test_a_step_is_due_soon_on_its_date_and_up_to_fourteen_days_before():
    for days_left in (0, 1, 14):
        due_on = TODAY + datetime.timedelta(days=days_left)
        assert plan.step_state(due_on=due_on, done_on=None, today=TODAY) == plan.StepState.DUE_SOON


def test_a_step_fifteen_days_away_is_upcoming():
    due_on = TODAY + datetime.timedelta(days=15)
    assert plan.step_state(due_on=due_on, done_on=None, today=TODAY) == plan.StepState.UPCOMING


def test_the_proposed_plan_starts_with_eight_weeks_of_investigation():
    (first, due_on), *_ = plan.proposed_steps(TODAY)
    assert first.kind == plan.PHASE
    assert due_on == TODAY + datetime.timedelta(days=56)


def test_the_proposed_kick_off_is_a_milestone_in_week_28():
    with translation.override("en"):
        steps = {str(step.title): (step, due_on) for step, due_on in plan.proposed_steps(TODAY)}
    kick_off, due_on = steps["Company kick-off"]
    assert kick_off.kind == plan.MILESTONE
    assert due_on == TODAY + datetime.timedelta(days=196)


def test_the_proposed_steps_come_in_date_order():
    dates = [due_on for _step, due_on in plan.proposed_steps(TODAY)]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)


# --- the adoption funnel -----------------------------------------------------------------------

# People 1..6; the segment under test is {1, 2, 3}; its department owns groups 10 and 11.
SEGMENT = {1, 2, 3}
DEPARTMENT_GROUPS = {10, 11}


def _data() -> AdoptionData:
    return AdoptionData(
        holders={1, 3, 5},
        expected_to_check_in={1, 2, 5},
        activity={
            1: Activity(checked_in_ever=True, checked_in_7=True, checked_in_14=True, weeks=(True,) * 4),
            2: Activity(checked_in_ever=True, checked_in_7=False, checked_in_14=True, weeks=(False, True, True, True)),
            5: Activity(checked_in_ever=True, checked_in_7=True, checked_in_14=True, weeks=(True,) * 4),
        },
        drafts=[(100, 1, True, set()), (101, 2, False, set()), (102, 5, True, {11})],
        group_objectives=[
            (200, 1, {10}, True),  # led by 1, aligned
            (201, 5, {11}, False),  # led by an outsider, owned by the department
            (202, 4, {99}, False),  # nothing to do with the segment
            (203, 3, set(), False),  # led by 3, not aligned
        ],
        trained={1, 2},
        led={1, 2, 3},
        led_aligned={1},
        invited={1, 2, 3},
    )


def test_a_segments_goal_holders_and_check_ins_are_counted_among_its_people():
    figures = adoption.segment_figures(SEGMENT, _data())
    assert figures.with_goals == {1, 3}
    assert figures.checked_in_7.people == {1} and figures.checked_in_7.of == {1, 2}
    assert figures.checked_in_7.ratio == 0.5
    assert figures.checked_in_14.people == {1, 2} and figures.checked_in_14.ratio == 1.0
    assert figures.never_checked_in == {3}


def test_a_segments_drafts_are_those_its_people_lead():
    figures = adoption.segment_figures(SEGMENT, _data())
    assert (figures.drafts, figures.drafts_in_round, figures.draft_leads) == (2, 1, {1, 2})


def test_a_departments_drafts_include_those_its_groups_own():
    figures = adoption.segment_figures(SEGMENT, _data(), groups=DEPARTMENT_GROUPS)
    assert (figures.drafts, figures.drafts_in_round, figures.draft_leads) == (3, 2, {1, 2, 5})


def test_a_segments_group_objectives_are_those_its_people_lead():
    figures = adoption.segment_figures(SEGMENT, _data())
    assert (figures.group_objectives, figures.aligned, figures.unaligned_leads) == (2, 1, {3})
    assert figures.aligned_ratio == 0.5


def test_a_departments_group_objectives_include_those_its_groups_own():
    figures = adoption.segment_figures(SEGMENT, _data(), groups=DEPARTMENT_GROUPS)
    assert (figures.group_objectives, figures.aligned, figures.unaligned_leads) == (3, 1, {3, 5})


def test_everyone_reaches_the_stages_up_to_the_furthest_they_met():
    figures = adoption.segment_figures(SEGMENT, _data())
    # 1 did everything; 2 checked in but is not steady (and never aligned); 3 only drafted.
    assert figures.stages == {
        "invited": {1, 2, 3},
        "trained": {1, 2, 3},
        "drafted": {1, 2, 3},
        "aligned": {1, 2},
        "checked_in": {1, 2},
        "steady": {1},
    }


def test_an_empty_segment_has_no_ratios():
    figures = adoption.segment_figures(set(), _data())
    assert figures.checked_in_7.ratio is None and figures.aligned_ratio is None
    assert figures.drafts == 0 and figures.group_objectives == 0


def test_each_measure_names_the_people_behind_its_number():
    figures = adoption.segment_figures(SEGMENT, _data())
    expected = {
        "people": {1, 2, 3},
        "with_goals": {1, 3},
        "without_goals": {2},
        "draft_leads": {1, 2},
        "unaligned_leads": {3},
        "checked_in_7": {1},
        "missed_7": {2},
        "checked_in_14": {1, 2},
        "missed_14": set(),
        "never_checked_in": {3},
        "stage-invited": {1, 2, 3},
        "stage-trained": {1, 2, 3},
        "stage-drafted": {1, 2, 3},
        "stage-aligned": {1, 2},
        "stage-checked_in": {1, 2},
        "stage-steady": {1},
    }
    assert set(expected) == set(adoption.MEASURES)
    assert {name: figures.measure(name) for name in adoption.MEASURES} == expected


def test_an_unknown_measure_names_nobody():
    figures = adoption.segment_figures(SEGMENT, _data())
    assert figures.measure("everyone-ever") == set()
    assert figures.measure("stage-famous") == set()


def test_every_measure_has_a_label():
    with translation.override("en"):
        labels = [adoption.measure_label(name) for name in adoption.MEASURES]
    assert all(labels) and "Reached: First check-in" in labels


# --- a challenge round's feedback --------------------------------------------------------------


def point(criterion, verdict="", text=""):
    return FeedbackPoint(criterion=criterion, verdict=verdict, text=text)


def test_feedback_is_counted_per_criterion_in_the_criteria_order_with_questions_apart():
    agree, disagree = FeedbackPoint.Verdict.AGREE, FeedbackPoint.Verdict.DISAGREE
    silent_agreement = point(Criterion.AMBITIOUS, agree)
    disagreement = point(Criterion.AMBITIOUS, disagree)
    comment = point(Criterion.OUTCOME, agree, "Nice: a real outcome")
    bare_comment = point(Criterion.OUTCOME, "", "Who measures it?")
    first_question, second_question = point(Criterion.QUESTION, text="Why now?"), point(Criterion.QUESTION, text="How?")
    points = [silent_agreement, first_question, disagreement, comment, second_question, bare_comment]

    by_criterion, questions = challenge.grouped_feedback(points)

    assert [(g.criterion, g.agree, g.disagree) for g in by_criterion] == [
        (Criterion.OUTCOME, 1, 0),
        (Criterion.AMBITIOUS, 1, 1),
    ]
    assert by_criterion[0].points == [comment, bare_comment]
    assert by_criterion[1].points == [disagreement]  # a silent agreement is not a point to discuss
    assert questions == [first_question, second_question]


def test_resolved_points_are_not_open():
    resolved = point(Criterion.OWNER, FeedbackPoint.Verdict.DISAGREE)
    resolved.resolved_at = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    still_open = point(Criterion.OWNER, FeedbackPoint.Verdict.DISAGREE)
    (owner,), _ = challenge.grouped_feedback([resolved, still_open])
    assert owner.open_points == 1


def test_no_feedback_groups_nothing():
    assert challenge.grouped_feedback([]) == ([], [])


def _kr(pk, title="Weekly active users", start="0.0000", target="100.0000", unit="users", owner=7, kind="metric"):
    return {"id": pk, "title": title, "kind": kind, "start": start, "target": target, "unit": unit, "owner": owner}


def _objective(title="Customers love us", description="", key_results=()):
    return {"title": title, "description": description, "key_results": list(key_results)}


def test_nothing_changed_means_no_changes():
    before = _objective(key_results=[_kr(1), _kr(2, title="NPS", start=None, target=None, unit="")])
    assert challenge.changes_since(before, _objective(key_results=[_kr(1), _kr(2, "NPS", None, None, "")])) == []


def test_a_round_without_a_snapshot_shows_no_changes():
    assert challenge.changes_since({}, _objective(title="Anything")) == []


def test_a_new_title_is_shown_before_and_after():
    changes = challenge.changes_since(_objective("Be loved"), _objective("Customers love us"))
    assert changes == ["Title: “Be loved” → “Customers love us”"]


def test_a_rewritten_description_is_mentioned():
    changes = challenge.changes_since(_objective(description="Old"), _objective(description="New"))
    assert changes == ["The description was rewritten."]


def test_a_new_key_result_is_shown_with_its_figures():
    changes = challenge.changes_since(_objective(), _objective(key_results=[_kr(3, target="120.5000")]))
    assert changes == ["New key result: Weekly active users (0 → 120.5 users)"]


def test_a_removed_key_result_is_shown():
    changes = challenge.changes_since(_objective(key_results=[_kr(3, title="NPS")]), _objective())
    assert changes == ["Removed key result: NPS (0 → 100 users)"]


def test_a_key_result_with_a_new_target_is_shown_before_and_after():
    changes = challenge.changes_since(
        _objective(key_results=[_kr(3)]), _objective(key_results=[_kr(3, target="150.0000")])
    )
    assert changes == ["Key result: Weekly active users (0 → 100 users) → Weekly active users (0 → 150 users)"]


def test_a_key_result_with_a_new_owner_is_shown():
    changes = challenge.changes_since(_objective(key_results=[_kr(3)]), _objective(key_results=[_kr(3, owner=8)]))
    assert changes == ["New owner of the key result “Weekly active users”"]
