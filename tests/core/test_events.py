"""Domain events: publishers do not know their listeners; every event has some."""

from dataclasses import dataclass

import pytest
from django.db import transaction

from lodestar.activity.models import Activity
from lodestar.core import events
from lodestar.okrs import services as okrs


def _event_types(base=events.Event):
    for subclass in base.__subclasses__():
        yield subclass
        yield from _event_types(subclass)


def test_every_event_some_app_publishes_has_a_listener():
    silent = [
        event.__name__
        for event in _event_types()
        if event.__module__.startswith("lodestar.") and not events._listeners[event]
    ]
    assert silent == []


def test_listeners_run_in_the_order_they_subscribed_and_once_each(monkeypatch):
    @dataclass(frozen=True)
    class Happened(events.Event):
        what: str

    monkeypatch.setattr(events, "_listeners", type(events._listeners)(list))
    heard = []
    first, second = (
        (lambda event: heard.append(("first", event.what))),
        (lambda event: heard.append(("second", event.what))),
    )
    events.subscribe(Happened, first)
    events.subscribe(Happened, second)
    events.subscribe(Happened, first)
    events.publish(Happened("it"))
    assert heard == [("first", "it"), ("second", "it")]


def test_what_listeners_record_rolls_back_with_the_change(cast):
    with pytest.raises(RuntimeError), transaction.atomic():
        okrs.create_objective(
            actor=cast.admin, timeframe=cast.quarter, title="Win the north", level="company", lead=cast.lead
        )
        assert Activity.objects.filter(organization=cast.acme, kind=Activity.Kind.OBJECTIVE_CREATED).exists()
        raise RuntimeError("the request failed after the service")
    assert not Activity.objects.filter(organization=cast.acme, kind=Activity.Kind.OBJECTIVE_CREATED).exists()
