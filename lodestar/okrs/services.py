"""Every write to timeframes, objectives, key results, check-ins and initiatives.

Each service takes the acting membership first, checks permission, validates what was
typed, and runs as one transaction that also keeps cached progress and status current
(rollup.py). Errors: ValidationError (bad input, keyed by field), NotAllowed (may see
but not do), NotFound (another organization's or invisible object).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lodestar.core.errors import NotAllowed, NotFound
from lodestar.core.events import publish
from lodestar.core.guards import chain_reaches, replace_links, require_same_organization
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_choice, clean_number, clean_text, is_plain_date
from lodestar.kpis.models import KPIObjective
from lodestar.okrs import closing, coach, events, permissions, rollup
from lodestar.okrs import progress as math
from lodestar.okrs.models import (
    CheckIn,
    CheckInStatus,
    CoachDismissal,
    Initiative,
    InitiativeKeyResult,
    KeyResult,
    KeyResultContributor,
    Objective,
    ObjectiveContributor,
    ObjectiveGroup,
    Timeframe,
)
from lodestar.orgs.models import Membership, Organization, Role
from lodestar.orgs.services import clean_goal_holder

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
COMMENT_MAX = 5_000
MAX_WEIGHT = 1000


# --- shared checks ------------------------------------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _clean_people(actor: Membership, people, field: str) -> list[Membership]:
    unique = {person.pk: person for person in people or ()}
    return [clean_goal_holder(actor, person, field) for person in unique.values()]


def _lock_objective(actor: Membership, objective_id: int) -> Objective:
    """Lock one objective row (not the rows it joins) and load what permission checks read."""
    objective = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("timeframe", "lead")
        .filter(organization_id=actor.organization_id, pk=objective_id)
        .first()
    )
    if objective is None:
        raise NotFound
    return objective


def _stamp_history(instance, actor: Membership) -> None:
    instance._history_user = actor.user


# --- timeframes ----------------------------------------------------------------------------------


def _clean_timeframe_fields(*, name, kind, starts_on, ends_on, state) -> dict:
    name = clean_text(name, field="name", max_length=80, required=True)
    clean_choice(kind, field="kind", choices=Timeframe.Kind)
    clean_choice(state, field="state", choices=Timeframe.State)
    if not (is_plain_date(starts_on) and is_plain_date(ends_on)):
        raise ValidationError({"starts_on": [_("Enter valid dates.")]})
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": [_("The end date must be after the start date.")]})
    if starts_on.year < 1900 or ends_on.year > 2200:
        raise ValidationError({"starts_on": [_("Enter dates between the years 1900 and 2200.")]})
    return {"name": name, "kind": kind, "starts_on": starts_on, "ends_on": ends_on, "state": state}


def _ensure_unique_timeframe_name(actor, name, exclude_pk=None) -> None:
    clash = Timeframe.objects.filter(organization_id=actor.organization_id, name__iexact=name)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": [_("A timeframe with this name already exists.")]})


@atomic_service
def create_timeframe(
    *, actor: Membership, name: str, starts_on, ends_on, kind=Timeframe.Kind.QUARTER, state=Timeframe.State.PLANNING
) -> Timeframe:
    _require(actor.is_admin, _("Only admins can manage timeframes."))
    fields = _clean_timeframe_fields(name=name, kind=kind, starts_on=starts_on, ends_on=ends_on, state=state)
    _ensure_unique_timeframe_name(actor, fields["name"])
    timeframe = Timeframe(organization_id=actor.organization_id, **fields)
    _stamp_history(timeframe, actor)
    timeframe.save()
    return timeframe


@atomic_service
def update_timeframe(*, actor: Membership, timeframe: Timeframe, **changes) -> Timeframe:
    require_same_organization(actor, timeframe)
    _require(actor.is_admin, _("Only admins can manage timeframes."))
    current = {f: getattr(timeframe, f) for f in ("name", "kind", "starts_on", "ends_on", "state")}
    unknown = set(changes) - set(current)
    if unknown:
        raise TypeError(f"update_timeframe got unknown fields {sorted(unknown)}")
    fields = _clean_timeframe_fields(**{**current, **changes})
    _ensure_unique_timeframe_name(actor, fields["name"], exclude_pk=timeframe.pk)
    if fields["state"] != current["state"] and not closing.can_change_timeframe_state(
        current["state"], fields["state"]
    ):
        raise ValidationError({"state": [_lifecycle_refusal(current["state"], fields["state"])]})
    for field, value in fields.items():
        setattr(timeframe, field, value)
    _stamp_history(timeframe, actor)
    timeframe.save()
    return timeframe


@atomic_service
def delete_timeframe(*, actor: Membership, timeframe: Timeframe) -> None:
    """Remove a timeframe that holds no objectives (one that does is closed instead, to keep them)."""
    require_same_organization(actor, timeframe)
    _require(actor.is_admin, _("Only admins can manage timeframes."))
    if Objective.objects.filter(organization_id=actor.organization_id, timeframe=timeframe).exists():
        raise ValidationError(
            {"timeframe": [_("This timeframe holds objectives: close it instead, or move them first.")]}
        )
    Timeframe.objects.filter(organization_id=actor.organization_id, pk=timeframe.pk).delete()


@atomic_service
def mark_current_timeframe(*, actor: Membership, timeframe: Timeframe) -> Timeframe:
    """Pages open on the current timeframe unless another is chosen; an organization has at most one."""
    require_same_organization(actor, timeframe)
    _require(actor.is_admin, _("Only admins can manage timeframes."))
    # Serialise switches within the organization, so that two admins marking different timeframes
    # at once queue up instead of one of them failing on the one-current constraint.
    Organization.objects.select_for_update().filter(pk=actor.organization_id).first()
    timeframes = Timeframe.objects.filter(organization_id=actor.organization_id)
    timeframes.filter(is_current=True).exclude(pk=timeframe.pk).update(is_current=False)
    timeframes.filter(pk=timeframe.pk).update(is_current=True)
    timeframe.is_current = True
    return timeframe


def _lifecycle_refusal(current: str, new: str) -> str:
    return _("A timeframe cannot go from “%(current)s” to “%(new)s”.") % {
        "current": Timeframe.State(current).label,
        "new": Timeframe.State(new).label,
    }


@atomic_service
def change_timeframe_state(*, actor: Membership, timeframe: Timeframe, state: str) -> Timeframe:
    """Move a timeframe along planning → active → closing → closed (see closing.TIMEFRAME_TRANSITIONS).
    Reopening a closed timeframe is an admin's action like every change here; its history records who."""
    require_same_organization(actor, timeframe)
    _require(actor.is_admin, _("Only admins can manage timeframes."))
    clean_choice(state, field="state", choices=Timeframe.State)
    timeframe = Timeframe.objects.select_for_update().get(organization_id=actor.organization_id, pk=timeframe.pk)
    if not closing.can_change_timeframe_state(timeframe.state, state):
        raise ValidationError({"state": [_lifecycle_refusal(timeframe.state, state)]})
    timeframe.state = state
    _stamp_history(timeframe, actor)
    timeframe.save(update_fields=["state"])
    return timeframe


# --- alignment -----------------------------------------------------------------------------------


def validate_alignment(
    *, actor: Membership, level: str, timeframe: Timeframe, parent: Objective | None, objective: Objective | None = None
) -> None:
    """The brief's alignment rules: same organization, no cycle, overlapping timeframes;
    personal and group objectives align to group or company objectives, company objectives
    only to company objectives of a longer timeframe."""
    if parent is None:
        return
    require_same_organization(actor, parent)
    if not permissions.can_view_objective(actor, parent):
        raise NotFound
    error = _alignment_error(level=level, timeframe=timeframe, parent=parent, objective=objective)
    if error:
        raise ValidationError({"parent": [error]})


def _alignment_error(*, level, timeframe, parent, objective) -> str | None:
    if objective is not None and _is_self_or_descendant(parent, objective):
        return _("An objective cannot be aligned to itself or to one of its own aligned objectives.")
    parent_tf = parent.timeframe
    if parent_tf.starts_on > timeframe.ends_on or timeframe.starts_on > parent_tf.ends_on:
        return _("The parent objective's timeframe (%(parent)s) does not overlap %(timeframe)s.") % {
            "parent": parent_tf.name,
            "timeframe": timeframe.name,
        }
    if level == Objective.Level.COMPANY:
        if parent.level != Objective.Level.COMPANY:
            return _("A company objective can only be aligned to another company objective.")
        if (parent_tf.ends_on - parent_tf.starts_on) <= (timeframe.ends_on - timeframe.starts_on):
            return _("A company objective can only be aligned to a company objective of a longer timeframe.")
    elif parent.level == Objective.Level.PERSONAL:
        return _("Align to a group or company objective, not to a personal one.")
    return None


def _is_self_or_descendant(candidate: Objective, objective: Objective) -> bool:
    """True when ``candidate`` is ``objective`` or sits below it in the alignment tree."""

    def parent_id_of(objective_id):
        return (
            Objective.objects.filter(organization_id=objective.organization_id, pk=objective_id)
            .values_list("parent_id", flat=True)
            .first()
        )

    return chain_reaches(candidate.pk, objective.pk, parent_id_of)


# --- objectives ----------------------------------------------------------------------------------


def _clean_objective_fields(actor: Membership, fields: dict, objective: Objective | None, changed: set) -> dict:
    """Validate an objective's fields; on an update only ``changed`` ones are checked again,
    so that, say, a deactivated contributor does not block renaming the objective."""
    cleaned = dict(fields)
    cleaned["title"] = clean_text(fields["title"], field="title", max_length=TITLE_MAX, required=True)
    cleaned["description"] = clean_text(
        fields["description"], field="description", max_length=DESCRIPTION_MAX, multiline=True
    )
    for field, choices in (
        ("level", Objective.Level),
        ("state", Objective.State),
        ("visibility", Objective.Visibility),
        ("commitment", Objective.Commitment),
        ("progress_driver", Objective.ProgressDriver),
    ):
        clean_choice(fields[field], field=field, choices=choices)
    timeframe = fields["timeframe"]
    require_same_organization(actor, timeframe, fields["pillar"])
    if "lead" in changed:
        cleaned["lead"] = clean_goal_holder(actor, fields["lead"], "lead")
    if "contributors" in changed:
        cleaned["contributors"] = _clean_people(actor, fields["contributors"], "contributors")
    groups = list({group.pk: group for group in fields["groups"] or ()}.values())
    require_same_organization(actor, *groups)
    if fields["level"] == Objective.Level.GROUP and not groups:
        raise ValidationError({"groups": [_("A group objective needs at least one owning group.")]})
    if fields["level"] != Objective.Level.GROUP and groups:
        raise ValidationError({"groups": [_("Only group objectives have owning groups.")]})
    cleaned["groups"] = groups
    cleaned["kpis"] = list({kpi.pk: kpi for kpi in fields["kpis"] or ()}.values())
    require_same_organization(actor, *cleaned["kpis"])
    if changed & {"parent", "level", "timeframe"}:
        validate_alignment(
            actor=actor, level=fields["level"], timeframe=timeframe, parent=fields["parent"], objective=objective
        )
    if objective is not None and changed & {"level", "timeframe"}:
        _validate_children_still_align(objective, level=fields["level"], timeframe=timeframe)
    return cleaned


def _validate_children_still_align(objective: Objective, *, level: str, timeframe: Timeframe) -> None:
    """Changing an objective's level or timeframe must not break the alignment of its children."""
    proposed = Objective(pk=objective.pk, organization_id=objective.organization_id, level=level, timeframe=timeframe)
    children = Objective.objects.filter(organization_id=objective.organization_id, parent=objective).select_related(
        "timeframe"
    )
    broken = [
        child.title
        for child in children
        if _alignment_error(level=child.level, timeframe=child.timeframe, parent=proposed, objective=None)
    ]
    if broken:
        raise ValidationError(
            {
                "level" if level != objective.level else "timeframe": [
                    _("Objectives aligned to this one would no longer fit: %(titles)s. Re-align them first.")
                    % {"titles": ", ".join(broken[:5])}
                ]
            }
        )


_LINKS = ("groups", "contributors", "kpis")


def _set_objective_links(objective: Objective, *, groups, contributors, kpis) -> None:
    """The owning groups, the contributors and the KPIs the objective aims to move."""
    owner = {"organization_id": objective.organization_id, "owner": {"objective": objective}}
    replace_links(ObjectiveGroup, **owner, target_field="group", targets=groups)
    replace_links(ObjectiveContributor, **owner, target_field="membership", targets=contributors)
    replace_links(KPIObjective, **owner, target_field="kpi", targets=kpis)


def _current_links(objective: Objective) -> dict:
    return {
        "groups": list(objective.groups.all()),
        "contributors": list(objective.contributors.all()),
        "kpis": list(objective.kpis.all()),
    }


_OBJECTIVE_DEFAULTS = {
    "description": "",
    "groups": (),
    "contributors": (),
    "kpis": (),
    "parent": None,
    "state": Objective.State.DRAFT,
    "visibility": Objective.Visibility.PUBLIC,
    "commitment": Objective.Commitment.COMMITTED,
    "pillar": None,
    "progress_driver": Objective.ProgressDriver.KEY_RESULTS,
}
_OBJECTIVE_FIELDS = ("timeframe", "title", "level", "lead", *_OBJECTIVE_DEFAULTS)


@atomic_service
def create_objective(*, actor: Membership, timeframe: Timeframe, title: str, level: str, lead: Membership, **options):
    """Create an objective (a draft unless ``state`` says active)."""
    unknown = set(options) - set(_OBJECTIVE_DEFAULTS)
    if unknown:
        raise TypeError(f"create_objective got unknown fields {sorted(unknown)}")
    fields = {**_OBJECTIVE_DEFAULTS, **options, "timeframe": timeframe, "title": title, "level": level, "lead": lead}
    if timeframe is None:
        raise ValidationError({"timeframe": [_("Choose a timeframe.")]})
    if lead is None:
        raise ValidationError({"lead": [_("Choose a person.")]})
    require_same_organization(actor, timeframe, lead)
    if fields["state"] == Objective.State.CLOSED:
        raise ValidationError({"state": [_("A new objective is a draft or active; close it at the end of its cycle.")]})
    _require(
        permissions.can_create_objective(
            actor, level=level, owning_group_ids={g.pk for g in fields["groups"] or ()}, lead=lead
        ),
        _("You may not create this objective."),
    )
    _require(permissions.can_write_in_timeframe(actor, timeframe), _("This timeframe is closed."))
    cleaned = _clean_objective_fields(actor, fields, None, set(_OBJECTIVE_FIELDS))
    links = {link: cleaned.pop(link) for link in _LINKS}
    objective = Objective(organization_id=actor.organization_id, created_by=actor, **cleaned)
    _stamp_history(objective, actor)
    objective.save()
    _set_objective_links(objective, **links)
    if objective.counts_in_roll_up:
        rollup.refresh_objective_chain(objective.organization_id, objective.parent_id)
    publish(events.ObjectiveCreated(actor=actor, objective=objective))
    return objective


@atomic_service
def update_objective(*, actor: Membership, objective: Objective, **changes) -> Objective:
    """Change an objective's fields, links or alignment; roll-ups follow in the same transaction."""
    require_same_organization(actor, objective)
    unknown = set(changes) - set(_OBJECTIVE_FIELDS)
    if unknown:
        raise TypeError(f"update_objective got unknown fields {sorted(unknown)}")
    objective = _lock_objective(actor, objective.pk)
    _require(permissions.can_edit_objective(actor, objective), _("You may not edit this objective."))
    current = {field: getattr(objective, field) for field in _OBJECTIVE_FIELDS if field not in _LINKS}
    current.update(_current_links(objective))
    fields = {**current, **changes}
    changed = {field for field, value in changes.items() if value != current[field]}
    if "timeframe" in changed:
        if fields["timeframe"] is None:
            raise ValidationError({"timeframe": [_("Choose a timeframe.")]})
        _require(permissions.can_write_in_timeframe(actor, fields["timeframe"]), _("This timeframe is closed."))
    ownership_changed = bool(changed & {"level", "groups", "lead"})
    if ownership_changed and not actor.is_admin:
        _require(
            permissions.can_create_objective(
                actor,
                level=fields["level"],
                owning_group_ids={g.pk for g in fields["groups"] or ()},
                lead=fields["lead"],
            ),
            _("You may not give this objective that level, those groups or that lead."),
        )
    if "state" in changes and fields["state"] == Objective.State.CLOSED and objective.state != Objective.State.CLOSED:
        raise ValidationError({"state": [_("An objective is closed by closing it, not by editing its state.")]})
    cleaned = _clean_objective_fields(actor, fields, objective, changed)
    links = {link: cleaned.pop(link) for link in _LINKS}
    old_parent_id = objective.parent_id
    lead_before, contributors_before = objective.lead_id, {person.pk for person in current["contributors"]}
    for field, value in cleaned.items():
        setattr(objective, field, value)
    _stamp_history(objective, actor)
    objective.save()
    _set_objective_links(objective, **links)
    rollup.refresh_objective_chain(objective.organization_id, objective.pk)
    if old_parent_id != objective.parent_id:
        rollup.refresh_objective_chain(objective.organization_id, old_parent_id)
    rollup.refresh_objective_chain(objective.organization_id, objective.parent_id)
    publish(
        events.ObjectiveChanged(
            actor=actor,
            objective=objective,
            lead_before=lead_before,
            contributors_before=frozenset(contributors_before),
        )
    )
    return objective


@atomic_service
def delete_objective(*, actor: Membership, objective: Objective) -> None:
    """Delete an objective with its key results; history keeps every version and check-in.
    Objectives aligned to it become unaligned."""
    require_same_organization(actor, objective)
    # Lock leaf to root like every writer: its key results and aligned objectives, then itself.
    org_id = actor.organization_id
    list(KeyResult.objects.select_for_update().filter(organization_id=org_id, objective=objective.pk).order_by("pk"))
    list(Objective.objects.select_for_update().filter(organization_id=org_id, parent=objective.pk).order_by("pk"))
    objective = _lock_objective(actor, objective.pk)
    _require(permissions.can_edit_objective(actor, objective), _("You may not delete this objective."))
    parent_id = objective.parent_id
    for check_in in CheckIn.objects.filter(organization_id=actor.organization_id, key_result__objective=objective):
        _stamp_history(check_in, actor)
        check_in.delete()
    _stamp_history(objective, actor)
    objective.delete()
    rollup.refresh_objective_chain(actor.organization_id, parent_id)


@atomic_service
def publish_drafts(*, actor: Membership, objectives) -> list[Objective]:
    """Activate draft objectives together: from then on they count in roll-ups and reports.
    Whoever may edit an objective may publish it; the people who run the rollout (admins and OKR
    ambassadors) publish what a challenge round decided. Objectives already active stay as they are."""
    published = []
    for objective_id in sorted({objective.pk for objective in objectives}):
        objective = _lock_objective(actor, objective_id)
        _require(
            actor.runs_rollout or permissions.can_edit_objective(actor, objective),
            _("You may not publish “%(title)s”.") % {"title": objective.title},
        )
        if objective.state != Objective.State.DRAFT:
            continue
        _require(permissions.can_write_in_timeframe(actor, objective.timeframe), _("This timeframe is closed."))
        objective.state = Objective.State.ACTIVE
        _stamp_history(objective, actor)
        objective.save(update_fields=["state", "updated_at"])
        rollup.refresh_objective_chain(objective.organization_id, objective.pk)
        rollup.refresh_objective_chain(objective.organization_id, objective.parent_id)
        published.append(objective)
    return published


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


# --- the coach's findings --------------------------------------------------------------------------


def _coached_target(actor: Membership, objective: Objective, key_result) -> KeyResult | None:
    """Lock the objective a finding is about and check the actor may answer for it: whoever may
    edit the objective, or for a key result's finding also its owner."""
    require_same_organization(actor, objective)
    locked = _lock_objective(actor, objective.pk)
    if not permissions.can_view_objective(actor, locked):
        raise NotFound
    if locked.state == Objective.State.CLOSED:
        raise ValidationError({"rule": [_("The coach no longer reviews a closed objective.")]})
    if key_result is None:
        _require(permissions.can_edit_objective(actor, locked), _("You may not answer the coach for this objective."))
        return None
    require_same_organization(actor, key_result)
    target = KeyResult.objects.filter(organization_id=actor.organization_id, objective=locked, pk=key_result.pk).first()
    if target is None:
        raise ValidationError({"key_result": [_("That key result belongs to another objective.")]})
    target.objective = locked
    _require(permissions.can_edit_key_result(actor, target), _("You may not answer the coach for this key result."))
    return target


@atomic_service
def dismiss_coach_finding(
    *, actor: Membership, objective: Objective, rule: str, reason: str, key_result: KeyResult | None = None
) -> CoachDismissal:
    """Leave a finding as it is, saying why: the coach stops raising it on this objective or key result
    (dismissing it again only changes the reason)."""
    target = _coached_target(actor, objective, key_result)
    if rule not in coach.RULE_TEXTS:
        raise ValidationError({"rule": [_("The coach has no such finding.")]})
    reason = clean_text(reason, field="reason", max_length=CoachDismissal.REASON_MAX, required=True)
    dismissal, _created = CoachDismissal.objects.update_or_create(
        organization_id=actor.organization_id,
        objective=objective,
        key_result=target,
        rule=rule,
        defaults={"reason": reason, "dismissed_by": actor},
    )
    return dismissal


@atomic_service
def restore_coach_finding(*, actor: Membership, objective: Objective, rule: str, key_result=None) -> None:
    """Let the coach raise a dismissed finding again."""
    target = _coached_target(actor, objective, key_result)
    deleted, _counts = CoachDismissal.objects.filter(
        organization_id=actor.organization_id, objective=objective, key_result=target, rule=rule
    ).delete()
    if not deleted:
        raise ValidationError({"rule": [_("This suggestion is not dismissed.")]})


# --- key results ---------------------------------------------------------------------------------

_KEY_RESULT_DEFAULTS = {
    "description": "",
    "start_value": None,
    "target_value": None,
    "threshold_direction": "",
    "unit": "",
    "weight": 1,
    "contributors": (),
}
_KEY_RESULT_FIELDS = ("title", "kind", "owner", *_KEY_RESULT_DEFAULTS)


def _clean_key_result_fields(actor: Membership, fields: dict) -> dict:
    cleaned = dict(fields)
    cleaned["title"] = clean_text(fields["title"], field="title", max_length=TITLE_MAX, required=True)
    cleaned["description"] = clean_text(
        fields["description"], field="description", max_length=DESCRIPTION_MAX, multiline=True
    )
    cleaned["unit"] = clean_text(fields["unit"], field="unit", max_length=30)
    kind = clean_choice(fields["kind"], field="kind", choices=KeyResult.Kind)
    cleaned["owner"] = clean_goal_holder(actor, fields["owner"], "owner")
    cleaned["contributors"] = _clean_people(actor, fields["contributors"], "contributors")
    weight = clean_number(fields["weight"], field="weight").quantize(Decimal("0.01"))
    if weight <= 0 or weight > MAX_WEIGHT:
        raise ValidationError(
            {"weight": [_("Enter a weight of at least 0.01 and at most %(max)d.") % {"max": MAX_WEIGHT}]}
        )
    cleaned["weight"] = weight
    if kind == KeyResult.Kind.METRIC:
        start = clean_number(fields["start_value"], field="start_value")
        target = clean_number(fields["target_value"], field="target_value")
        if start == target:
            raise ValidationError({"target_value": [_("The target must differ from the start value.")]})
        cleaned.update(start_value=start, target_value=target, threshold_direction="")
    elif kind == KeyResult.Kind.THRESHOLD:
        cleaned["target_value"] = clean_number(fields["target_value"], field="target_value")
        if fields["threshold_direction"] not in KeyResult.ThresholdDirection.values:
            raise ValidationError({"threshold_direction": [_("Choose whether to stay above or below the value.")]})
        cleaned["start_value"] = clean_number(fields["start_value"], field="start_value", required=False)
    else:
        cleaned.update(start_value=None, target_value=None, threshold_direction="")
    return cleaned


def _set_key_result_contributors(key_result: KeyResult, contributors) -> None:
    replace_links(
        KeyResultContributor,
        organization_id=key_result.organization_id,
        owner={"key_result": key_result},
        target_field="membership",
        targets=contributors,
    )


@atomic_service
def create_key_result(*, actor: Membership, objective: Objective, title: str, kind: str, owner: Membership, **options):
    unknown = set(options) - set(_KEY_RESULT_DEFAULTS)
    if unknown:
        raise TypeError(f"create_key_result got unknown fields {sorted(unknown)}")
    require_same_organization(actor, objective, owner)
    objective = _lock_objective(actor, objective.pk)
    _require(permissions.can_edit_objective(actor, objective), _("You may not add key results to this objective."))
    fields = {**_KEY_RESULT_DEFAULTS, **options, "title": title, "kind": kind, "owner": owner}
    cleaned = _clean_key_result_fields(actor, fields)
    contributors = cleaned.pop("contributors")
    position = KeyResult.objects.filter(organization_id=actor.organization_id, objective=objective).count()
    key_result = KeyResult(organization_id=actor.organization_id, objective=objective, position=position, **cleaned)
    if key_result.kind == KeyResult.Kind.METRIC:
        key_result.current_value = key_result.start_value
    _stamp_history(key_result, actor)
    key_result.save()
    _set_key_result_contributors(key_result, contributors)
    rollup.refresh_objective_chain(actor.organization_id, objective.pk)
    publish(events.KeyResultAssigned(actor=actor, key_result=key_result))
    return key_result


@atomic_service
def update_key_result(*, actor: Membership, key_result: KeyResult, **changes) -> KeyResult:
    require_same_organization(actor, key_result)
    unknown = set(changes) - set(_KEY_RESULT_FIELDS)
    if unknown:
        raise TypeError(f"update_key_result got unknown fields {sorted(unknown)}")
    key_result = rollup.lock_key_result(actor.organization_id, key_result.pk)
    _require(permissions.can_edit_key_result(actor, key_result), _("You may not edit this key result."))
    current = {field: getattr(key_result, field) for field in _KEY_RESULT_FIELDS if field != "contributors"}
    current["contributors"] = list(key_result.contributors.all())
    fields = {**current, **changes}
    if fields["kind"] != key_result.kind and key_result.check_ins.exists():
        raise ValidationError({"kind": [_("The type of a key result with check-ins cannot change.")]})
    cleaned = _clean_key_result_fields(actor, fields)
    contributors = cleaned.pop("contributors")
    owner_before, contributors_before = key_result.owner_id, {person.pk for person in current["contributors"]}
    for field, value in cleaned.items():
        setattr(key_result, field, value)
    _stamp_history(key_result, actor)
    key_result.save()
    _set_key_result_contributors(key_result, contributors)
    rollup.refresh_after_check_in(key_result)
    publish(
        events.KeyResultAssigned(
            actor=actor,
            key_result=key_result,
            owner_before=owner_before,
            contributors_before=frozenset(contributors_before),
        )
    )
    return key_result


@atomic_service
def delete_key_result(*, actor: Membership, key_result: KeyResult) -> None:
    require_same_organization(actor, key_result)
    key_result = rollup.lock_key_result(actor.organization_id, key_result.pk)
    _require(permissions.can_edit_objective(actor, key_result.objective), _("You may not delete this key result."))
    for check_in in key_result.check_ins.all():
        _stamp_history(check_in, actor)
        check_in.delete()
    _stamp_history(key_result, actor)
    key_result.delete()
    rollup.refresh_objective_chain(actor.organization_id, key_result.objective_id)


@atomic_service
def convert_estimate_to_metric(
    *, actor: Membership, key_result: KeyResult, start_value, target_value, unit: str = "", current_value=None
) -> KeyResult:
    """Turn a gut-feeling estimate into a metric once a baseline is measured. Its estimated check-ins
    stay in its history; a first metric check-in records the baseline (or the current value, when
    given), so progress is measured from then on."""
    require_same_organization(actor, key_result)
    key_result = rollup.lock_key_result(actor.organization_id, key_result.pk)
    _require(permissions.can_edit_key_result(actor, key_result), _("You may not edit this key result."))
    if key_result.kind != KeyResult.Kind.ESTIMATE:
        raise ValidationError({"kind": [_("Only an estimate can be converted into a metric.")]})
    start = clean_number(start_value, field="start_value", required=True)
    target = clean_number(target_value, field="target_value", required=True)
    if start == target:
        raise ValidationError({"target_value": [_("The target must differ from the baseline.")]})
    reading = clean_number(current_value, field="current_value", required=False)
    key_result.kind, key_result.start_value, key_result.target_value = KeyResult.Kind.METRIC, start, target
    key_result.unit = clean_text(unit, field="unit", max_length=30)
    _stamp_history(key_result, actor)
    key_result.save()
    check_in = CheckIn(
        organization_id=actor.organization_id,
        key_result=key_result,
        author=actor,
        value=start if reading is None else reading,
        status=key_result.status if key_result.status in CheckInStatus.values else CheckInStatus.ON_TRACK,
        effective_on=actor.organization.today(),
        comment=_("Baseline measured: converted from an estimate into a metric."),
    )
    _stamp_history(check_in, actor)
    check_in.save()
    rollup.refresh_after_check_in(key_result)
    return key_result


# --- check-ins -----------------------------------------------------------------------------------


def _clean_reading(key_result: KeyResult, *, value, percent, done) -> dict:
    """Exactly the reading the key result's type takes."""
    kind = key_result.kind
    if kind in (KeyResult.Kind.METRIC, KeyResult.Kind.THRESHOLD):
        return {"value": clean_number(value, field="value"), "percent": None, "done": None}
    if kind == KeyResult.Kind.ESTIMATE:
        percent = clean_number(percent, field="percent")
        if not 0 <= percent <= 100:
            raise ValidationError({"percent": [_("Estimate progress between 0 and 100 %.")]})
        return {"value": None, "percent": percent.quantize(Decimal("0.01")), "done": None}
    if not isinstance(done, bool):
        raise ValidationError({"done": [_("Say whether the milestone is done.")]})
    return {"value": None, "percent": None, "done": done}


def _clean_check_in_fields(organization, key_result: KeyResult, fields: dict, *, automatic: bool = False) -> dict:
    """``automatic``: the status is always computed (a feed's reading says nothing of how it goes)."""
    cleaned = _clean_reading(key_result, value=fields["value"], percent=fields["percent"], done=fields["done"])
    confidence = fields["confidence"]
    if confidence is not None and (isinstance(confidence, bool) or confidence not in range(1, 11)):
        raise ValidationError({"confidence": [_("Confidence is a whole number from 1 to 10.")]})
    cleaned["confidence"] = confidence
    cleaned["comment"] = clean_text(fields["comment"], field="comment", max_length=COMMENT_MAX, multiline=True)
    effective_on = fields["effective_on"] or organization.today()
    if not is_plain_date(effective_on):
        raise ValidationError({"effective_on": [_("Enter a valid date.")]})
    if effective_on > organization.today():
        raise ValidationError({"effective_on": [_("A check-in cannot be dated in the future.")]})
    timeframe = key_result.objective.timeframe
    if effective_on < timeframe.starts_on:
        raise ValidationError(
            {"effective_on": [_("The date is before the timeframe %(name)s starts.") % {"name": timeframe.name}]}
        )
    cleaned["effective_on"] = effective_on
    status = None if automatic else fields["status"]
    if automatic:
        cleaned["status"] = _automatic_status(organization, key_result, cleaned)
        cleaned["status_is_automatic"] = True
    elif status:
        cleaned["status"] = clean_choice(status, field="status", choices=CheckInStatus)
        cleaned["status_is_automatic"] = False
    elif organization.automatic_status:
        cleaned["status"] = _automatic_status(organization, key_result, cleaned)
        cleaned["status_is_automatic"] = True
    else:
        raise ValidationError({"status": [_("Say how it is going: on track, needs attention or off track.")]})
    return cleaned


def _automatic_status(organization, key_result: KeyResult, reading: dict) -> str:
    progress = math.key_result_progress(
        kind=key_result.kind,
        start=key_result.start_value,
        target=key_result.target_value,
        threshold_direction=key_result.threshold_direction,
        value=reading["value"],
        percent=reading["percent"],
        done=reading["done"],
    )
    timeframe = key_result.objective.timeframe
    expected = math.expected_progress(
        starts_on=timeframe.starts_on, ends_on=timeframe.ends_on, on=reading["effective_on"]
    )
    return math.automatic_status(
        progress=progress,
        expected=expected,
        on_track_factor=organization.on_track_factor,
        needs_attention_factor=organization.needs_attention_factor,
    )


_CHECK_IN_DEFAULTS = {
    "value": None,
    "percent": None,
    "done": None,
    "status": None,
    "confidence": None,
    "comment": "",
    "effective_on": None,
}


@atomic_service
def record_check_in(*, actor: Membership, key_result: KeyResult, **reading) -> CheckIn:
    """Record a check-in and roll its effect up the alignment chain in the same transaction.

    ``reading`` takes value (metric, threshold), percent (estimate) or done (milestone), plus
    status, confidence 1–10, comment and effective_on (default: today in the organization's
    time zone). Without a status, automatic status applies when the organization has it on.
    """
    unknown = set(reading) - set(_CHECK_IN_DEFAULTS)
    if unknown:
        raise TypeError(f"record_check_in got unknown fields {sorted(unknown)}")
    require_same_organization(actor, key_result)
    key_result = rollup.lock_key_result(actor.organization_id, key_result.pk)
    _require(permissions.can_check_in(actor, key_result), _("You may not check in on this key result."))
    cleaned = _clean_check_in_fields(actor.organization, key_result, {**_CHECK_IN_DEFAULTS, **reading})
    check_in = CheckIn(organization_id=actor.organization_id, key_result=key_result, author=actor, **cleaned)
    _stamp_history(check_in, actor)
    check_in.save()
    status_before, progress_before = key_result.status, key_result.progress
    rollup.refresh_after_check_in(key_result)
    publish(
        events.CheckInCreated(
            actor=actor, check_in=check_in, status_before=status_before, progress_before=progress_before
        )
    )
    return check_in


@atomic_service
def record_fed_check_in(*, key_result: KeyResult, value, source: str, effective_on=None, comment: str = "") -> CheckIn:
    """A reading from an automatic feed (see feeds.services, which holds the authority: a secret
    URL or a data source set up by someone who may check in). No author; the source is noted;
    the status is the automatic one. ``value`` is the key result's number, its estimated percent,
    or for a milestone any number, 1 or more meaning done."""
    key_result = rollup.lock_key_result(key_result.organization_id, key_result.pk)
    objective = key_result.objective
    if objective.state == Objective.State.CLOSED or objective.timeframe.is_closed:
        raise ValidationError({"value": [_("The key result's objective or timeframe is closed.")]})
    number = clean_number(value, field="value")
    reading = {**_CHECK_IN_DEFAULTS, "comment": comment, "effective_on": effective_on}
    if key_result.kind == KeyResult.Kind.ESTIMATE:
        reading["percent"] = number
    elif key_result.kind == KeyResult.Kind.MILESTONE:
        reading["done"] = number >= 1
    else:
        reading["value"] = number
    organization = Organization.objects.get(pk=key_result.organization_id)
    cleaned = _clean_check_in_fields(organization, key_result, reading, automatic=True)
    check_in = CheckIn(organization_id=organization.pk, key_result=key_result, author=None, source=source, **cleaned)
    check_in.save()
    status_before, progress_before = key_result.status, key_result.progress
    rollup.refresh_after_check_in(key_result)
    publish(
        events.CheckInCreated(
            actor=None, check_in=check_in, status_before=status_before, progress_before=progress_before
        )
    )
    return check_in


def _reload_check_in(actor: Membership, check_in_id: int, key_result: KeyResult) -> CheckIn:
    check_in = CheckIn.objects.filter(
        organization_id=actor.organization_id, key_result=key_result, pk=check_in_id
    ).first()
    if check_in is None:
        raise NotFound
    check_in.key_result = key_result
    return check_in


@atomic_service
def update_check_in(*, actor: Membership, check_in: CheckIn, **changes) -> CheckIn:
    """Correct a check-in; the previous version stays in its history."""
    unknown = set(changes) - set(_CHECK_IN_DEFAULTS)
    if unknown:
        raise TypeError(f"update_check_in got unknown fields {sorted(unknown)}")
    require_same_organization(actor, check_in)
    key_result = rollup.lock_key_result(actor.organization_id, check_in.key_result_id)
    check_in = _reload_check_in(actor, check_in.pk, key_result)
    _require(permissions.can_change_check_in(actor, check_in), _("You may not change this check-in."))
    current = {field: getattr(check_in, field) for field in _CHECK_IN_DEFAULTS}
    if check_in.status_is_automatic and "status" not in changes and actor.organization.automatic_status:
        current["status"] = None  # recomputed from the corrected reading
    cleaned = _clean_check_in_fields(actor.organization, key_result, {**current, **changes})
    for field, value in cleaned.items():
        setattr(check_in, field, value)
    _stamp_history(check_in, actor)
    check_in.save()
    rollup.refresh_after_check_in(key_result)
    return check_in


@atomic_service
def delete_check_in(*, actor: Membership, check_in: CheckIn) -> None:
    """Delete a check-in; it stays in history, and the key result falls back to the previous one."""
    require_same_organization(actor, check_in)
    key_result = rollup.lock_key_result(actor.organization_id, check_in.key_result_id)
    check_in = _reload_check_in(actor, check_in.pk, key_result)
    _require(permissions.can_change_check_in(actor, check_in), _("You may not delete this check-in."))
    _stamp_history(check_in, actor)
    check_in.delete()
    rollup.refresh_after_check_in(key_result)


# --- initiatives ---------------------------------------------------------------------------------

_INITIATIVE_DEFAULTS = {
    "description": "",
    "owner": None,
    "state": Initiative.State.NOT_STARTED,
    "due_on": None,
    "progress_percent": None,
}
_INITIATIVE_FIELDS = ("title", "key_results", *_INITIATIVE_DEFAULTS)


def _initiative_key_results(actor: Membership, key_results) -> list[KeyResult]:
    """The key results an initiative serves, loaded for the permission rules: at least one, each
    of the organization and visible to the actor."""
    require_same_organization(actor, *key_results)
    ids = sorted({key_result.pk for key_result in key_results})
    if not ids:
        raise ValidationError({"key_results": [_("Choose the key results this work should move.")]})
    loaded = list(
        KeyResult.objects.filter(organization_id=actor.organization_id, pk__in=ids)
        .select_related("objective__timeframe", "objective__lead")
        .prefetch_related("key_result_contributors", "objective__objective_contributors", "objective__objective_groups")
    )
    if len(loaded) != len(ids) or not all(permissions.can_view_objective(actor, kr.objective) for kr in loaded):
        raise NotFound
    return loaded


def _clean_initiative_fields(actor: Membership, fields: dict, *, owner_changed: bool = True) -> dict:
    """Validate an initiative's fields; an unchanged owner is kept even if they have since left."""
    percent = fields["progress_percent"]
    if percent is not None and (isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100):
        raise ValidationError({"progress_percent": [_("Progress is a whole number from 0 to 100.")]})
    if fields["due_on"] is not None and not is_plain_date(fields["due_on"]):
        raise ValidationError({"due_on": [_("Enter a valid date.")]})
    owner = fields["owner"]
    return {
        "title": clean_text(fields["title"], field="title", max_length=TITLE_MAX, required=True),
        "description": clean_text(
            fields["description"], field="description", max_length=DESCRIPTION_MAX, multiline=True
        ),
        "owner": clean_goal_holder(actor, owner, "owner") if owner is not None and owner_changed else owner,
        "state": clean_choice(fields["state"], field="state", choices=Initiative.State),
        "due_on": fields["due_on"],
        "progress_percent": percent,
    }


def _require_open_key_results(actor: Membership, key_results: list[KeyResult]) -> None:
    """Linking work to a key result takes the right to check in on it (its owner, contributors,
    the objective's lead and contributors, its groups' leads, admins)."""
    _require(
        all(permissions.can_check_in(actor, key_result) for key_result in key_results),
        _("You may link initiatives only to key results you may check in on."),
    )


@atomic_service
def create_initiative(*, actor: Membership, title: str, key_results, **options) -> Initiative:
    """Work expected to move one or more key results. It never changes their progress."""
    unknown = set(options) - set(_INITIATIVE_DEFAULTS)
    if unknown:
        raise TypeError(f"create_initiative got unknown fields {sorted(unknown)}")
    key_results = _initiative_key_results(actor, key_results)
    _require_open_key_results(actor, key_results)
    fields = _clean_initiative_fields(actor, {**_INITIATIVE_DEFAULTS, **options, "title": title})
    initiative = Initiative.objects.create(organization_id=actor.organization_id, **fields)
    _set_initiative_key_results(initiative, key_results)
    return initiative


def _lock_initiative(actor: Membership, initiative: Initiative) -> tuple[Initiative, list[KeyResult]]:
    require_same_organization(actor, initiative)
    locked = (
        Initiative.objects.select_for_update().filter(organization_id=actor.organization_id, pk=initiative.pk).first()
    )
    if locked is None:
        raise NotFound
    linked = KeyResult.objects.filter(organization_id=actor.organization_id, initiative_links__initiative=locked)
    key_results = _initiative_key_results(actor, list(linked)) if linked.exists() else []
    _require(permissions.can_edit_initiative(actor, locked, key_results), _("You may not change this initiative."))
    return locked, key_results


@atomic_service
def update_initiative(*, actor: Membership, initiative: Initiative, **changes) -> Initiative:
    """Change an initiative's fields, its status, or the key results it serves."""
    unknown = set(changes) - set(_INITIATIVE_FIELDS)
    if unknown:
        raise TypeError(f"update_initiative got unknown fields {sorted(unknown)}")
    initiative, current_key_results = _lock_initiative(actor, initiative)
    current = {field: getattr(initiative, field) for field in _INITIATIVE_DEFAULTS}
    owner_changed = "owner" in changes and getattr(changes["owner"], "pk", None) != initiative.owner_id
    fields = _clean_initiative_fields(
        actor, {**current, "title": initiative.title, **changes}, owner_changed=owner_changed
    )
    if "key_results" in changes:
        key_results = _initiative_key_results(actor, changes["key_results"])
        added = {kr.pk for kr in key_results} - {kr.pk for kr in current_key_results}
        _require_open_key_results(actor, [kr for kr in key_results if kr.pk in added])
        _set_initiative_key_results(initiative, key_results)
    for field, value in fields.items():
        setattr(initiative, field, value)
    initiative.save()
    return initiative


@atomic_service
def delete_initiative(*, actor: Membership, initiative: Initiative) -> None:
    initiative, _key_results = _lock_initiative(actor, initiative)
    initiative.delete()


def _set_initiative_key_results(initiative: Initiative, key_results) -> None:
    replace_links(
        InitiativeKeyResult,
        organization_id=initiative.organization_id,
        owner={"initiative": initiative},
        target_field="key_result",
        targets=key_results,
    )
