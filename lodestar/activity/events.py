"""What the activity feed publishes (lodestar.core.events): chat channels subscribe."""

from dataclasses import dataclass

from lodestar.activity.models import Activity
from lodestar.core.events import Event


@dataclass(frozen=True)
class ActivityRecorded(Event):
    activity: Activity


@dataclass(frozen=True)
class ActivityRetold(Event):
    """An event's words changed after it was recorded (its comment was edited)."""

    activity: Activity
