"""Objectives, key results, check-ins and initiatives: read what the caller may see (private goals
stay with the people taking part), write through okrs.services with the pages' permission rules."""

from django.db.models import Exists, OuterRef, Prefetch
from ninja import Query, Router, Schema
from ninja import Status as Answer

from lodestar.api.auth import reads, writes
from lodestar.api.common import CLIENT_ERRORS, UpdatedSince, changed_since, changes, pages, resolve, resolve_all
from lodestar.api.contract import Choice, Patch
from lodestar.api.schemas import (
    CarryOverIn,
    CheckInChange,
    CheckInIn,
    CheckInOut,
    ConvertToMetricIn,
    InitiativeIn,
    InitiativeOut,
    KeyResultIn,
    KeyResultOut,
    ObjectiveCloseIn,
    ObjectiveIn,
    ObjectiveOut,
)
from lodestar.okrs import services
from lodestar.okrs.access import (
    access_check_in,
    access_initiative,
    access_key_result,
    access_objective,
    access_timeframe,
)
from lodestar.okrs.models import CheckIn, Initiative, InitiativeKeyResult, KeyResult, Objective, Status
from lodestar.okrs.selectors import visible_objectives, visible_private_ids, visible_through
from lodestar.orgs.access import access_group, access_membership

router = Router()


def _key_results_in_order(organization_id: int):
    return KeyResult.objects.filter(organization_id=organization_id).order_by("position", "pk")


# --- objectives ----------------------------------------------------------------------------------


class ObjectiveFilters(Schema):
    timeframe: int | None = None
    group: int | None = None
    lead: int | None = None
    level: Choice(Objective.Level) | None = None
    state: Choice(Objective.State) | None = None
    status: Choice(Status) | None = None
    updated_since: str | None = UpdatedSince


@router.get("/objectives", response={200: list[ObjectiveOut], **CLIENT_ERRORS}, tags=["objectives"])
@reads
@pages
def objectives(request, filters: Query[ObjectiveFilters]):
    """Objectives the caller may see, with their key results, newest change first."""
    actor = request.auth
    found = visible_objectives(actor)
    if filters.timeframe is not None:
        found = found.filter(timeframe=access_timeframe(actor, filters.timeframe))
    if filters.group is not None:
        found = found.filter(objective_groups__group=access_group(actor, filters.group))
    if filters.lead is not None:
        found = found.filter(lead=access_membership(actor, filters.lead))
    for field in ("level", "state", "status"):
        if getattr(filters, field) is not None:
            found = found.filter(**{field: getattr(filters, field)})
    found = changed_since(found, filters.updated_since)
    return _as_seen_by(actor, found.order_by("-updated_at", "-pk"))


def _with_key_results(organization_id: int) -> Prefetch:
    return Prefetch("key_results", queryset=_key_results_in_order(organization_id))


def _as_seen_by(actor, objectives):
    """Objectives with their key results and their parent (ObjectiveOut names it only where the
    caller may see it)."""
    if not actor.is_admin:
        visible_private_ids(actor)  # now, in the organization's scope: the response is written after it
    return objectives.select_related("parent").prefetch_related(_with_key_results(actor.organization_id))


def _objective(actor, objective_id) -> Objective:
    found = access_objective(actor, objective_id)
    return _as_seen_by(actor, Objective.objects.filter(organization_id=actor.organization_id, pk=found.pk)).get()


@router.get("/objectives/{objective_id}", response={200: ObjectiveOut, **CLIENT_ERRORS}, tags=["objectives"])
@reads
def objective(request, objective_id: int):
    return _objective(request.auth, objective_id)


def _objective_fields(actor, fields: dict) -> dict:
    """Ids in an objective payload turned into the rows they name."""
    resolvers = {
        "timeframe": lambda pk: resolve(actor, access_timeframe, pk, field="timeframe"),
        "lead": lambda pk: resolve(actor, access_membership, pk, field="lead"),
        "parent": lambda pk: resolve(actor, access_objective, pk, field="parent"),
        "groups": lambda pks: resolve_all(actor, access_group, pks, field="groups"),
        "contributors": lambda pks: resolve_all(actor, access_membership, pks, field="contributors"),
    }
    return {name: resolvers[name](value) if name in resolvers else value for name, value in fields.items()}


@router.post("/objectives", response={201: ObjectiveOut, **CLIENT_ERRORS}, tags=["objectives"])
@writes
def create_objective(request, payload: ObjectiveIn):
    """A new objective (a draft unless ``state`` is active)."""
    actor = request.auth
    created = services.create_objective(actor=actor, **_objective_fields(actor, payload.dict()))
    return Answer(201, _objective(actor, created.pk))


@router.patch("/objectives/{objective_id}", response={200: ObjectiveOut, **CLIENT_ERRORS}, tags=["objectives"])
@writes
def change_objective(request, objective_id: int, payload: Patch[ObjectiveIn]):
    payload = changes(payload)
    actor = request.auth
    found = access_objective(actor, objective_id)
    services.update_objective(actor=actor, objective=found, **_objective_fields(actor, payload))
    return _objective(actor, found.pk)


@router.delete("/objectives/{objective_id}", response={204: None, **CLIENT_ERRORS}, tags=["objectives"])
@writes
def delete_objective(request, objective_id: int):
    """Delete an objective with its key results (their history stays)."""
    services.delete_objective(actor=request.auth, objective=access_objective(request.auth, objective_id))
    return Answer(204, None)


@router.post("/objectives/{objective_id}/close", response={200: ObjectiveOut, **CLIENT_ERRORS}, tags=["objectives"])
@writes
def close_objective(request, objective_id: int, payload: ObjectiveCloseIn | None = None):
    """End an active objective's cycle with a score, an outcome and a reflection (it keeps its progress
    and status). Without a body the score is suggested from its progress."""
    actor = request.auth
    payload = payload or ObjectiveCloseIn()
    services.close_objective(
        actor=actor,
        objective=access_objective(actor, objective_id),
        score=payload.score,
        outcome=payload.outcome or "",
        reflection=payload.reflection,
    )
    return _objective(actor, objective_id)


@router.post(
    "/objectives/{objective_id}/carry-over", response={201: ObjectiveOut, **CLIENT_ERRORS}, tags=["objectives"]
)
@writes
def carry_over_objective(request, objective_id: int, payload: CarryOverIn):
    """Continue an objective in another timeframe as a draft, linked to where it came from."""
    actor = request.auth
    source = access_objective(actor, objective_id)
    key_results = None
    if payload.key_results is not None:
        key_results = [access_key_result(actor, key_result_id) for key_result_id in payload.key_results]
    carried = services.carry_over_objective(
        actor=actor, objective=source, timeframe=access_timeframe(actor, payload.timeframe), key_results=key_results
    )
    return Answer(201, _objective(actor, carried.pk))


# --- key results ---------------------------------------------------------------------------------


class KeyResultFilters(Schema):
    objective: int | None = None
    timeframe: int | None = None
    group: int | None = None
    owner: int | None = None
    status: Choice(Status) | None = None
    updated_since: str | None = UpdatedSince


@router.get("/key-results", response={200: list[KeyResultOut], **CLIENT_ERRORS}, tags=["key results"])
@reads
@pages
def key_results(request, filters: Query[KeyResultFilters]):
    actor = request.auth
    found = KeyResult.objects.filter(visible_through(actor), organization_id=actor.organization_id)
    if filters.objective is not None:
        found = found.filter(objective=access_objective(actor, filters.objective))
    if filters.timeframe is not None:
        found = found.filter(objective__timeframe=access_timeframe(actor, filters.timeframe))
    if filters.group is not None:
        found = found.filter(objective__objective_groups__group=access_group(actor, filters.group))
    if filters.owner is not None:
        found = found.filter(owner=access_membership(actor, filters.owner))
    if filters.status is not None:
        found = found.filter(status=filters.status)
    return changed_since(found, filters.updated_since).order_by("-updated_at", "-pk")


@router.get("/key-results/{key_result_id}", response={200: KeyResultOut, **CLIENT_ERRORS}, tags=["key results"])
@reads
def key_result(request, key_result_id: int):
    return access_key_result(request.auth, key_result_id)


def _key_result_fields(actor, fields: dict) -> dict:
    if "owner" in fields:
        fields["owner"] = resolve(actor, access_membership, fields["owner"], field="owner")
    if "contributors" in fields:
        fields["contributors"] = resolve_all(actor, access_membership, fields["contributors"], field="contributors")
    return fields


@router.post("/key-results", response={201: KeyResultOut, **CLIENT_ERRORS}, tags=["key results"])
@writes
def create_key_result(request, payload: KeyResultIn):
    actor = request.auth
    fields = _key_result_fields(actor, payload.dict())
    fields["objective"] = resolve(actor, access_objective, fields["objective"], field="objective")
    return Answer(201, services.create_key_result(actor=actor, **fields))


@router.patch("/key-results/{key_result_id}", response={200: KeyResultOut, **CLIENT_ERRORS}, tags=["key results"])
@writes
def change_key_result(request, key_result_id: int, payload: Patch[KeyResultIn]):
    """Any field but the objective (a key result does not move between objectives)."""
    payload = changes(payload)
    actor = request.auth
    payload.pop("objective", None)
    found = access_key_result(actor, key_result_id)
    services.update_key_result(actor=actor, key_result=found, **_key_result_fields(actor, payload))
    return access_key_result(actor, found.pk)


@router.delete("/key-results/{key_result_id}", response={204: None, **CLIENT_ERRORS}, tags=["key results"])
@writes
def delete_key_result(request, key_result_id: int):
    services.delete_key_result(actor=request.auth, key_result=access_key_result(request.auth, key_result_id))
    return Answer(204, None)


@router.post(
    "/key-results/{key_result_id}/convert-to-metric",
    response={200: KeyResultOut, **CLIENT_ERRORS},
    tags=["key results"],
)
@writes
def convert_key_result_to_metric(request, key_result_id: int, payload: ConvertToMetricIn):
    """Turn an estimate into a metric once a baseline is measured; its check-ins stay in its history."""
    actor = request.auth
    found = access_key_result(actor, key_result_id)
    services.convert_estimate_to_metric(actor=actor, key_result=found, **payload.dict())
    return access_key_result(actor, found.pk)


# --- check-ins -----------------------------------------------------------------------------------


class CheckInFilters(Schema):
    key_result: int | None = None
    objective: int | None = None
    author: int | None = None
    updated_since: str | None = UpdatedSince


@router.get("/check-ins", response={200: list[CheckInOut], **CLIENT_ERRORS}, tags=["check-ins"])
@reads
@pages
def check_ins(request, filters: Query[CheckInFilters]):
    """Newest first."""
    actor = request.auth
    found = CheckIn.objects.filter(
        visible_through(actor, "key_result__objective"), organization_id=actor.organization_id
    )
    if filters.key_result is not None:
        found = found.filter(key_result=access_key_result(actor, filters.key_result))
    if filters.objective is not None:
        found = found.filter(key_result__objective=access_objective(actor, filters.objective))
    if filters.author is not None:
        found = found.filter(author=access_membership(actor, filters.author))
    return changed_since(found, filters.updated_since).order_by("-created_at", "-pk")


@router.get("/check-ins/{check_in_id}", response={200: CheckInOut, **CLIENT_ERRORS}, tags=["check-ins"])
@reads
def check_in(request, check_in_id: int):
    return access_check_in(request.auth, check_in_id)


@router.post("/check-ins", response={201: CheckInOut, **CLIENT_ERRORS}, tags=["check-ins"])
@writes
def create_check_in(request, payload: CheckInIn):
    """A reading for the key result's type: ``value`` (metric, threshold), ``percent`` (estimate)
    or ``done`` (milestone); without ``status``, automatic status applies when the organization
    has it on."""
    actor = request.auth
    fields = payload.dict()
    target = resolve(actor, access_key_result, fields.pop("key_result"), field="key_result")
    return Answer(201, services.record_check_in(actor=actor, key_result=target, **fields))


@router.patch("/check-ins/{check_in_id}", response={200: CheckInOut, **CLIENT_ERRORS}, tags=["check-ins"])
@writes
def change_check_in(request, check_in_id: int, payload: Patch[CheckInChange]):
    """Correct a check-in; the earlier version stays in its history."""
    payload = changes(payload)
    actor = request.auth
    return services.update_check_in(actor=actor, check_in=access_check_in(actor, check_in_id), **payload)


@router.delete("/check-ins/{check_in_id}", response={204: None, **CLIENT_ERRORS}, tags=["check-ins"])
@writes
def delete_check_in(request, check_in_id: int):
    services.delete_check_in(actor=request.auth, check_in=access_check_in(request.auth, check_in_id))
    return Answer(204, None)


# --- initiatives ---------------------------------------------------------------------------------


class InitiativeFilters(Schema):
    key_result: int | None = None
    owner: int | None = None
    state: Choice(Initiative.State) | None = None
    updated_since: str | None = UpdatedSince


def _links(actor) -> Prefetch:
    """An initiative's key results, those the caller may see."""
    seen = InitiativeKeyResult.objects.filter(visible_through(actor, "key_result__objective"))
    return Prefetch("initiative_key_results", queryset=seen.order_by("key_result_id"))


@router.get("/initiatives", response={200: list[InitiativeOut], **CLIENT_ERRORS}, tags=["initiatives"])
@reads
@pages
def initiatives(request, filters: Query[InitiativeFilters]):
    """Initiatives serving a key result the caller may see."""
    actor = request.auth
    seen = InitiativeKeyResult.objects.filter(
        organization_id=actor.organization_id,
        initiative=OuterRef("pk"),
        key_result__objective__in=visible_objectives(actor).values("pk"),
    )
    found = Initiative.objects.filter(Exists(seen), organization_id=actor.organization_id)
    if filters.key_result is not None:
        found = found.filter(initiative_key_results__key_result=access_key_result(actor, filters.key_result))
    if filters.owner is not None:
        found = found.filter(owner=access_membership(actor, filters.owner))
    if filters.state is not None:
        found = found.filter(state=filters.state)
    return changed_since(found, filters.updated_since).order_by("-updated_at", "-pk").prefetch_related(_links(actor))


def _initiative(actor, initiative_id) -> Initiative:
    found, _key_results = access_initiative(actor, initiative_id)
    return Initiative.objects.prefetch_related(_links(actor)).get(organization_id=actor.organization_id, pk=found.pk)


@router.get("/initiatives/{initiative_id}", response={200: InitiativeOut, **CLIENT_ERRORS}, tags=["initiatives"])
@reads
def initiative(request, initiative_id: int):
    return _initiative(request.auth, initiative_id)


def _initiative_fields(actor, fields: dict) -> dict:
    if "owner" in fields:
        fields["owner"] = resolve(actor, access_membership, fields["owner"], field="owner")
    if "key_results" in fields:
        fields["key_results"] = resolve_all(actor, access_key_result, fields["key_results"], field="key_results")
    return fields


@router.post("/initiatives", response={201: InitiativeOut, **CLIENT_ERRORS}, tags=["initiatives"])
@writes
def create_initiative(request, payload: InitiativeIn):
    actor = request.auth
    created = services.create_initiative(actor=actor, **_initiative_fields(actor, payload.dict()))
    return Answer(201, _initiative(actor, created.pk))


@router.patch("/initiatives/{initiative_id}", response={200: InitiativeOut, **CLIENT_ERRORS}, tags=["initiatives"])
@writes
def change_initiative(request, initiative_id: int, payload: Patch[InitiativeIn]):
    payload = changes(payload)
    actor = request.auth
    found, _key_results = access_initiative(actor, initiative_id)
    services.update_initiative(actor=actor, initiative=found, **_initiative_fields(actor, payload))
    return _initiative(actor, found.pk)


@router.delete("/initiatives/{initiative_id}", response={204: None, **CLIENT_ERRORS}, tags=["initiatives"])
@writes
def delete_initiative(request, initiative_id: int):
    found, _key_results = access_initiative(request.auth, initiative_id)
    services.delete_initiative(actor=request.auth, initiative=found)
    return Answer(204, None)
