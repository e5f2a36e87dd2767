"""The quality coach (coach.py) applied to stored goals and to forms being typed: these adapters turn
them into the coach's drafts and choose the language of its advice — the organization's, or the
text's own when it is clearly the other."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from lodestar.okrs import coach
from lodestar.okrs.models import CoachDismissal, KeyResult, Objective


def advice_language(organization, text: str) -> str:
    return coach.detect_language(text, organization.language)


def _timeframes_with_company_objectives(organization_id: int, timeframe_ids) -> set[int]:
    return set(
        Objective.objects.filter(
            organization_id=organization_id, timeframe_id__in=timeframe_ids, level=Objective.Level.COMPANY
        )
        .exclude(state=Objective.State.CLOSED)
        .values_list("timeframe_id", flat=True)
    )


def _key_results_by_objective(organization_id: int, objective_ids) -> dict[int, list[tuple[int, coach.KeyResultDraft]]]:
    rows = (
        KeyResult.objects.filter(organization_id=organization_id, objective_id__in=objective_ids)
        .order_by("position", "pk")
        .values_list("objective_id", "pk", "title", "kind", "start_value", "target_value", "created_at")
    )
    drafts = defaultdict(list)
    for objective_id, pk, *values in rows:
        drafts[objective_id].append((pk, _key_result_draft(*values)))
    return drafts


def _key_result_draft(title, kind, start_value, target_value, created_at) -> coach.KeyResultDraft:
    return coach.KeyResultDraft(
        title=title, kind=kind, start_value=start_value, target_value=target_value, created_on=created_at.date()
    )


def _dismissals_by_finding(organization_id: int, objective_ids) -> dict[tuple, CoachDismissal]:
    dismissals = CoachDismissal.objects.filter(
        organization_id=organization_id, objective_id__in=objective_ids
    ).select_related("dismissed_by__user")
    return {(item.objective_id, item.key_result_id, item.rule): item for item in dismissals}


@dataclass(frozen=True)
class Advice:
    """A finding as a page shows it: ``subject`` names the key result it is about (empty for the
    objective); ``dismissal`` says who left it as it is, and why."""

    rule: str
    key_result_id: int | None
    subject: str
    message: str
    explanation: str
    rewrite: str
    dismissal: CoachDismissal | None = None


@dataclass(frozen=True)
class Coaching:
    """The coach's word on one objective: what it still suggests, and what was dismissed."""

    open: list[Advice] = field(default_factory=list)
    dismissed: list[Advice] = field(default_factory=list)


def advice_for(organization, objectives, *, today) -> dict[int, Coaching]:
    """The coach's findings on stored objectives (closed ones are not coached), in three queries
    whatever their number."""
    coached = [objective for objective in objectives if objective.state != Objective.State.CLOSED]
    ids = [objective.id for objective in coached]
    if not ids:
        return {}
    return _advice(organization, coached, _key_results_by_objective(organization.pk, ids), today=today)


def _advice(organization, coached, key_results, *, today) -> dict[int, Coaching]:
    ids = [objective.id for objective in coached]
    with_company = _timeframes_with_company_objectives(organization.pk, {item.timeframe_id for item in coached})
    dismissals = _dismissals_by_finding(organization.pk, ids)
    return {
        objective.id: _coaching(organization, objective, key_results[objective.id], with_company, dismissals, today)
        for objective in coached
    }


def _coaching(organization, objective, key_results, with_company, dismissals, today) -> Coaching:
    draft = coach.ObjectiveDraft(
        title=objective.title,
        description=getattr(objective, "description", ""),  # an objective card carries none
        level=objective.level,
        key_results=tuple(draft for _pk, draft in key_results),
        is_aligned=objective.parent_id is not None,
        company_objectives_exist=objective.timeframe_id in with_company,
    )
    coaching = Coaching()
    for finding in coach.review_objective(draft, language=advice_language(organization, objective.title), today=today):
        key_result_id, subject = (
            (None, "")
            if finding.key_result is None
            else (
                key_results[finding.key_result][0],
                key_results[finding.key_result][1].title,
            )
        )
        dismissal = dismissals.get((objective.id, key_result_id, finding.rule))
        advice = Advice(
            rule=finding.rule,
            key_result_id=key_result_id,
            subject=subject,
            message=finding.message,
            explanation=finding.explanation,
            rewrite=finding.rewrite,
            dismissal=dismissal,
        )
        (coaching.dismissed if dismissal else coaching.open).append(advice)
    return coaching


@dataclass(frozen=True)
class GroupSummary:
    """The coach's word on a group's objectives in a timeframe: too many of them, and which still
    have suggestions (each with how many)."""

    portfolio: list[coach.Finding]
    to_improve: list[tuple[object, int]]
    without_suggestions: int

    @property
    def is_empty(self) -> bool:
        return not self.portfolio and not self.to_improve and not self.without_suggestions


def group_summary(organization, group, objectives, *, today) -> GroupSummary:
    """``objectives`` are the group's objectives (models or cards) in one timeframe."""
    active = sum(1 for objective in objectives if objective.state == Objective.State.ACTIVE)
    portfolio = coach.review_portfolio(
        active_objectives_per_holder={group.name: active},
        company_objectives=0,
        language=advice_language(organization, ""),
    )
    advice = advice_for(organization, objectives, today=today)
    counted = [(objective, len(advice[objective.id].open)) for objective in objectives if objective.id in advice]
    return GroupSummary(
        portfolio=portfolio,
        to_improve=[(objective, count) for objective, count in counted if count],
        without_suggestions=sum(1 for _objective, count in counted if not count),
    )


def company_focus(organization, objectives) -> list[coach.Finding]:
    """Too many active company objectives in a timeframe (``objectives``: the company's, models or cards)."""
    active = sum(1 for objective in objectives if objective.state == Objective.State.ACTIVE)
    return coach.review_portfolio(
        active_objectives_per_holder={}, company_objectives=active, language=advice_language(organization, "")
    )


def objective_advice(organization, objective: Objective, key_results, *, today) -> Coaching:
    """The coach's word on one stored objective, whose ``key_results`` (rows of its card, in their
    order) are already read (two queries)."""
    if objective.state == Objective.State.CLOSED:
        return Coaching()
    drafts = {
        objective.pk: [
            (row.id, _key_result_draft(row.title, row.kind, row.start_value, row.target_value, row.created_at))
            for row in key_results
        ]
    }
    return _advice(organization, [objective], drafts, today=today)[objective.pk]


def _typed_number(value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def typed_key_result_findings(organization, objective: Objective, data) -> list[coach.Finding]:
    """Findings on a key result while it is typed: ``data`` holds the key result form's fields."""
    title = str(data.get("title", ""))[:200]
    if not title.strip():
        return []
    kind = data.get("kind") if data.get("kind") in KeyResult.Kind.values else KeyResult.Kind.METRIC
    draft = coach.KeyResultDraft(
        title=title,
        kind=kind,
        start_value=_typed_number(data.get("start_value", "")),
        target_value=_typed_number(data.get("target_value", "")),
        has_owner=bool(data.get("owner", True)),
    )
    language = advice_language(organization, title)
    return coach.review_key_result(draft, objective_title=objective.title, language=language)


def typed_objective_findings(organization, data, objective: Objective | None = None) -> list[coach.Finding]:
    """Findings on an objective while it is typed (``data`` holds the objective form's fields): about
    the objective itself, and for a stored one the number of its key results."""
    title = str(data.get("title", ""))[:200]
    if not title.strip():
        return []
    level = data.get("level") if data.get("level") in Objective.Level.values else Objective.Level.GROUP
    timeframe_id = _typed_id(data.get("timeframe"))
    with_company = _timeframes_with_company_objectives(organization.pk, [timeframe_id]) if timeframe_id else set()
    key_results = _key_results_by_objective(organization.pk, [objective.pk])[objective.pk] if objective else []
    draft = coach.ObjectiveDraft(
        title=title,
        description=str(data.get("description", ""))[:10_000],
        level=level,
        key_results=tuple(draft for _pk, draft in key_results),
        is_aligned=bool(str(data.get("parent", "")).strip()),  # an id, or "keep" for a hidden parent
        company_objectives_exist=timeframe_id in with_company,
        check_key_result_count=objective is not None,
    )
    findings = coach.review_objective(draft, language=advice_language(organization, title))
    return [finding for finding in findings if finding.key_result is None]


def _typed_id(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None
