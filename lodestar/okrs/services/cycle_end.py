"""The end of a cycle: closing an objective with its score, outcome and reflection, and carrying
objectives and key results over into another timeframe.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lodestar.core.errors import NotFound
from lodestar.core.events import publish
from lodestar.core.guards import require_same_organization
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_choice, clean_number, clean_text
from lodestar.kpis.models import KPIObjective
from lodestar.okrs import closing, events, permissions, rollup
from lodestar.okrs.models import KeyResult, Objective, Timeframe
from lodestar.okrs.services._common import _lock_objective, _require, _set_objective_links, _stamp_history
from lodestar.orgs.models import Membership, Role


def _clean_score(score) -> Decimal:
    score = clean_number(score, field="score")
    if score is None or not Decimal(0) <= score <= Decimal(1):
        raise ValidationError({"score": [_("Give a score between 0.0 and 1.0.")]})
    return score.quantize(Decimal("0.01"))


def _clean_reflection(organization, reflection) -> dict:
    """Answers keyed by the question asked, so that later edits of the questions keep old answers readable."""
    if not isinstance(reflection, dict):
        raise ValidationError({"reflection": [_("Answer the reflection questions as text.")]})
    questions = closing.reflection_questions(organization)
    answers = {}
    for question, answer in reflection.items():
        if question not in questions:
            raise ValidationError({"reflection": [_("Answer only the organization's reflection questions.")]})
        answer = clean_text(answer, field="reflection", max_length=closing.REFLECTION_ANSWER_MAX)
        if answer:
            answers[question] = answer
    return answers


@atomic_service
def close_objective(
    *,
    actor: Membership,
    objective: Objective,
    score=None,
    outcome: str = "",
    reflection: dict | None = None,
    carry_into: Timeframe | None = None,
) -> Objective:
    """End an active objective's cycle with a score (suggested from its progress when not given), an
    outcome and the answers to the reflection questions; it keeps its progress and status as they stand.
    With ``carry_into``, its unfinished key results continue there (see carry_over_objective)."""
    require_same_organization(actor, objective)
    objective = _lock_objective(actor, objective.pk)
    _require(permissions.can_edit_objective(actor, objective), _("You may not close this objective."))
    if objective.state != Objective.State.ACTIVE:
        raise ValidationError({"state": [_("Only an active objective can be closed.")]})
    score = closing.suggested_score(objective.progress) if score is None else _clean_score(score)
    outcome = outcome or closing.suggested_outcome(score, objective.commitment)
    clean_choice(outcome, field="outcome", choices=Objective.Outcome)
    objective.reflection = _clean_reflection(actor.organization, reflection or {})
    objective.score, objective.outcome = score, outcome
    objective.state, objective.closed_at = Objective.State.CLOSED, timezone.now()
    _stamp_history(objective, actor)
    objective.save()
    publish(events.ObjectiveClosed(actor=actor, objective=objective))
    if carry_into is not None:
        carry_over_objective(actor=actor, objective=objective, timeframe=carry_into)
    return objective


def _next_position(objective: Objective) -> int:
    return KeyResult.objects.filter(organization_id=objective.organization_id, objective=objective).count()


def _copy_key_result(actor: Membership, source: KeyResult, into: Objective, position: int) -> KeyResult:
    figures = closing.carried_figures(source)
    copy = KeyResult(
        organization_id=actor.organization_id,
        objective=into,
        title=source.title,
        description=source.description,
        kind=figures.kind,
        start_value=figures.start_value,
        target_value=figures.target_value,
        current_value=figures.start_value if figures.kind == KeyResult.Kind.METRIC else None,
        threshold_direction=source.threshold_direction,
        unit=source.unit,
        weight=source.weight,
        owner=source.owner if source.owner.is_active and source.owner.role != Role.VIEWER else into.lead,
        position=position,
        carried_over_from=source,
    )
    _stamp_history(copy, actor)
    copy.save()
    return copy


def _require_may_carry(actor: Membership, source: Objective, target_timeframe: Timeframe) -> None:
    require_same_organization(actor, target_timeframe)
    if not permissions.can_view_objective(actor, source):
        raise NotFound
    owning_group_ids = {link.group_id for link in source.objective_groups.all()}
    _require(
        actor.can_write
        and (
            source.lead_id == actor.pk
            or permissions.can_create_objective(
                actor, level=source.level, owning_group_ids=owning_group_ids, lead=source.lead
            )
        ),
        _("You may not carry this objective over."),
    )
    _require(permissions.can_write_in_timeframe(actor, target_timeframe), _("This timeframe is closed."))
    if target_timeframe.pk == source.timeframe_id:
        raise ValidationError({"timeframe": [_("Choose another timeframe to carry it into.")]})


@atomic_service
def carry_over_objective(
    *, actor: Membership, objective: Objective, timeframe: Timeframe, key_results=None
) -> Objective:
    """Continue an objective in another timeframe as a draft with the chosen key results (by default
    the unfinished ones). Both keep a link to each other; the source's history and check-ins stay where
    they were. A metric continues from its current value."""
    require_same_organization(actor, objective)
    source = (
        Objective.objects.select_related("timeframe", "lead")
        .filter(organization_id=actor.organization_id, pk=objective.pk)
        .first()
    )
    if source is None:
        raise NotFound
    _require_may_carry(actor, source, timeframe)
    carried = _chosen_key_results(actor, source, key_results)
    copy = Objective(
        organization_id=actor.organization_id,
        timeframe=timeframe,
        title=source.title,
        description=source.description,
        level=source.level,
        lead=source.lead,
        visibility=source.visibility,
        commitment=source.commitment,
        pillar_id=source.pillar_id,
        progress_driver=source.progress_driver,
        carried_over_from=source,
        created_by=actor,
    )
    _stamp_history(copy, actor)
    copy.save()
    _set_objective_links(
        copy,
        groups=[link.group for link in source.objective_groups.select_related("group")],
        contributors=[link.membership for link in source.objective_contributors.select_related("membership")],
        kpis=[link.kpi for link in KPIObjective.objects.filter(objective=source).select_related("kpi")],
    )
    for position, key_result in enumerate(carried):
        _copy_key_result(actor, key_result, copy, position)
    rollup.refresh_objective_chain(actor.organization_id, copy.pk)
    publish(events.ObjectiveCreated(actor=actor, objective=copy))
    return copy


@atomic_service
def carry_over_objectives(*, actor: Membership, objectives, timeframe: Timeframe) -> list[Objective]:
    """Carry several objectives over at once (each as carry_over_objective does): all or none."""
    if not objectives:
        raise ValidationError({"objectives": [_("Choose at least one objective.")]})
    already = set(
        Objective.objects.filter(
            organization_id=actor.organization_id, carried_over_from__in=[item.pk for item in objectives]
        ).values_list("carried_over_from__title", flat=True)
    )
    if already:
        titles = ", ".join(f"“{title}”" for title in sorted(already))
        raise ValidationError({"objectives": [_("Carried over already: %(titles)s.") % {"titles": titles}]})
    return [carry_over_objective(actor=actor, objective=item, timeframe=timeframe) for item in objectives]


def _chosen_key_results(actor: Membership, source: Objective, key_results) -> list[KeyResult]:
    own = list(
        KeyResult.objects.filter(organization_id=actor.organization_id, objective=source).select_related("owner")
    )
    if key_results is None:
        return [key_result for key_result in own if closing.is_unfinished(key_result)]
    by_id = {key_result.pk: key_result for key_result in own}
    chosen_ids = {key_result.pk for key_result in key_results}
    if not chosen_ids <= set(by_id):
        raise ValidationError({"key_results": [_("Choose key results of this objective.")]})
    return [by_id[pk] for pk in sorted(chosen_ids, key=lambda pk: (by_id[pk].position, pk))]


@atomic_service
def carry_over_key_result(*, actor: Membership, key_result: KeyResult, into: Objective) -> KeyResult:
    """Continue one key result under an objective of another timeframe, linked both ways."""
    require_same_organization(actor, key_result, into)
    target = _lock_objective(actor, into.pk)
    _require(permissions.can_edit_objective(actor, target), _("You may not add key results to this objective."))
    source = (
        KeyResult.objects.select_related("objective", "owner")
        .filter(organization_id=actor.organization_id, pk=key_result.pk)
        .first()
    )
    if source is None or not permissions.can_view_objective(actor, source.objective):
        raise NotFound
    if target.timeframe_id == source.objective.timeframe_id:
        raise ValidationError({"into": [_("Choose an objective of another timeframe.")]})
    if KeyResult.objects.filter(
        organization_id=actor.organization_id, objective=target, carried_over_from=source
    ).exists():
        raise ValidationError({"into": [_("This key result is carried over into that objective already.")]})
    copy = _copy_key_result(actor, source, target, _next_position(target))
    rollup.refresh_objective_chain(actor.organization_id, target.pk)
    publish(events.KeyResultAssigned(actor=actor, key_result=copy))
    return copy
