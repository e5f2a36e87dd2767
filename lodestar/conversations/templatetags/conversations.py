from django import template
from django.urls import reverse

from lodestar.conversations import permissions, selectors
from lodestar.conversations.forms import CommentForm

register = template.Library()

_POST_URLS = {
    "objective": ("conversations:objective_comment", "objective_id"),
    "key_result": ("conversations:key_result_comment", "key_result_id"),
    "check_in": ("conversations:check_in_comment", "check_in_id"),
    "kpi": ("conversations:kpi_comment", "kpi_id"),
}


@register.simple_tag(takes_context=True)
def comment_thread(context, kind: str, target_id: int, *, goal=None) -> str:
    """The comments under what a page is about, with the form for the next one. ``goal``: the
    objective whose rules say who may comment; none for a KPI (every member who may write)."""
    membership = context["request"].membership
    can_comment = permissions.can_comment_on_goal(membership, goal) if goal is not None else membership.can_write
    thread = selectors.thread(membership, kind, target_id, can_comment=can_comment)
    thread.form = CommentForm()
    with context.push(thread=thread):
        return context.template.engine.get_template("conversations/thread.html").render(context)


@register.simple_tag(takes_context=True)
def comment_counts_of(context, check_ins) -> dict[int, int]:
    """{check-in id: number of comments} for a list of check-in rows (one query)."""
    return selectors.comment_counts(context["request"].organization.pk, check_in_ids=[row.id for row in check_ins])


@register.filter
def count_for(counts: dict[int, int], check_in_id: int) -> int:
    return counts.get(check_in_id, 0)


@register.simple_tag(takes_context=True)
def comment_post_url(context, thread) -> str:
    name, argument = _POST_URLS[thread.kind]
    return reverse(name, kwargs={"org_slug": context["organization"].slug, argument: thread.target_id})
