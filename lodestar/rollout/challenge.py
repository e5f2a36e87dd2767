"""A challenge round's pages in pure functions: feedback grouped per criterion, and what changed
in an objective since the round opened."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from lodestar.rollout.models import Criterion, FeedbackPoint

CRITERIA_ORDER = [c for c in Criterion.values if c != Criterion.QUESTION]


@dataclass
class CriterionFeedback:
    criterion: str
    label: str
    agree: int = 0
    disagree: int = 0
    points: list = field(default_factory=list)  # those with a comment, or a disagreement

    @property
    def open_points(self) -> int:
        return sum(1 for point in self.points if point.resolved_at is None)


def is_discussed(point: FeedbackPoint) -> bool:
    """A point the authors answer: a question, a disagreement or a comment (a bare "agree" is a count)."""
    return point.criterion == Criterion.QUESTION or point.verdict == FeedbackPoint.Verdict.DISAGREE or bool(point.text)


def open_points(points) -> int:
    """Submitted points to discuss that nobody resolved yet."""
    return sum(
        1 for point in points if is_discussed(point) and point.resolved_at is None and point.reviewer.submitted_at
    )


def grouped_feedback(points: list[FeedbackPoint]) -> tuple[list[CriterionFeedback], list[FeedbackPoint]]:
    """(per criterion: verdict counts and the points to discuss, in the criteria's order; questions)."""
    groups = {criterion: CriterionFeedback(criterion, Criterion(criterion).label) for criterion in CRITERIA_ORDER}
    questions = []
    for point in points:
        if point.criterion == Criterion.QUESTION:
            questions.append(point)
            continue
        group = groups[point.criterion]
        if point.verdict == FeedbackPoint.Verdict.AGREE:
            group.agree += 1
        elif point.verdict == FeedbackPoint.Verdict.DISAGREE:
            group.disagree += 1
        if is_discussed(point):
            group.points.append(point)
    return [group for group in groups.values() if group.agree or group.disagree or group.points], questions


def snapshot(objective, key_results) -> dict:
    """What an objective and its key results say now, to show later what changed since."""
    return {
        "title": objective.title,
        "description": objective.description,
        "key_results": [
            {
                "id": kr.pk,
                "title": kr.title,
                "kind": kr.kind,
                "start": None if kr.start_value is None else str(kr.start_value),
                "target": None if kr.target_value is None else str(kr.target_value),
                "unit": kr.unit,
                "owner": kr.owner_id,
            }
            for kr in sorted(key_results, key=lambda kr: (kr.position, kr.pk))
        ],
    }


def _number(value) -> str:
    return "" if value is None else str(value).rstrip("0").rstrip(".") if "." in str(value) else str(value)


def _key_result_line(kr: dict) -> str:
    figures = ""
    if kr.get("start") is not None or kr.get("target") is not None:
        figures = (
            f" ({_number(kr.get('start'))} → {_number(kr.get('target'))}{(' ' + kr['unit']) if kr.get('unit') else ''})"
        )
    return f"{kr['title']}{figures}"


def changes_since(snapshot: dict, current: dict) -> list[str]:
    """What an objective's author changed since the round opened, as sentences (both arguments in
    the shape of services.objective_snapshot)."""
    if not snapshot:
        return []
    changes = []
    if snapshot.get("title") != current["title"]:
        changes.append(
            _("Title: “%(before)s” → “%(after)s”") % {"before": snapshot.get("title"), "after": current["title"]}
        )
    if (snapshot.get("description") or "") != (current["description"] or ""):
        changes.append(_("The description was rewritten."))
    before = {kr["id"]: kr for kr in snapshot.get("key_results", [])}
    after = {kr["id"]: kr for kr in current["key_results"]}
    for pk, kr in after.items():
        if pk not in before:
            changes.append(_("New key result: %(line)s") % {"line": _key_result_line(kr)})
        elif _key_result_line(before[pk]) != _key_result_line(kr) or before[pk].get("kind") != kr.get("kind"):
            changes.append(
                _("Key result: %(before)s → %(after)s")
                % {"before": _key_result_line(before[pk]), "after": _key_result_line(kr)}
            )
        elif before[pk].get("owner") != kr.get("owner"):
            changes.append(_("New owner of the key result “%(title)s”") % {"title": kr["title"]})
    for pk, kr in before.items():
        if pk not in after:
            changes.append(_("Removed key result: %(line)s") % {"line": _key_result_line(kr)})
    return changes
