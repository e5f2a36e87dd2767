"""Reading conversations: one thread with its reactions in a fixed number of queries, and the
comment counts of many check-ins at once."""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from lodestar.conversations import permissions
from lodestar.conversations.models import Comment, Reaction
from lodestar.orgs.models import Membership


@dataclass
class ReactionCount:
    emoji: str
    symbol: str
    count: int
    mine: bool
    names: list[str] = field(default_factory=list)


@dataclass
class CommentRow:
    comment: Comment
    reactions: list[ReactionCount]
    can_edit: bool
    can_delete: bool
    can_react: bool


@dataclass
class Thread:
    """A thread on one thing. ``dom_id`` is where htmx swaps it, ``post_url`` where a comment goes."""

    kind: str
    target_id: int
    rows: list[CommentRow]
    can_comment: bool
    form: object = None

    @property
    def reaction_choices(self):
        return Reaction.Emoji.choices

    @property
    def dom_id(self) -> str:
        return f"comments-{self.kind}-{self.target_id}"


def _filter(kind: str, target_id: int) -> dict:
    return {
        "objective": {"objective_id": target_id, "key_result__isnull": True},
        "key_result": {"key_result_id": target_id, "check_in__isnull": True},
        "check_in": {"check_in_id": target_id},
        "kpi": {"kpi_id": target_id},
    }[kind]


def thread(viewer: Membership, kind: str, target_id: int, *, can_comment: bool) -> Thread:
    """The comments on one objective, key result, check-in or KPI the viewer may see (2 queries)."""
    on_target = Comment.objects.filter(organization_id=viewer.organization_id, **_filter(kind, target_id))
    comments = list(on_target.select_related("author__user", "objective__timeframe"))
    # By the same filter, not by the ids just read: two queries whether there are comments or not.
    reactions = _reactions(viewer, on_target.values("pk"))
    rows = [
        CommentRow(
            comment=comment,
            reactions=reactions.get(comment.pk, []),
            can_edit=permissions.can_edit_comment(viewer, comment),
            can_delete=permissions.can_delete_comment(viewer, comment),
            can_react=permissions.can_react(viewer, comment),
        )
        for comment in comments
    ]
    return Thread(kind=kind, target_id=target_id, rows=rows, can_comment=can_comment)


def _reactions(viewer: Membership, comments: QuerySet) -> dict[int, list[ReactionCount]]:
    """The reactions to ``comments`` (a query of their ids), by comment and emoji."""
    symbols = dict(Reaction.Emoji.choices)
    grouped: dict[int, dict[str, ReactionCount]] = {}
    rows = (
        Reaction.objects.filter(organization_id=viewer.organization_id, comment__in=comments)
        .order_by("created_at", "pk")
        .values_list("comment_id", "emoji", "person_id", "person__user__full_name")
    )
    for comment_id, emoji, person_id, name in rows:
        per_comment = grouped.setdefault(comment_id, {})
        count = per_comment.setdefault(emoji, ReactionCount(emoji, symbols.get(emoji, ""), 0, False))
        count.count += 1
        count.mine = count.mine or person_id == viewer.pk
        count.names.append(name)
    order = list(symbols)
    return {cid: sorted(counts.values(), key=lambda c: order.index(c.emoji)) for cid, counts in grouped.items()}


def comment_counts(organization_id: int, *, check_in_ids) -> dict[int, int]:
    """How many comments each check-in has (one query)."""
    rows = (
        Comment.objects.filter(organization_id=organization_id, check_in__in=list(check_in_ids))
        .values("check_in_id")
        .annotate(count=Count("pk"))
        .values_list("check_in_id", "count")
    )
    return dict(rows)
