"""Timeframes: the one pages open on, one by its id, and its drafts."""

import datetime

from django.db.models import QuerySet

from lodestar.okrs.models import Objective, Timeframe
from lodestar.orgs.models import Membership


def current_timeframe(organization_id: int, today: datetime.date) -> Timeframe | None:
    """The timeframe pages open on (see pick_current_timeframe)."""
    return pick_current_timeframe(list(Timeframe.objects.filter(organization_id=organization_id)), today)


def pick_current_timeframe(timeframes, today: datetime.date):
    """The timeframe an admin marked current; else the shortest running today; else the one that
    ended most recently; else the next to start. Works on models and on dicts of their values."""

    def value(timeframe, name):
        return timeframe[name] if isinstance(timeframe, dict) else getattr(timeframe, name)

    marked = [tf for tf in timeframes if value(tf, "is_current")]
    if marked:
        return marked[0]
    running = [tf for tf in timeframes if value(tf, "starts_on") <= today <= value(tf, "ends_on")]
    if running:
        return min(
            running,
            key=lambda tf: (value(tf, "ends_on") - value(tf, "starts_on"), -value(tf, "starts_on").toordinal()),
        )
    started = [tf for tf in timeframes if value(tf, "starts_on") <= today]
    if started:
        return max(started, key=lambda tf: value(tf, "ends_on"))
    return min(timeframes, key=lambda tf: value(tf, "starts_on"), default=None)


def timeframe_of(viewer: Membership, timeframe_id: int) -> Timeframe:
    return Timeframe.objects.get(organization_id=viewer.organization_id, pk=timeframe_id)


def drafts_of(timeframe) -> QuerySet[Objective]:
    return Objective.objects.filter(
        organization_id=timeframe.organization_id, timeframe=timeframe, state=Objective.State.DRAFT
    )
