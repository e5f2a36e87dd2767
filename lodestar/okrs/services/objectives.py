"""Objectives: the alignment rules, creating, editing and deleting objectives, and publishing drafts."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.core.errors import NotFound
from lodestar.core.events import publish
from lodestar.core.guards import chain_reaches, require_same_organization
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_choice, clean_text
from lodestar.okrs import events, permissions, rollup
from lodestar.okrs.models import CheckIn, KeyResult, Objective, Timeframe
from lodestar.okrs.services._common import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    _clean_people,
    _lock_objective,
    _require,
    _set_objective_links,
    _stamp_history,
)
from lodestar.orgs.models import Membership
from lodestar.orgs.services import clean_goal_holder

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
