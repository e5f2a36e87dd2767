"""The quality coach (coach.py) applied to stored goals and to forms being typed: these adapters turn
them into the coach's drafts and choose the language of its advice — the organization's, or the
text's own when it is clearly the other."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lodestar.okrs import coach
from lodestar.okrs.models import KeyResult, Objective


def advice_language(organization, text: str) -> str:
    return coach.detect_language(text, organization.language)


def _company_objectives_exist(objective: Objective) -> bool:
    return (
        Objective.objects.filter(
            organization_id=objective.organization_id,
            timeframe_id=objective.timeframe_id,
            level=Objective.Level.COMPANY,
        )
        .exclude(state=Objective.State.CLOSED)
        .exists()
    )


def _key_result_drafts(objective: Objective) -> tuple[coach.KeyResultDraft, ...]:
    rows = KeyResult.objects.filter(organization_id=objective.organization_id, objective=objective).values_list(
        "title", "kind", "start_value", "target_value", "created_at"
    )
    return tuple(
        coach.KeyResultDraft(
            title=title, kind=kind, start_value=start, target_value=target, created_on=created_at.date()
        )
        for title, kind, start, target, created_at in rows.order_by("position", "pk")
    )


@dataclass(frozen=True)
class Advice:
    """A finding as a page shows it: ``subject`` names the key result it is about (empty for the objective)."""

    rule: str
    subject: str
    message: str
    explanation: str
    rewrite: str


def objective_advice(objective: Objective, *, today) -> list[Advice]:
    """The coach's findings on a stored objective and its key results."""
    key_results = _key_result_drafts(objective)
    draft = coach.ObjectiveDraft(
        title=objective.title,
        description=objective.description,
        level=objective.level,
        key_results=key_results,
        is_aligned=objective.parent_id is not None,
        company_objectives_exist=objective.level == Objective.Level.GROUP and _company_objectives_exist(objective),
    )
    language = advice_language(objective.organization, objective.title)
    return [
        Advice(
            rule=finding.rule,
            subject="" if finding.key_result is None else key_results[finding.key_result].title,
            message=finding.message,
            explanation=finding.explanation,
            rewrite=finding.rewrite,
        )
        for finding in coach.review_objective(draft, language=language, today=today)
    ]


def _typed_number(value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def typed_key_result_findings(objective: Objective, data) -> list[coach.Finding]:
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
    language = advice_language(objective.organization, title)
    return coach.review_key_result(draft, objective_title=objective.title, language=language)
