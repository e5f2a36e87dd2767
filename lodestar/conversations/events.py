"""What the comment services publish (lodestar.core.events); the activity feed and notifications
subscribe."""

from dataclasses import dataclass

from lodestar.conversations.models import Comment
from lodestar.core.events import Event
from lodestar.orgs.models import Membership


@dataclass(frozen=True)
class CommentPosted(Event):
    actor: Membership
    comment: Comment
    mentioned: tuple[Membership, ...]


@dataclass(frozen=True)
class CommentEdited(Event):
    """The words changed everywhere the comment was told; ``new_mentions`` were not mentioned before."""

    actor: Membership
    comment: Comment
    new_mentions: tuple[Membership, ...]
