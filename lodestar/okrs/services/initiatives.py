"""Initiatives: the work expected to move key results, created, changed and deleted."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.core.errors import NotFound
from lodestar.core.guards import replace_links, require_same_organization
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_choice, clean_text, is_plain_date
from lodestar.okrs import permissions
from lodestar.okrs.models import Initiative, InitiativeKeyResult, KeyResult
from lodestar.okrs.services._common import DESCRIPTION_MAX, TITLE_MAX, _require
from lodestar.orgs.models import Membership
from lodestar.orgs.services import clean_goal_holder

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


def _lock_initiative(actor: Membership, initiative: Initiative) -> tuple[Initiative, list[KeyResult], list[KeyResult]]:
    """The locked initiative, the linked key results the actor may see, and those they may not
    (of private objectives): an initiative none of whose key results they may see is not found."""
    require_same_organization(actor, initiative)
    locked = (
        Initiative.objects.select_for_update().filter(organization_id=actor.organization_id, pk=initiative.pk).first()
    )
    if locked is None:
        raise NotFound
    linked = list(
        KeyResult.objects.filter(organization_id=actor.organization_id, initiative_links__initiative=locked)
        .select_related("objective__timeframe", "objective__lead")
        .prefetch_related("key_result_contributors", "objective__objective_contributors", "objective__objective_groups")
        .order_by("pk")
    )
    visible = [kr for kr in linked if permissions.can_view_objective(actor, kr.objective)]
    hidden = [kr for kr in linked if kr not in visible]
    if linked and not visible:
        raise NotFound
    _require(permissions.can_edit_initiative(actor, locked, visible), _("You may not change this initiative."))
    return locked, visible, hidden


@atomic_service
def update_initiative(*, actor: Membership, initiative: Initiative, **changes) -> Initiative:
    """Change an initiative's fields, its status, or the key results it serves. ``key_results`` are
    those the actor may see (another is not found); links to key results of private objectives the
    actor may not see stay as they were."""
    unknown = set(changes) - set(_INITIATIVE_FIELDS)
    if unknown:
        raise TypeError(f"update_initiative got unknown fields {sorted(unknown)}")
    initiative, current_key_results, hidden_key_results = _lock_initiative(actor, initiative)
    current = {field: getattr(initiative, field) for field in _INITIATIVE_DEFAULTS}
    owner_changed = "owner" in changes and getattr(changes["owner"], "pk", None) != initiative.owner_id
    fields = _clean_initiative_fields(
        actor, {**current, "title": initiative.title, **changes}, owner_changed=owner_changed
    )
    if "key_results" in changes:
        key_results = _initiative_key_results(actor, changes["key_results"])
        added = {kr.pk for kr in key_results} - {kr.pk for kr in current_key_results}
        _require_open_key_results(actor, [kr for kr in key_results if kr.pk in added])
        _set_initiative_key_results(initiative, [*key_results, *hidden_key_results])
    for field, value in fields.items():
        setattr(initiative, field, value)
    initiative.save()
    return initiative


@atomic_service
def delete_initiative(*, actor: Membership, initiative: Initiative) -> None:
    initiative, _visible, _hidden = _lock_initiative(actor, initiative)
    initiative.delete()


def _set_initiative_key_results(initiative: Initiative, key_results) -> None:
    replace_links(
        InitiativeKeyResult,
        organization_id=initiative.organization_id,
        owner={"initiative": initiative},
        target_field="key_result",
        targets=key_results,
    )
