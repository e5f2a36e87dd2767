"""The rollout's services with the cast: who may run it, the plan, rollout groups and trainings,
and challenge rounds from opening to the decision log. Refused writes change nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lodestar.core.errors import NotAllowed, NotFound
from lodestar.core.scoping import organization_scope
from lodestar.okrs.models import Objective
from lodestar.orgs import services as orgs
from lodestar.orgs.models import Role
from lodestar.rollout import access, permissions, plan, services
from lodestar.rollout.models import (
    Attendance,
    ChallengeRound,
    Criterion,
    FeedbackPoint,
    FeedbackReply,
    Rollout,
    RolloutGroupMember,
    RolloutStep,
    RoundObjective,
)
from tests import factories
from tests.conftest import reload
from tests.rollout.conftest import make_ambassador

AGREE, DISAGREE = FeedbackPoint.Verdict.AGREE, FeedbackPoint.Verdict.DISAGREE


def days_from(cast, days: int) -> datetime.date:
    return cast.today + datetime.timedelta(days=days)


@pytest.fixture
def rollout(cast):
    return services.start_rollout(actor=cast.admin, starts_on=cast.today)


@pytest.fixture
def rollout_group(cast):
    return services.create_rollout_group(
        actor=cast.admin, name="First rollout group", coach=cast.admin, members=[cast.lead, cast.member]
    )


def points_of(reviewer_membership, challenge_round):
    return FeedbackPoint.objects.filter(round=challenge_round, reviewer__membership=reviewer_membership)


def review(membership, challenge_round, objective, verdicts, question=""):
    services.save_review(
        actor=membership, challenge=challenge_round, objective=objective, verdicts=verdicts, question=question
    )


def rows_of_round(challenge_round):
    """Everything a close writes, to compare before and after a refused close."""
    entries = RoundObjective.objects.filter(round=challenge_round).order_by("pk")
    objectives = Objective.objects.filter(pk__in=entries.values("objective_id")).order_by("pk")
    state = ChallengeRound.objects.filter(pk=challenge_round.pk).values("state", "summary", "closed_at", "closed_by")
    return (
        list(state),
        list(entries.values("decision", "published")),
        list(objectives.values("state", "progress", "status", "updated_at")),
        list(Objective.objects.order_by("pk").values("pk", "progress", "status")),
    )


# --- who runs the rollout ----------------------------------------------------------------------


def test_starting_the_rollout_proposes_every_step_of_the_plan_dated_from_the_start(cast):
    rollout = services.start_rollout(actor=cast.admin, starts_on=cast.today)
    steps = list(RolloutStep.objects.filter(rollout=rollout))
    assert [(step.title, step.due_on) for step in steps] == [
        (str(step.title), due_on) for step, due_on in plan.proposed_steps(cast.today)
    ]
    assert steps[0].due_on == days_from(cast, 56)
    assert {step.owner_id for step in steps} == {cast.admin.pk}


def test_the_rollout_starts_only_once(cast, rollout):
    with pytest.raises(ValidationError) as refused:
        services.start_rollout(actor=cast.owner, starts_on=days_from(cast, 30))
    assert "starts_on" in refused.value.message_dict
    assert Rollout.objects.count() == 1
    assert RolloutStep.objects.count() == len(plan.PROPOSED_PLAN)


@pytest.mark.parametrize("person", ["member", "viewer"])
def test_members_and_viewers_may_not_start_the_rollout(cast, person):
    with pytest.raises(NotAllowed):
        services.start_rollout(actor=getattr(cast, person), starts_on=cast.today)
    assert not Rollout.objects.exists()


def test_an_okr_ambassador_who_is_a_plain_member_runs_the_rollout(cast):
    ambassador = make_ambassador(cast, cast.member)
    rollout = services.start_rollout(actor=ambassador, starts_on=cast.today)
    assert rollout.started_by_id == cast.member.pk


def test_an_okr_ambassador_with_the_viewer_role_does_not_run_the_rollout(cast):
    ambassador = make_ambassador(cast, cast.viewer)
    assert ambassador.role == Role.VIEWER
    with pytest.raises(NotAllowed):
        services.start_rollout(actor=ambassador, starts_on=cast.today)


def test_a_start_date_must_be_a_date(cast):
    with pytest.raises(ValidationError):
        services.start_rollout(actor=cast.admin, starts_on="2026-01-01")


# --- the plan's steps --------------------------------------------------------------------------


def test_a_step_can_only_be_added_once_the_rollout_started(cast):
    with pytest.raises(ValidationError):
        services.create_step(actor=cast.admin, kind="milestone", title="Pilot done", due_on=cast.today)


def test_an_added_step_joins_the_plan(cast, rollout):
    step = services.create_step(
        actor=cast.admin, kind="milestone", title="  Pilot done ", due_on=days_from(cast, 3), owner=cast.lead
    )
    assert (step.rollout_id, step.title, step.owner_id) == (rollout.pk, "Pilot done", cast.lead.pk)


def test_a_step_needs_a_title_and_a_known_kind(cast, rollout):
    with pytest.raises(ValidationError) as refused:
        services.create_step(actor=cast.admin, kind="party", title="", due_on=cast.today)
    assert "kind" in refused.value.message_dict


def test_editing_a_step_changes_only_what_was_given(cast, rollout):
    step = RolloutStep.objects.filter(rollout=rollout).first()
    services.update_step(actor=cast.admin, step=step, title="Read two books", due_on=days_from(cast, 10))
    changed = reload(step)
    assert (changed.title, changed.due_on, changed.kind, changed.owner_id) == (
        "Read two books",
        days_from(cast, 10),
        step.kind,
        cast.admin.pk,
    )


def test_a_step_is_ticked_done_today_and_unticked(cast, rollout):
    step = RolloutStep.objects.filter(rollout=rollout).first()
    services.set_step_done(actor=cast.admin, step=step, done=True)
    assert reload(step).done_on == cast.acme.today()
    services.set_step_done(actor=cast.admin, step=step, done=False)
    assert reload(step).done_on is None


def test_a_member_may_not_tick_a_step(cast, rollout):
    step = RolloutStep.objects.filter(rollout=rollout).first()
    with pytest.raises(NotAllowed):
        services.set_step_done(actor=cast.member, step=step, done=True)
    assert reload(step).done_on is None


def test_a_deleted_step_leaves_the_plan(cast, rollout):
    step = RolloutStep.objects.filter(rollout=rollout).first()
    services.delete_step(actor=cast.admin, step=step)
    assert not RolloutStep.objects.filter(pk=step.pk).exists()


def test_another_organizations_person_cannot_own_a_step(cast, rollout):
    with pytest.raises(NotFound):
        services.create_step(actor=cast.admin, kind="phase", title="Spy", due_on=cast.today, owner=cast.beta_member)


def test_another_organization_cannot_edit_a_step(cast, rollout):
    step = RolloutStep.objects.filter(rollout=rollout).first()
    with pytest.raises(NotFound):
        services.update_step(actor=cast.beta_owner, step=step, title="Hijacked")
    assert reload(step).title == step.title


# --- rollout groups and trainings --------------------------------------------------------------


def test_a_rollout_group_is_set_up_with_its_members(cast, rollout_group):
    members = set(RolloutGroupMember.objects.filter(rollout_group=rollout_group).values_list("membership", flat=True))
    assert members == {cast.lead.pk, cast.member.pk}


def test_two_rollout_groups_cannot_share_a_name_whatever_its_case(cast, rollout_group):
    with pytest.raises(ValidationError) as refused:
        services.create_rollout_group(actor=cast.admin, name="FIRST ROLLOUT GROUP")
    assert "name" in refused.value.message_dict


def test_a_rollout_group_keeps_its_own_name_when_edited(cast, rollout_group):
    services.update_rollout_group(actor=cast.admin, rollout_group=rollout_group, target_stage="checked_in")
    assert reload(rollout_group).target_stage == "checked_in"


def test_a_member_may_not_set_up_a_rollout_group(cast):
    with pytest.raises(NotAllowed):
        services.create_rollout_group(actor=cast.member, name="Mine")


def test_adding_people_already_in_the_group_adds_only_the_others(cast, rollout_group):
    added = services.add_group_members(actor=cast.admin, rollout_group=rollout_group, people=[cast.member, cast.sales])
    again = services.add_group_members(actor=cast.admin, rollout_group=rollout_group, people=[cast.sales, cast.sales])
    assert (added, again) == (([cast.sales], [cast.member]), ([], [cast.sales]))
    assert RolloutGroupMember.objects.filter(rollout_group=rollout_group).count() == 3


def test_another_organizations_person_cannot_join_a_rollout_group(cast, rollout_group):
    with pytest.raises(NotFound):
        services.add_group_members(actor=cast.admin, rollout_group=rollout_group, people=[cast.beta_member])
    assert RolloutGroupMember.objects.filter(rollout_group=rollout_group).count() == 2


def test_a_deactivated_person_cannot_join_a_rollout_group(cast, rollout_group):
    gone = orgs.update_membership(actor=cast.owner, membership=cast.sales, is_active=False)
    with pytest.raises(ValidationError) as refused:
        services.add_group_members(actor=cast.admin, rollout_group=rollout_group, people=[gone])
    assert "members" in refused.value.message_dict
    assert not RolloutGroupMember.objects.filter(membership=gone).exists()


def test_a_removed_member_leaves_the_group(cast, rollout_group):
    services.remove_group_member(actor=cast.admin, rollout_group=rollout_group, membership=cast.lead)
    members = RolloutGroupMember.objects.filter(rollout_group=rollout_group).values_list("membership", flat=True)
    assert list(members) == [cast.member.pk]


def test_a_training_records_who_of_the_group_attended(cast, rollout_group):
    session = services.record_session(
        actor=cast.admin, rollout_group=rollout_group, held_on=cast.today, topic="Intro", attendees=[cast.member]
    )
    assert list(Attendance.objects.filter(session=session).values_list("membership", flat=True)) == [cast.member.pk]


def test_only_the_groups_members_can_attend_its_training(cast, rollout_group):
    with pytest.raises(ValidationError) as refused:
        services.record_session(
            actor=cast.admin, rollout_group=rollout_group, held_on=cast.today, topic="Intro", attendees=[cast.sales]
        )
    assert "attendees" in refused.value.message_dict
    assert not Attendance.objects.exists()


def test_editing_a_training_replaces_who_attended(cast, rollout_group):
    session = services.record_session(
        actor=cast.admin, rollout_group=rollout_group, held_on=cast.today, topic="Intro", attendees=[cast.member]
    )
    services.update_session(actor=cast.admin, session=session, held_on=cast.today, topic="Intro", attendees=[cast.lead])
    assert list(Attendance.objects.filter(session=session).values_list("membership", flat=True)) == [cast.lead.pk]


def test_a_refused_training_edit_keeps_its_attendees(cast, rollout_group):
    session = services.record_session(
        actor=cast.admin, rollout_group=rollout_group, held_on=cast.today, topic="Intro", attendees=[cast.member]
    )
    with pytest.raises(ValidationError):
        services.update_session(
            actor=cast.admin, session=session, held_on=cast.today, topic="New", attendees=[cast.sales]
        )
    assert reload(session).topic == "Intro"
    assert list(Attendance.objects.filter(session=session).values_list("membership", flat=True)) == [cast.member.pk]


# --- opening a challenge round -----------------------------------------------------------------


def open_round(cast, objectives, *, deadline=None, reviewers=None, actor=None):
    return services.open_round(
        actor=actor or cast.admin,
        title="Challenge",
        deadline=deadline or days_from(cast, 7),
        objectives=objectives,
        reviewers=[cast.lead] if reviewers is None else reviewers,
    )


@pytest.fixture
def draft(cast):
    return factories.objective(cast.owner, timeframe=cast.quarter, title="Open an office", state="draft")


def test_an_opened_round_remembers_what_its_objectives_said(cast, challenge_round):
    entry = RoundObjective.objects.get(round=challenge_round.round, objective=challenge_round.draft)
    assert entry.snapshot["title"] == "Ship faster"
    assert [kr["title"] for kr in entry.snapshot["key_results"]] == ["Lead time", "Deploys per day"]


def test_only_drafts_are_challenged(cast, draft):
    active = factories.objective(cast.owner, timeframe=cast.quarter, title="Already live")
    with pytest.raises(ValidationError) as refused:
        open_round(cast, [draft, active])
    assert "objectives" in refused.value.message_dict
    assert not ChallengeRound.objects.exists()


def test_a_rounds_deadline_cannot_be_in_the_past(cast, draft):
    with pytest.raises(ValidationError) as refused:
        open_round(cast, [draft], deadline=days_from(cast, -1))
    assert "deadline" in refused.value.message_dict


def test_a_round_may_end_today(cast, draft):
    assert open_round(cast, [draft], deadline=cast.acme.today()).is_open


def test_a_round_needs_reviewers(cast, draft):
    with pytest.raises(ValidationError) as refused:
        open_round(cast, [draft], reviewers=[])
    assert "reviewers" in refused.value.message_dict


def test_a_round_needs_objectives(cast):
    with pytest.raises(ValidationError) as refused:
        open_round(cast, [])
    assert "objectives" in refused.value.message_dict


def test_another_organizations_draft_cannot_be_challenged(cast):
    theirs = factories.objective(cast.beta_owner, timeframe=cast.beta_quarter, state="draft")
    with pytest.raises(NotFound):
        open_round(cast, [theirs])


def test_a_member_may_not_open_a_round(cast, draft):
    with pytest.raises(NotAllowed):
        open_round(cast, [draft], actor=cast.member)


# --- reviewing ---------------------------------------------------------------------------------


def test_a_reviewers_verdicts_on_the_objective_and_a_key_result_are_saved(cast, challenge_round):
    c = challenge_round
    review(
        cast.lead,
        c.round,
        c.draft,
        {(None, Criterion.OUTCOME): (AGREE, ""), (c.lead_time, Criterion.MEASURABLE): (DISAGREE, "Measured how?")},
    )
    saved = points_of(cast.lead, c.round).values_list("key_result", "criterion", "verdict", "text")
    assert set(saved) == {
        (None, "outcome", "agree", ""),
        (c.lead_time.pk, "measurable", "disagree", "Measured how?"),
    }


def test_measurable_is_a_criterion_of_key_results_not_of_objectives(cast, challenge_round):
    c = challenge_round
    with pytest.raises(ValidationError):
        review(cast.lead, c.round, c.draft, {(None, Criterion.MEASURABLE): (AGREE, "")})
    assert not points_of(cast.lead, c.round).exists()


def test_the_number_of_key_results_is_a_criterion_of_objectives_not_of_key_results(cast, challenge_round):
    c = challenge_round
    with pytest.raises(ValidationError):
        review(cast.lead, c.round, c.draft, {(c.lead_time, Criterion.KR_COUNT): (AGREE, "")})
    assert not points_of(cast.lead, c.round).exists()


def test_a_question_is_not_a_verdict(cast, challenge_round):
    c = challenge_round
    with pytest.raises(ValidationError):
        review(cast.lead, c.round, c.draft, {(None, Criterion.QUESTION): ("", "Why?")})


def test_an_unknown_verdict_is_refused(cast, challenge_round):
    c = challenge_round
    with pytest.raises(ValidationError):
        review(cast.lead, c.round, c.draft, {(None, Criterion.OWNER): ("maybe", "")})


def test_a_refused_review_saves_none_of_its_verdicts(cast, challenge_round):
    c = challenge_round
    verdicts = {(None, Criterion.OUTCOME): (AGREE, "Good"), (None, Criterion.MEASURABLE): (AGREE, "")}
    with pytest.raises(ValidationError):
        review(cast.lead, c.round, c.draft, verdicts)
    assert not points_of(cast.lead, c.round).exists()


def test_another_objectives_key_result_cannot_be_reviewed_here(cast, challenge_round):
    c = challenge_round
    elsewhere = factories.metric(cast.owner, c.company_draft, title="Desks")
    with pytest.raises(ValidationError):
        review(cast.lead, c.round, c.draft, {(elsewhere, Criterion.OUTCOME): (AGREE, "")})


def test_an_objective_outside_the_round_cannot_be_reviewed_in_it(cast, challenge_round):
    c = challenge_round
    with pytest.raises(ValidationError):
        review(cast.lead, c.round, c.company, {(None, Criterion.OUTCOME): (AGREE, "")})


def test_saving_again_replaces_the_earlier_verdict(cast, challenge_round):
    c = challenge_round
    review(cast.lead, c.round, c.draft, {(None, Criterion.OWNER): (AGREE, "")})
    review(cast.lead, c.round, c.draft, {(None, Criterion.OWNER): (DISAGREE, "Two leads?")})
    assert list(points_of(cast.lead, c.round).values_list("criterion", "verdict", "text")) == [
        ("owner", "disagree", "Two leads?")
    ]


def test_an_empty_verdict_and_comment_removes_the_point(cast, challenge_round):
    c = challenge_round
    review(cast.lead, c.round, c.draft, {(None, Criterion.OWNER): (AGREE, ""), (None, Criterion.ALIGNED): (AGREE, "")})
    review(cast.lead, c.round, c.draft, {(None, Criterion.OWNER): ("", "  "), (None, Criterion.ALIGNED): (AGREE, "")})
    assert list(points_of(cast.lead, c.round).values_list("criterion", flat=True)) == ["aligned"]


def test_each_question_adds_a_point(cast, challenge_round):
    c = challenge_round
    review(cast.lead, c.round, c.draft, {}, question="Why now?")
    review(cast.lead, c.round, c.draft, {}, question="Who pays?")
    questions = points_of(cast.lead, c.round).filter(criterion=Criterion.QUESTION)
    assert list(questions.values_list("text", flat=True)) == ["Why now?", "Who pays?"]


def test_only_the_rounds_reviewers_give_feedback(cast, challenge_round):
    c = challenge_round
    with pytest.raises(NotAllowed):
        review(c.outsider, c.round, c.draft, {(None, Criterion.OUTCOME): (AGREE, "")})
    assert not FeedbackPoint.objects.exists()


def test_a_review_cannot_be_submitted_without_feedback(cast, challenge_round):
    with pytest.raises(ValidationError):
        services.submit_review(actor=cast.lead, challenge=challenge_round.round)


def test_a_submitted_review_is_stamped(cast, challenge_round):
    c = challenge_round
    review(cast.lead, c.round, c.draft, {}, question="Why now?")
    reviewer = services.submit_review(actor=cast.lead, challenge=c.round)
    assert reviewer.submitted_at is not None


# --- who reads what ----------------------------------------------------------------------------


@pytest.fixture
def lead_point(cast, challenge_round):
    """The lead's disagreement on the draft's owner, not yet submitted."""
    c = challenge_round
    review(cast.lead, c.round, c.draft, {(None, Criterion.OWNER): (DISAGREE, "Who leads this?")})
    return points_of(cast.lead, c.round).get()


def test_a_reviewer_reads_their_own_points_before_submitting(cast, lead_point):
    assert permissions.can_read_point(cast.lead, lead_point)


def test_before_a_reviewer_submits_neither_another_reviewer_nor_the_author_reads_their_points(cast, lead_point):
    assert not permissions.can_read_point(cast.sales, lead_point)
    assert not permissions.can_read_point(cast.member, lead_point)


def test_an_unsubmitted_point_is_not_found_by_the_author(cast, lead_point):
    with pytest.raises(NotFound):
        access.access_point(cast.member, lead_point.pk)


def test_after_a_reviewer_submits_the_author_reads_their_points(cast, lead_point):
    services.submit_review(actor=cast.lead, challenge=lead_point.round)
    point = reload(lead_point)
    assert permissions.can_read_point(cast.member, point)
    assert access.access_point(cast.member, point.pk) == point


def test_another_reviewer_reads_a_submitted_point_only_after_submitting_their_own(cast, challenge_round, lead_point):
    services.submit_review(actor=cast.lead, challenge=lead_point.round)
    point = reload(lead_point)
    assert not permissions.can_read_point(cast.sales, point)
    review(cast.sales, challenge_round.round, challenge_round.draft, {(None, Criterion.AMBITIOUS): (DISAGREE, "")})
    services.submit_review(actor=cast.sales, challenge=challenge_round.round)
    assert permissions.can_read_point(cast.sales, point)


def test_a_submitted_point_on_a_private_objective_stays_hidden_from_who_may_not_see_it(cast, outsider):
    secret = factories.objective(
        cast.lead,
        timeframe=cast.quarter,
        title="Secret reorg",
        level="group",
        groups=[cast.engineering],
        state="draft",
        visibility="private",
    )
    opened = open_round(cast, [secret], reviewers=[cast.lead])
    review(cast.lead, opened, secret, {(None, Criterion.OUTCOME): (AGREE, "ok")})
    services.submit_review(actor=cast.lead, challenge=opened)
    point = points_of(cast.lead, opened).get()
    assert not permissions.can_read_point(cast.sales, point)
    assert permissions.can_read_point(cast.member, point)  # in Engineering


def test_an_open_round_is_not_found_by_a_member_neither_reviewing_nor_leading_in_it(cast, challenge_round):
    c = challenge_round
    assert not permissions.can_view_round(c.outsider, c.round)
    with pytest.raises(NotFound):
        access.access_round(c.outsider, c.round.pk)


def test_an_open_round_is_seen_by_its_reviewers_the_leads_of_its_objectives_and_the_ambassador(cast, challenge_round):
    c = challenge_round
    ambassador = make_ambassador(cast, c.outsider)
    for person in (cast.lead, cast.member, ambassador):
        assert access.access_round(person, c.round.pk) == c.round


def test_a_closed_round_is_seen_by_everyone(cast, challenge_round):
    c = challenge_round
    services.close_round(actor=cast.admin, challenge=c.round, decisions={}, publish=set())
    assert access.access_round(c.outsider, c.round.pk) == c.round
    assert access.access_round(cast.viewer, c.round.pk) == c.round


def test_a_deactivated_reviewer_no_longer_sees_the_round(cast, challenge_round):
    gone = orgs.update_membership(actor=cast.owner, membership=cast.sales, is_active=False)
    assert not permissions.can_view_round(gone, challenge_round.round)


# --- discussing points -------------------------------------------------------------------------


@pytest.fixture
def shared_point(cast, lead_point):
    services.submit_review(actor=cast.lead, challenge=lead_point.round)
    return reload(lead_point)


def test_the_author_replies_to_a_point(cast, shared_point):
    reply = services.reply_to_point(actor=cast.member, point=shared_point, text="I lead it.")
    assert (reply.point_id, reply.author_id, reply.text) == (shared_point.pk, cast.member.pk, "I lead it.")


def test_another_reviewer_replies_to_a_point_once_they_submitted(cast, challenge_round, shared_point):
    with pytest.raises(NotAllowed):
        services.reply_to_point(actor=cast.sales, point=shared_point, text="Agreed, unclear.")
    review(cast.sales, challenge_round.round, challenge_round.draft, {(None, Criterion.AMBITIOUS): (DISAGREE, "")})
    services.submit_review(actor=cast.sales, challenge=challenge_round.round)
    services.reply_to_point(actor=cast.sales, point=shared_point, text="Agreed, unclear.")
    assert FeedbackReply.objects.filter(point=shared_point, author=cast.sales).exists()


def test_someone_taking_no_part_in_the_round_may_not_reply(cast, challenge_round, shared_point):
    with pytest.raises(NotAllowed):
        services.reply_to_point(actor=challenge_round.outsider, point=shared_point, text="Me too")
    assert not FeedbackReply.objects.exists()


def test_nobody_but_its_reviewer_replies_to_a_point_before_it_is_shared(cast, lead_point):
    for person in (cast.member, cast.sales):
        with pytest.raises(NotAllowed):
            services.reply_to_point(actor=person, point=lead_point, text="Seen it")
    assert not FeedbackReply.objects.exists()


def test_the_author_does_not_resolve_a_point_before_it_is_shared(cast, lead_point):
    with pytest.raises(NotAllowed):
        services.resolve_point(actor=cast.member, point=lead_point, resolved=True)
    assert reload(lead_point).resolved_at is None


def test_an_empty_reply_is_refused(cast, shared_point):
    with pytest.raises(ValidationError):
        services.reply_to_point(actor=cast.member, point=shared_point, text="   ")


def test_the_author_resolves_a_point_and_opens_it_again(cast, shared_point):
    services.resolve_point(actor=cast.member, point=shared_point, resolved=True)
    resolved = reload(shared_point)
    assert resolved.resolved_at is not None and resolved.resolved_by_id == cast.member.pk
    services.resolve_point(actor=cast.member, point=resolved, resolved=False)
    assert reload(shared_point).resolved_at is None


def test_a_reviewer_who_may_not_edit_the_objective_does_not_resolve_its_points(cast, shared_point):
    with pytest.raises(NotAllowed):
        services.resolve_point(actor=cast.sales, point=shared_point, resolved=True)
    assert reload(shared_point).resolved_at is None


def test_nobody_replies_once_the_round_is_closed(cast, challenge_round, shared_point):
    services.close_round(actor=cast.admin, challenge=challenge_round.round, decisions={}, publish=set())
    with pytest.raises(NotAllowed):
        services.reply_to_point(actor=cast.member, point=reload(shared_point), text="Late")
    with pytest.raises(NotAllowed):
        services.resolve_point(actor=cast.admin, point=reload(shared_point), resolved=True)


def test_feedback_cannot_be_given_once_the_round_is_closed(cast, challenge_round):
    c = challenge_round
    services.close_round(actor=cast.admin, challenge=c.round, decisions={}, publish=set())
    with pytest.raises(NotAllowed):
        review(cast.lead, reload(c.round), c.draft, {(None, Criterion.OUTCOME): (AGREE, "")})


# --- closing -----------------------------------------------------------------------------------


def entry_of(challenge_round, objective):
    return RoundObjective.objects.get(round=challenge_round, objective=objective)


def test_closing_publishes_the_chosen_drafts_and_logs_the_decisions(cast, challenge_round):
    c = challenge_round
    chosen, kept = entry_of(c.round, c.draft), entry_of(c.round, c.company_draft)
    services.close_round(
        actor=cast.admin,
        challenge=c.round,
        decisions={chosen.pk: "Go, with one owner", kept.pk: "Needs a budget first"},
        publish={chosen.pk},
        summary="One objective goes live.",
    )
    assert (reload(c.draft).state, reload(c.company_draft).state) == (Objective.State.ACTIVE, Objective.State.DRAFT)
    assert [(e.decision, e.published) for e in (reload(chosen), reload(kept))] == [
        ("Go, with one owner", True),
        ("Needs a budget first", False),
    ]
    closed = reload(c.round)
    assert (closed.state, closed.summary, closed.closed_by_id) == ("closed", "One objective goes live.", cast.admin.pk)
    assert closed.closed_at is not None


def test_a_published_draft_starts_counting_in_its_parents_progress(cast, challenge_round):
    c = challenge_round
    assert reload(c.company).progress == 0.0  # drafts count nowhere
    services.close_round(actor=cast.admin, challenge=c.round, decisions={}, publish={entry_of(c.round, c.draft).pk})
    assert reload(c.draft).progress == 0.25  # lead time at 50 %, deploys at 0
    assert reload(c.company).progress == 0.25


def test_a_round_closes_only_once(cast, challenge_round):
    c = challenge_round
    services.close_round(actor=cast.admin, challenge=c.round, decisions={}, publish=set(), summary="First")
    with pytest.raises(NotAllowed):
        services.close_round(actor=cast.admin, challenge=c.round, decisions={}, publish={entry_of(c.round, c.draft).pk})
    assert reload(c.round).summary == "First"
    assert reload(c.draft).state == Objective.State.DRAFT


def test_a_member_may_not_close_a_round(cast, challenge_round):
    c = challenge_round
    before = rows_of_round(c.round)
    with pytest.raises(NotAllowed):
        services.close_round(
            actor=cast.member, challenge=c.round, decisions={}, publish={entry_of(c.round, c.draft).pk}
        )
    assert rows_of_round(c.round) == before


def test_a_close_naming_another_rounds_objective_changes_nothing(cast, challenge_round):
    c = challenge_round
    other = open_round(cast, [factories.objective(cast.owner, timeframe=cast.quarter, title="Other", state="draft")])
    foreign = RoundObjective.objects.get(round=other)
    mine = entry_of(c.round, c.draft)
    before = rows_of_round(c.round)
    with pytest.raises(ValidationError):
        services.close_round(
            actor=cast.admin,
            challenge=c.round,
            decisions={mine.pk: "Go"},
            publish={mine.pk, foreign.pk},
            summary="Done",
        )
    assert rows_of_round(c.round) == before
    assert reload(foreign).published is False


def test_a_close_that_fails_half_way_through_publishing_leaves_every_row_as_it_was(cast, challenge_round):
    """The ambassador may not activate an objective of a closed timeframe: the draft published
    before it in the same close is rolled back with the decisions and the round's state."""
    c = challenge_round
    ambassador = make_ambassador(cast, c.outsider)
    old = factories.objective(cast.owner, timeframe=cast.closed, title="Last quarter's idea", state="draft")
    opened = open_round(cast, [c.draft, old], actor=ambassador)
    entries = {entry.objective_id: entry.pk for entry in RoundObjective.objects.filter(round=opened)}
    before = rows_of_round(opened)
    with pytest.raises(NotAllowed):
        services.close_round(
            actor=ambassador,
            challenge=opened,
            decisions={entries[c.draft.pk]: "Go", entries[old.pk]: "Go"},
            publish=set(entries.values()),
            summary="All live",
        )
    assert rows_of_round(opened) == before
    assert reload(c.draft).state == Objective.State.DRAFT


def test_a_close_whose_summary_is_too_long_publishes_nothing(cast, challenge_round):
    c = challenge_round
    chosen = entry_of(c.round, c.draft)
    before = rows_of_round(c.round)
    with pytest.raises(ValidationError):
        services.close_round(
            actor=cast.admin, challenge=c.round, decisions={chosen.pk: "Go"}, publish={chosen.pk}, summary="x" * 10_001
        )
    assert rows_of_round(c.round) == before
    assert (reload(c.draft).state, reload(c.company).progress) == (Objective.State.DRAFT, 0.0)


def test_an_overlong_decision_closes_nothing(cast, challenge_round):
    c = challenge_round
    entries = [entry_of(c.round, c.draft).pk, entry_of(c.round, c.company_draft).pk]
    before = rows_of_round(c.round)
    with pytest.raises(ValidationError):
        services.close_round(
            actor=cast.admin,
            challenge=c.round,
            decisions={entries[0]: "Go", entries[1]: "x" * 10_001},
            publish=set(entries),
        )
    assert rows_of_round(c.round) == before


# --- another organization ----------------------------------------------------------------------


@pytest.fixture
def acme_rows(cast, challenge_round, rollout, rollout_group):
    c = challenge_round
    review(cast.lead, c.round, c.draft, {(None, Criterion.OUTCOME): (AGREE, "Yes")})
    services.submit_review(actor=cast.lead, challenge=c.round)
    session = services.record_session(actor=cast.admin, rollout_group=rollout_group, held_on=cast.today, topic="Intro")
    return {
        "step": RolloutStep.objects.filter(rollout=rollout).first().pk,
        "rollout_group": rollout_group.pk,
        "session": session.pk,
        "round": c.round.pk,
        "point": points_of(cast.lead, c.round).get().pk,
    }


@pytest.mark.parametrize("kind", ["step", "rollout_group", "session", "round", "point"])
@pytest.mark.parametrize("person", ["beta_owner", "beta_member"])
def test_beta_never_reaches_acmes_rollout_rows(cast, acme_rows, kind, person):
    services.close_round(actor=cast.admin, challenge=ChallengeRound.objects.get(), decisions={}, publish=set())
    finder = getattr(access, f"access_{kind}")
    with organization_scope(cast.beta), pytest.raises(NotFound):
        finder(getattr(cast, person), acme_rows[kind])


def test_beta_cannot_add_its_people_to_acmes_rollout_group(cast, rollout_group):
    with pytest.raises(NotFound):
        services.add_group_members(actor=cast.beta_owner, rollout_group=rollout_group, people=[cast.beta_member])


def test_an_id_that_is_not_a_number_is_not_found(cast):
    with pytest.raises(NotFound):
        access.access_round(cast.admin, "1 OR 1=1")
