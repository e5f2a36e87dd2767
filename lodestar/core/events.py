"""Domain events: a service says what happened without knowing who listens.

An app defines the events it publishes (``okrs/events.py``: frozen dataclasses); the apps that
react subscribe in their ``AppConfig.ready`` (``activity/listeners.py``, ...). A service publishes
inside its transaction, once the change is saved and rolled up, and the listeners run at once in
that same transaction: what they record — an activity, a notification, an outbox row — exists
exactly when the change does, and a write that rolls back leaves none of it. Nothing leaves the
process here: a message to the outside world is an outbox row the worker sends after the commit
(lodestar.worker), so no listener can tell of a change that did not happen.
"""

from collections import defaultdict
from collections.abc import Callable


class Event:
    """Base of every domain event (subclasses are frozen dataclasses with the facts)."""


_listeners: defaultdict[type[Event], list[Callable]] = defaultdict(list)


def subscribe(event_type: type[Event], listener: Callable) -> None:
    """Call ``listener(event)`` for each ``event_type`` published, in the order of subscription
    (Django may run ``ready`` twice: subscribing again changes nothing)."""
    if listener not in _listeners[event_type]:
        _listeners[event_type].append(listener)


def publish(event: Event) -> None:
    for listener in _listeners[type(event)]:
        listener(event)
