"""Goals created through the services, with sensible defaults for tests."""

from decimal import Decimal

from lodestar.okrs import services
from lodestar.okrs.models import KeyResult, Objective


def objective(actor, *, timeframe, title="Customers love our product", level=Objective.Level.COMPANY, lead=None, **kw):
    kw.setdefault("state", Objective.State.ACTIVE)
    return services.create_objective(
        actor=actor, timeframe=timeframe, title=title, level=level, lead=lead or actor, **kw
    )


def metric(actor, parent, *, owner=None, start=0, target=100, title="Weekly active users", **kw):
    return services.create_key_result(
        actor=actor,
        objective=parent,
        title=title,
        kind=KeyResult.Kind.METRIC,
        owner=owner or actor,
        start_value=Decimal(start),
        target_value=Decimal(target),
        **kw,
    )


def key_result(actor, parent, kind, *, owner=None, title=None, **kw):
    if kind == KeyResult.Kind.METRIC:
        return metric(actor, parent, owner=owner, **kw)
    if kind == KeyResult.Kind.THRESHOLD:
        kw.setdefault("target_value", Decimal("99.5"))
        kw.setdefault("threshold_direction", KeyResult.ThresholdDirection.STAY_ABOVE)
    return services.create_key_result(
        actor=actor, objective=parent, title=title or f"A {kind} key result", kind=kind, owner=owner or actor, **kw
    )
