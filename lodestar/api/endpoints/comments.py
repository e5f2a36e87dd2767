"""Comments on objectives, key results, check-ins and KPIs, where the caller may see the goal."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from lodestar.api.auth import reads, writes
from lodestar.api.common import CLIENT_ERRORS, UpdatedSince, moment, pages, resolve
from lodestar.api.schemas import CommentChange, CommentIn, CommentOut
from lodestar.conversations import services as conversations
from lodestar.conversations.access import TARGETS, access_comment
from lodestar.conversations.models import Comment
from lodestar.okrs.selectors import visible_through

router = Router()


class CommentFilters(Schema):
    objective: int | None = None
    key_result: int | None = None
    check_in: int | None = None
    kpi: int | None = None
    updated_since: str | None = UpdatedSince


@router.get("/comments", response={200: list[CommentOut], **CLIENT_ERRORS}, tags=["comments"])
@reads
@pages
def comments(request, filters: Query[CommentFilters]):
    """Oldest first, as a thread reads; ``updated_since`` takes edits too."""
    actor = request.auth
    found = Comment.objects.filter(visible_through(actor), organization_id=actor.organization_id)
    for kind, access in TARGETS.items():
        target_id = getattr(filters, kind)
        if target_id is not None:
            found = found.filter(**{kind: access(actor, target_id)})
    if filters.updated_since is not None:
        since = moment(filters.updated_since)
        found = found.filter(Q(created_at__gte=since) | Q(edited_at__gte=since))
    return found.order_by("created_at", "pk")


@router.get("/comments/{comment_id}", response={200: CommentOut, **CLIENT_ERRORS}, tags=["comments"])
@reads
def comment(request, comment_id: int):
    return access_comment(request.auth, comment_id)


@router.post("/comments", response={201: CommentOut, **CLIENT_ERRORS}, tags=["comments"])
@writes
def post_comment(request, payload: CommentIn):
    """Markdown; ``@[Full Name]`` or ``@[e-mail]`` mentions notify that person."""
    actor = request.auth
    named = [(kind, getattr(payload, kind)) for kind in TARGETS if getattr(payload, kind) is not None]
    if len(named) != 1:
        raise ValidationError(_("Name exactly one of objective, key_result, check_in or kpi."))
    kind, target_id = named[0]
    target = resolve(actor, TARGETS[kind], target_id, field=kind)
    return Status(201, conversations.post_comment(actor=actor, target=target, body=payload.body))


@router.patch("/comments/{comment_id}", response={200: CommentOut, **CLIENT_ERRORS}, tags=["comments"])
@writes
def edit_comment(request, comment_id: int, payload: CommentChange):
    """Only its author."""
    actor = request.auth
    return conversations.edit_comment(actor=actor, comment=access_comment(actor, comment_id), body=payload.body)


@router.delete("/comments/{comment_id}", response={204: None, **CLIENT_ERRORS}, tags=["comments"])
@writes
def delete_comment(request, comment_id: int):
    """Its author or an admin."""
    conversations.delete_comment(actor=request.auth, comment=access_comment(request.auth, comment_id))
    return Status(204, None)
