"""Every write of the rollout: plan, rollout groups, trainings, challenge rounds, the deck, nudges.

Each service takes the acting membership first, checks that it may (admins and OKR ambassadors
run the rollout; reviewers and authors take part in challenge rounds), validates what was typed
and runs as one transaction. Errors: ValidationError (keyed by field), NotAllowed, NotFound.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lodestar.core.errors import NotAllowed, NotFound
from lodestar.core.guards import require_same_organization
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_choice, clean_text, is_plain_date
from lodestar.okrs import services as okrs_services
from lodestar.okrs.models import KeyResult, Objective
from lodestar.okrs.permissions import can_view_objective
from lodestar.orgs.models import Membership
from lodestar.rollout import challenge, permissions, plan, snapshots
from lodestar.rollout.models import (
    KEY_RESULT_CRITERIA,
    OBJECTIVE_CRITERIA,
    Attendance,
    ChallengeRound,
    Criterion,
    FeedbackPoint,
    FeedbackReply,
    OnboardingSlide,
    Reviewer,
    Rollout,
    RolloutGroup,
    RolloutGroupMember,
    RolloutStep,
    RoundObjective,
    Stage,
    TrainingSession,
)

TITLE_MAX = 200
TEXT_MAX = 10_000
GROUP_SIZE_MAX = 200
ROUND_OBJECTIVES_MAX = 30
ROUND_REVIEWERS_MAX = 50
DECK_SLIDES_MAX = 30


def _require_runs_rollout(actor: Membership) -> None:
    if not actor.runs_rollout:
        raise NotAllowed(_("Only admins and OKR ambassadors run the rollout."))


def _clean_date(value, field: str, *, required: bool = True) -> datetime.date | None:
    if value is None and not required:
        return None
    if not is_plain_date(value):
        raise ValidationError({field: [_("Enter a valid date.")]})
    return value


def _clean_person(actor: Membership, person: Membership | None, field: str, *, required: bool = False, current_id=None):
    """An active person of the organization; ``current_id`` (the one already chosen) may stay
    even after being deactivated, so that other edits still save."""
    if person is None:
        if required:
            raise ValidationError({field: [_("Choose a person.")]})
        return None
    require_same_organization(actor, person)
    if not person.is_active and person.pk != current_id:
        raise ValidationError({field: [_("%(person)s is deactivated.") % {"person": person}]})
    return person


def _clean_people(actor: Membership, people, field: str, *, most: int) -> list[Membership]:
    """Active people of the organization, each once; the deactivated are refused, all of them named."""
    unique = list({person.pk: person for person in people or ()}.values())
    if len(unique) > most:
        raise ValidationError({field: [_("Choose at most %(count)d people.") % {"count": most}]})
    require_same_organization(actor, *unique)
    gone = [str(person) for person in unique if not person.is_active]
    if gone:
        raise ValidationError(
            {field: [_("Deactivated people cannot be chosen: %(names)s.") % {"names": ", ".join(gone)}]}
        )
    return unique


# --- the plan ----------------------------------------------------------------------------------


@atomic_service
def start_rollout(*, actor: Membership, starts_on: datetime.date) -> Rollout:
    """Start the organization's rollout with the plan the customer story followed, its target
    dates counted from ``starts_on``; the steps are written in the actor's language and all editable."""
    _require_runs_rollout(actor)
    starts_on = _clean_date(starts_on, "starts_on")
    if Rollout.objects.filter(organization_id=actor.organization_id).exists():
        raise ValidationError({"starts_on": [_("The rollout has already started.")]})
    rollout = Rollout.objects.create(organization_id=actor.organization_id, starts_on=starts_on, started_by=actor)
    RolloutStep.objects.bulk_create(
        RolloutStep(
            organization_id=actor.organization_id,
            rollout=rollout,
            kind=step.kind,
            title=str(step.title),
            description=str(step.description),
            due_on=due_on,
            owner=actor,
        )
        for step, due_on in plan.proposed_steps(starts_on)
    )
    return rollout


def _clean_step_fields(actor: Membership, *, kind, title, description, due_on, owner, current_owner=None) -> dict:
    return {
        "kind": clean_choice(kind, field="kind", choices=RolloutStep.Kind),
        "title": clean_text(title, field="title", max_length=TITLE_MAX, required=True),
        "description": clean_text(description, field="description", max_length=TEXT_MAX, multiline=True),
        "due_on": _clean_date(due_on, "due_on"),
        "owner": _clean_person(actor, owner, "owner", current_id=current_owner),
    }


@atomic_service
def create_step(*, actor: Membership, kind: str, title: str, due_on, description: str = "", owner=None) -> RolloutStep:
    _require_runs_rollout(actor)
    rollout = Rollout.objects.filter(organization_id=actor.organization_id).first()
    if rollout is None:
        raise ValidationError(_("Start the rollout first."))
    fields = _clean_step_fields(actor, kind=kind, title=title, description=description, due_on=due_on, owner=owner)
    return RolloutStep.objects.create(organization_id=actor.organization_id, rollout=rollout, **fields)


@atomic_service
def update_step(*, actor: Membership, step: RolloutStep, **changes) -> RolloutStep:
    _require_runs_rollout(actor)
    require_same_organization(actor, step)
    current = {name: getattr(step, name) for name in ("kind", "title", "description", "due_on", "owner")}
    unknown = set(changes) - set(current)
    if unknown:
        raise TypeError(f"update_step got unknown fields {sorted(unknown)}")
    fields = _clean_step_fields(actor, **{**current, **changes}, current_owner=step.owner_id)
    for name, value in fields.items():
        setattr(step, name, value)
    step.save()
    return step


@atomic_service
def set_step_done(*, actor: Membership, step: RolloutStep, done: bool) -> RolloutStep:
    """Tick a step done today (the organization's date), or untick it."""
    _require_runs_rollout(actor)
    require_same_organization(actor, step)
    step.done_on = actor.organization.today() if done else None
    step.save(update_fields=["done_on"])
    return step


@atomic_service
def delete_step(*, actor: Membership, step: RolloutStep) -> None:
    _require_runs_rollout(actor)
    require_same_organization(actor, step)
    step.delete()


# --- rollout groups and trainings --------------------------------------------------------------


def _clean_group_fields(actor: Membership, *, name, description, coach, target_stage, target_on, group=None) -> dict:
    name = clean_text(name, field="name", max_length=120, required=True)
    taken = RolloutGroup.objects.filter(organization_id=actor.organization_id, name__iexact=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise ValidationError({"name": [_("A rollout group of this name exists already.")]})
    return {
        "name": name,
        "description": clean_text(description, field="description", max_length=TEXT_MAX, multiline=True),
        "coach": _clean_person(actor, coach, "coach", current_id=group.coach_id if group else None),
        "target_stage": clean_choice(target_stage, field="target_stage", choices=Stage),
        "target_on": _clean_date(target_on, "target_on", required=False),
    }


@atomic_service
def create_rollout_group(
    *,
    actor: Membership,
    name: str,
    description: str = "",
    coach=None,
    target_stage=Stage.ALIGNED,
    target_on=None,
    members=(),
) -> RolloutGroup:
    _require_runs_rollout(actor)
    fields = _clean_group_fields(
        actor, name=name, description=description, coach=coach, target_stage=target_stage, target_on=target_on
    )
    group = RolloutGroup.objects.create(organization_id=actor.organization_id, **fields)
    add_group_members(actor=actor, rollout_group=group, people=members)
    return group


@atomic_service
def update_rollout_group(*, actor: Membership, rollout_group: RolloutGroup, **changes) -> RolloutGroup:
    _require_runs_rollout(actor)
    require_same_organization(actor, rollout_group)
    names = ("name", "description", "coach", "target_stage", "target_on")
    unknown = set(changes) - set(names)
    if unknown:
        raise TypeError(f"update_rollout_group got unknown fields {sorted(unknown)}")
    current = {name: getattr(rollout_group, name) for name in names}
    for name, value in _clean_group_fields(actor, **{**current, **changes}, group=rollout_group).items():
        setattr(rollout_group, name, value)
    rollout_group.save()
    return rollout_group


@atomic_service
def delete_rollout_group(*, actor: Membership, rollout_group: RolloutGroup) -> None:
    """Remove a rollout group with its trainings and nudges; its people and their goals stay."""
    _require_runs_rollout(actor)
    require_same_organization(actor, rollout_group)
    rollout_group.delete()
    snapshots.figures_changed(actor.organization_id)


@atomic_service
def add_group_members(
    *, actor: Membership, rollout_group: RolloutGroup, people
) -> tuple[list[Membership], list[Membership]]:
    """Invite several people into a rollout group at once: (added, already in it). Those already
    in it are left as they are; a deactivated person refuses the whole list (a fixed number of queries)."""
    _require_runs_rollout(actor)
    require_same_organization(actor, rollout_group)
    people = _clean_people(actor, people, "members", most=GROUP_SIZE_MAX)
    present = set(
        RolloutGroupMember.objects.filter(
            organization_id=actor.organization_id, rollout_group=rollout_group
        ).values_list("membership_id", flat=True)
    )
    added = [person for person in people if person.pk not in present]
    if len(present) + len(added) > GROUP_SIZE_MAX:
        raise ValidationError(
            {"members": [_("A rollout group holds at most %(count)d people.") % {"count": GROUP_SIZE_MAX}]}
        )
    RolloutGroupMember.objects.bulk_create(
        RolloutGroupMember(organization_id=actor.organization_id, rollout_group=rollout_group, membership=person)
        for person in added
    )
    snapshots.figures_changed(actor.organization_id)
    return added, [person for person in people if person.pk in present]


@atomic_service
def remove_group_member(*, actor: Membership, rollout_group: RolloutGroup, membership: Membership) -> None:
    _require_runs_rollout(actor)
    require_same_organization(actor, rollout_group, membership)
    RolloutGroupMember.objects.filter(
        organization_id=actor.organization_id, rollout_group=rollout_group, membership=membership
    ).delete()
    snapshots.figures_changed(actor.organization_id)


def _clean_attendees(actor: Membership, rollout_group: RolloutGroup, attendees) -> list[Membership]:
    people = _clean_people(actor, attendees, "attendees", most=GROUP_SIZE_MAX)
    in_group = set(
        RolloutGroupMember.objects.filter(
            organization_id=actor.organization_id, rollout_group=rollout_group
        ).values_list("membership_id", flat=True)
    )
    strangers = [str(person) for person in people if person.pk not in in_group]
    if strangers:
        raise ValidationError(
            {"attendees": [_("Not in this rollout group: %(names)s.") % {"names": ", ".join(strangers)}]}
        )
    return people


@atomic_service
def record_session(
    *, actor: Membership, rollout_group: RolloutGroup, held_on, topic: str, attendees=()
) -> TrainingSession:
    """Record a training of a rollout group and who attended it (attendees are group members)."""
    _require_runs_rollout(actor)
    require_same_organization(actor, rollout_group)
    session = TrainingSession.objects.create(
        organization_id=actor.organization_id,
        rollout_group=rollout_group,
        held_on=_clean_date(held_on, "held_on"),
        topic=clean_text(topic, field="topic", max_length=TITLE_MAX, required=True),
    )
    _set_attendees(session, _clean_attendees(actor, rollout_group, attendees))
    return session


@atomic_service
def update_session(*, actor: Membership, session: TrainingSession, held_on, topic: str, attendees) -> TrainingSession:
    _require_runs_rollout(actor)
    require_same_organization(actor, session)
    session.held_on = _clean_date(held_on, "held_on")
    session.topic = clean_text(topic, field="topic", max_length=TITLE_MAX, required=True)
    people = _clean_attendees(actor, session.rollout_group, attendees)
    session.save()
    _set_attendees(session, people)
    return session


@atomic_service
def delete_session(*, actor: Membership, session: TrainingSession) -> None:
    _require_runs_rollout(actor)
    require_same_organization(actor, session)
    session.delete()
    snapshots.figures_changed(actor.organization_id)


def _set_attendees(session: TrainingSession, people: list[Membership]) -> None:
    Attendance.objects.filter(organization_id=session.organization_id, session=session).delete()
    Attendance.objects.bulk_create(
        Attendance(organization_id=session.organization_id, session=session, membership=person) for person in people
    )
    snapshots.figures_changed(session.organization_id)


# --- challenge rounds --------------------------------------------------------------------------


def objective_snapshot(objective: Objective) -> dict:
    key_results = KeyResult.objects.filter(organization_id=objective.organization_id, objective=objective)
    return challenge.snapshot(objective, key_results)


@atomic_service
def open_round(*, actor: Membership, title: str, deadline, objectives, reviewers) -> ChallengeRound:
    """Put draft objectives before reviewers until ``deadline`` (today or later)."""
    _require_runs_rollout(actor)
    title = clean_text(title, field="title", max_length=TITLE_MAX, required=True)
    deadline = _clean_date(deadline, "deadline")
    if deadline < actor.organization.today():
        raise ValidationError({"deadline": [_("The deadline cannot be in the past.")]})
    chosen = list({objective.pk: objective for objective in objectives or ()}.values())
    if not chosen:
        raise ValidationError({"objectives": [_("Choose at least one draft objective.")]})
    if len(chosen) > ROUND_OBJECTIVES_MAX:
        raise ValidationError(
            {"objectives": [_("Choose at most %(count)d objectives.") % {"count": ROUND_OBJECTIVES_MAX}]}
        )
    for objective in chosen:
        require_same_organization(actor, objective)
        if not can_view_objective(actor, objective):
            raise ValidationError({"objectives": [_("Choose objectives you can see.")]})
        if objective.state != Objective.State.DRAFT:
            raise ValidationError(
                {
                    "objectives": [
                        _("“%(title)s” is not a draft: only drafts are challenged.") % {"title": objective.title}
                    ]
                }
            )
    people = _clean_reviewers(actor, reviewers)
    if not people:
        raise ValidationError({"reviewers": [_("Choose at least one reviewer.")]})
    challenge = ChallengeRound.objects.create(
        organization_id=actor.organization_id, title=title, deadline=deadline, opened_by=actor
    )
    RoundObjective.objects.bulk_create(
        RoundObjective(
            organization_id=actor.organization_id,
            round=challenge,
            objective=objective,
            snapshot=objective_snapshot(objective),
        )
        for objective in sorted(chosen, key=lambda o: o.pk)
    )
    Reviewer.objects.bulk_create(
        Reviewer(organization_id=actor.organization_id, round=challenge, membership=person) for person in people
    )
    snapshots.figures_changed(actor.organization_id)
    return challenge


def _clean_reviewers(actor: Membership, reviewers) -> list[Membership]:
    people = _clean_people(actor, reviewers, "reviewers", most=ROUND_REVIEWERS_MAX)
    readers = [str(person) for person in people if not person.can_write]
    if readers:
        raise ValidationError(
            {"reviewers": [_("Read-only people cannot review: %(names)s.") % {"names": ", ".join(readers)}]}
        )
    return people


@atomic_service
def add_reviewers(*, actor: Membership, challenge: ChallengeRound, people) -> tuple[list[Membership], list[Membership]]:
    """Add several reviewers to an open round at once: (added, already reviewing). Deactivated and
    read-only people are refused, all of them named, and then no one is added; a round has at most
    ROUND_REVIEWERS_MAX reviewers. A fixed number of queries, however many people."""
    _require_runs_rollout(actor)
    require_same_organization(actor, challenge)
    challenge = ChallengeRound.objects.select_for_update().get(organization_id=actor.organization_id, pk=challenge.pk)
    _require_open(challenge)
    people = _clean_reviewers(actor, people)
    present = set(
        Reviewer.objects.filter(organization_id=actor.organization_id, round=challenge).values_list(
            "membership_id", flat=True
        )
    )
    added = [person for person in people if person.pk not in present]
    if len(present) + len(added) > ROUND_REVIEWERS_MAX:
        raise ValidationError(
            {"reviewers": [_("A round has at most %(count)d reviewers.") % {"count": ROUND_REVIEWERS_MAX}]}
        )
    Reviewer.objects.bulk_create(
        Reviewer(organization_id=actor.organization_id, round=challenge, membership=person) for person in added
    )
    return added, [person for person in people if person.pk in present]


def _reviewer_of(actor: Membership, challenge: ChallengeRound) -> Reviewer:
    if not actor.can_write:
        raise NotAllowed(_("Read-only people cannot review."))
    reviewer = Reviewer.objects.filter(organization_id=actor.organization_id, round=challenge, membership=actor).first()
    if reviewer is None:
        raise NotAllowed(_("Only the reviewers of this round give feedback."))
    return reviewer


def _require_open(challenge: ChallengeRound) -> None:
    if not challenge.is_open:
        raise NotAllowed(_("This challenge round is closed."))


def _round_objective(challenge: ChallengeRound, objective: Objective) -> RoundObjective:
    entry = RoundObjective.objects.filter(
        organization_id=challenge.organization_id, round=challenge, objective=objective
    ).first()
    if entry is None:
        raise ValidationError(_("This objective is not in the round."))
    return entry


@atomic_service
def save_review(*, actor: Membership, challenge: ChallengeRound, objective: Objective, verdicts, question: str = ""):
    """A reviewer's feedback on one objective: ``verdicts`` maps (key result or None, criterion) to
    (verdict, comment); an empty verdict and comment removes the point. ``question`` adds a free question.
    Saving again replaces what the reviewer said before (also after submitting)."""
    _require_open(challenge)
    reviewer = _reviewer_of(actor, challenge)
    require_same_organization(actor, objective)
    if not can_view_objective(actor, objective):
        raise NotFound
    _round_objective(challenge, objective)
    key_results = {
        kr.pk: kr for kr in KeyResult.objects.filter(organization_id=actor.organization_id, objective=objective)
    }
    existing = {
        (point.key_result_id, point.criterion): point
        for point in FeedbackPoint.objects.filter(
            organization_id=actor.organization_id, reviewer=reviewer, objective=objective
        ).exclude(criterion=Criterion.QUESTION)
    }
    for (key_result, criterion), (verdict, comment) in verdicts.items():
        key_result_id = None if key_result is None else key_result.pk
        allowed = OBJECTIVE_CRITERIA if key_result_id is None else KEY_RESULT_CRITERIA
        if key_result_id is not None and key_result_id not in key_results:
            raise ValidationError(_("That key result is not part of this objective."))
        if criterion not in allowed:
            raise ValidationError(_("Select one of the offered criteria."))
        field = f"{'objective' if key_result_id is None else f'kr{key_result_id}'}-{criterion}"
        verdict = clean_choice(verdict, field=field, choices=FeedbackPoint.Verdict) if verdict else ""
        comment = clean_text(comment, field=field, max_length=TEXT_MAX, multiline=True)
        point = existing.get((key_result_id, criterion))
        if not verdict and not comment:
            if point is not None:
                point.delete()
            continue
        if point is None:
            point = FeedbackPoint(
                organization_id=actor.organization_id,
                round=challenge,
                reviewer=reviewer,
                objective=objective,
                key_result_id=key_result_id,
                criterion=criterion,
            )
        point.verdict, point.text = verdict, comment
        point.save()
    question = clean_text(question, field="question", max_length=TEXT_MAX, multiline=True)
    if question:
        FeedbackPoint.objects.create(
            organization_id=actor.organization_id,
            round=challenge,
            reviewer=reviewer,
            objective=objective,
            criterion=Criterion.QUESTION,
            text=question,
        )


@atomic_service
def submit_review(*, actor: Membership, challenge: ChallengeRound) -> Reviewer:
    """Share the reviewer's feedback with the authors and the other reviewers who submitted."""
    _require_open(challenge)
    reviewer = _reviewer_of(actor, challenge)
    if not FeedbackPoint.objects.filter(organization_id=actor.organization_id, reviewer=reviewer).exists():
        raise ValidationError(_("Give feedback on at least one objective before you submit."))
    if reviewer.submitted_at is None:
        reviewer.submitted_at = timezone.now()
        reviewer.save(update_fields=["submitted_at"])
    return reviewer


@atomic_service
def reply_to_point(*, actor: Membership, point: FeedbackPoint, text: str) -> FeedbackReply:
    require_same_organization(actor, point)
    if not permissions.can_answer_point(actor, point):
        raise NotAllowed(_("Only the objective's authors, the reviewers and the ambassador reply here."))
    text = clean_text(text, field="text", max_length=TEXT_MAX, required=True, multiline=True)
    return FeedbackReply.objects.create(organization_id=actor.organization_id, point=point, author=actor, text=text)


@atomic_service
def resolve_point(*, actor: Membership, point: FeedbackPoint, resolved: bool) -> FeedbackPoint:
    require_same_organization(actor, point)
    if not permissions.can_resolve_point(actor, point):
        raise NotAllowed(_("Only the objective's authors and the ambassador resolve points."))
    point.resolved_at, point.resolved_by = (timezone.now(), actor) if resolved else (None, None)
    point.save(update_fields=["resolved_at", "resolved_by"])
    return point


@atomic_service
def close_round(*, actor: Membership, challenge: ChallengeRound, decisions: dict, publish, summary: str = ""):
    """End the round: the decision on each objective goes into the log, and the objectives in
    ``publish`` (RoundObjective ids) are activated together."""
    _require_runs_rollout(actor)
    require_same_organization(actor, challenge)
    challenge = ChallengeRound.objects.select_for_update().get(organization_id=actor.organization_id, pk=challenge.pk)
    _require_open(challenge)
    entries = list(
        RoundObjective.objects.filter(organization_id=actor.organization_id, round=challenge).select_related(
            "objective"
        )
    )
    unknown = (set(decisions) | set(publish)) - {entry.pk for entry in entries}
    if unknown:
        raise ValidationError(_("Decide only on the objectives of this round."))
    for entry in entries:
        entry.decision = clean_text(
            decisions.get(entry.pk, ""), field=f"decision_{entry.pk}", max_length=TEXT_MAX, multiline=True
        )
        entry.published = entry.pk in publish and entry.objective.state == Objective.State.DRAFT
    okrs_services.publish_drafts(actor=actor, objectives=[entry.objective for entry in entries if entry.published])
    RoundObjective.objects.bulk_update(entries, ["decision", "published"])
    challenge.summary = clean_text(summary, field="summary", max_length=TEXT_MAX, multiline=True)
    challenge.state, challenge.closed_at, challenge.closed_by = ChallengeRound.State.CLOSED, timezone.now(), actor
    challenge.save()
    snapshots.figures_changed(actor.organization_id)
    return challenge


# --- the onboarding deck -----------------------------------------------------------------------


@atomic_service
def save_deck(*, actor: Membership, slides) -> list[OnboardingSlide]:
    """Replace the organization's deck with ``slides`` ((title, text) pairs; pairs with neither are
    dropped). No slides at all brings back the built-in deck."""
    _require_runs_rollout(actor)
    kept = []
    for number, (title, body) in enumerate(slides, start=1):
        title = clean_text(title, field=f"title_{number}", max_length=TITLE_MAX)
        body = clean_text(body, field=f"body_{number}", max_length=TEXT_MAX, multiline=True)
        if not title and not body:
            continue
        if not title:
            raise ValidationError({f"title_{number}": [_("Give the slide a title.")]})
        kept.append((title, body))
    if len(kept) > DECK_SLIDES_MAX:
        raise ValidationError(_("A deck holds at most %(count)d slides.") % {"count": DECK_SLIDES_MAX})
    OnboardingSlide.objects.filter(organization_id=actor.organization_id).delete()
    return OnboardingSlide.objects.bulk_create(
        OnboardingSlide(organization_id=actor.organization_id, position=position, title=title, body=body)
        for position, (title, body) in enumerate(kept)
    )


@atomic_service
def dismiss_welcome(*, actor: Membership) -> None:
    """The onboarding deck stops greeting this person on their home page."""
    if actor.welcomed_at is None:
        actor.welcomed_at = timezone.now()
        actor.save(update_fields=["welcomed_at"])
