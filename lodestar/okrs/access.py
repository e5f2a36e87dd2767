"""Turning an id from a URL or payload into an object the acting person may see.

Missing, another organization's and invisible (private) objects all raise the same
NotFound, so nothing about their existence leaks. What they may see but not change (``for_write``)
raises NotAllowed with the reason, which the web views answer with a 403 page (core.middleware).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lodestar.core.errors import NotAllowed, NotFound, as_id
from lodestar.okrs import permissions
from lodestar.okrs.models import CheckIn, Initiative, KeyResult, Objective, Timeframe
from lodestar.orgs.models import Membership

INITIATIVE_REFUSED = gettext_lazy("You may change initiatives of key results you may check in on, and your own.")


def access_timeframe(actor: Membership, timeframe_id) -> Timeframe:
    timeframe = Timeframe.objects.filter(organization_id=actor.organization_id, pk=as_id(timeframe_id)).first()
    if timeframe is None:
        raise NotFound
    return timeframe


def access_objective(actor: Membership, objective_id, *, for_write: bool = False) -> Objective:
    objective = (
        Objective.objects.filter(organization_id=actor.organization_id, pk=as_id(objective_id))
        .select_related("timeframe", "lead__user")
        .first()
    )
    if objective is None or not permissions.can_view_objective(actor, objective):
        raise NotFound
    if for_write and not permissions.can_edit_objective(actor, objective):
        raise NotAllowed(_("You may not change this objective."))
    return objective


def access_key_result(actor: Membership, key_result_id, *, for_write: bool = False) -> KeyResult:
    key_result = (
        KeyResult.objects.filter(organization_id=actor.organization_id, pk=as_id(key_result_id))
        .select_related("objective__timeframe", "objective__lead", "owner__user")
        .first()
    )
    if key_result is None or not permissions.can_view_objective(actor, key_result.objective):
        raise NotFound
    if for_write and not permissions.can_edit_key_result(actor, key_result):
        raise NotAllowed(_("You may not change this key result."))
    return key_result


def access_check_in(actor: Membership, check_in_id, *, for_write: bool = False) -> CheckIn:
    check_in = (
        CheckIn.objects.filter(organization_id=actor.organization_id, pk=as_id(check_in_id))
        .select_related("key_result__objective__timeframe", "author__user")
        .first()
    )
    if check_in is None or not permissions.can_view_objective(actor, check_in.key_result.objective):
        raise NotFound
    if for_write and not permissions.can_change_check_in(actor, check_in):
        raise NotAllowed(_("You may not change this check-in."))
    return check_in


def access_initiative(
    actor: Membership, initiative_id, *, for_write: bool = False
) -> tuple[Initiative, list[KeyResult]]:
    """An initiative and those of the key results it serves that the actor may see. Seen by whoever
    may see one of their objectives (an initiative of private objectives only stays private); changed
    by its owner and whoever may check in on one of them. Key results of private objectives the actor
    may not see are left out, so no page names them (the services keep their links)."""
    initiative = Initiative.objects.filter(organization_id=actor.organization_id, pk=as_id(initiative_id)).first()
    if initiative is None:
        raise NotFound
    key_results = list(
        KeyResult.objects.filter(organization_id=actor.organization_id, initiative_links__initiative=initiative)
        .select_related("objective__timeframe", "objective__lead")
        .prefetch_related("key_result_contributors", "objective__objective_contributors", "objective__objective_groups")
        .order_by("pk")
    )
    visible = [kr for kr in key_results if permissions.can_view_objective(actor, kr.objective)]
    if key_results and not visible:
        raise NotFound
    key_results = visible
    if for_write and not permissions.can_edit_initiative(actor, initiative, key_results):
        raise NotAllowed(INITIATIVE_REFUSED)
    return initiative, key_results
