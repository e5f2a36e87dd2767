"""Writing comments and reactions. Each write checks permission, runs in one transaction and
publishes what happened (conversations.events): the activity feed records it, notifications tell
the people mentioned and those who lead, own or contribute to the goal or who took part in the
conversation (never about a goal they may not see)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lodestar.conversations import markdown, permissions
from lodestar.conversations.events import CommentEdited, CommentPosted
from lodestar.conversations.models import BODY_MAX, Comment, Mention, Reaction
from lodestar.core.errors import NotAllowed
from lodestar.core.events import publish
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_text
from lodestar.orgs.models import Membership
from lodestar.orgs.selectors import people_by_names


def _mention_resolver(actor: Membership, body: str):
    people = people_by_names(actor.organization_id, markdown.mentioned_names(body))
    slug = actor.organization.slug

    def resolve(name: str):
        person = people.get(name.casefold())
        return (person.full_name, f"/{slug}/people/{person.pk}/") if person else None

    return people, resolve


def _clean_body(actor: Membership, body) -> tuple[str, str, list[Membership]]:
    text = clean_text(body, field="body", max_length=BODY_MAX, required=True, multiline=True)
    people, resolve = _mention_resolver(actor, text)
    html = markdown.render(text, mention_url=resolve)
    mentioned = list({person.pk: person for person in people.values()}.values())
    return text, html, mentioned


def _target_fields(target) -> dict:
    """The comment's foreign keys for an objective, key result, check-in or KPI."""
    from lodestar.kpis.models import KPI
    from lodestar.okrs.models import CheckIn, KeyResult, Objective

    if isinstance(target, KPI):
        return {"kpi": target}
    if isinstance(target, CheckIn):
        return {"objective": target.key_result.objective, "key_result": target.key_result, "check_in": target}
    if isinstance(target, KeyResult):
        return {"objective": target.objective, "key_result": target}
    if isinstance(target, Objective):
        return {"objective": target}
    raise TypeError(f"cannot comment on {type(target).__name__}")


def _may_comment(actor: Membership, fields: dict) -> bool:
    if "kpi" in fields:
        return permissions.can_comment_on_kpi(actor, fields["kpi"])
    return permissions.can_comment_on_goal(actor, fields["objective"])


def target_title(comment: Comment) -> str:
    if comment.kpi_id:
        return comment.kpi.name
    if comment.key_result_id:
        return comment.key_result.title
    return comment.objective.title


@atomic_service
def post_comment(*, actor: Membership, target, body: str) -> Comment:
    if target.organization_id != actor.organization_id:
        raise NotAllowed(_("You may not comment here."))
    fields = _target_fields(target)
    if not _may_comment(actor, fields):
        raise NotAllowed(_("You may not comment here."))
    text, html, mentioned = _clean_body(actor, body)
    comment = Comment.objects.create(
        organization_id=actor.organization_id, author=actor, body=text, body_html=html, **fields
    )
    Mention.objects.bulk_create(
        Mention(organization_id=actor.organization_id, comment=comment, person=person) for person in mentioned
    )
    publish(CommentPosted(actor=actor, comment=comment, mentioned=tuple(mentioned)))
    return comment


def involved(comment: Comment) -> list[Membership]:
    """Who leads, owns or contributes to what the comment is about, and who commented on it before."""
    people = []
    if comment.kpi_id:
        people.append(comment.kpi.owner)
    elif comment.key_result_id:
        key_result = comment.key_result
        people += [key_result.owner, key_result.objective.lead, *key_result.contributors.all()]
        if comment.check_in_id and comment.check_in.author_id:
            people.append(comment.check_in.author)
    else:
        objective = comment.objective
        people += [objective.lead, *objective.contributors.all()]
    earlier = (
        Comment.objects.filter(
            organization_id=comment.organization_id,
            objective=comment.objective_id,
            key_result=comment.key_result_id,
            check_in=comment.check_in_id,
            kpi=comment.kpi_id,
        )
        .exclude(pk=comment.pk)
        .select_related("author__user")
    )
    people += [earlier_comment.author for earlier_comment in earlier]
    return people


@atomic_service
def edit_comment(*, actor: Membership, comment: Comment, body: str) -> Comment:
    comment = Comment.objects.select_for_update().get(organization_id=actor.organization_id, pk=comment.pk)
    if not permissions.can_edit_comment(actor, comment):
        raise NotAllowed(_("Only its author can edit a comment."))
    text, html, mentioned = _clean_body(actor, body)
    already = set(
        Mention.objects.filter(organization_id=actor.organization_id, comment=comment).values_list(
            "person_id", flat=True
        )
    )
    new_mentions = [person for person in mentioned if person.pk not in already]
    comment.body, comment.body_html, comment.edited_at = text, html, timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    Mention.objects.bulk_create(
        Mention(organization_id=actor.organization_id, comment=comment, person=person) for person in new_mentions
    )
    publish(CommentEdited(actor=actor, comment=comment, new_mentions=tuple(new_mentions)))
    return comment


@atomic_service
def delete_comment(*, actor: Membership, comment: Comment) -> None:
    if not permissions.can_delete_comment(actor, comment):
        raise NotAllowed(_("Only its author or an admin can delete a comment."))
    Comment.objects.filter(organization_id=actor.organization_id, pk=comment.pk).delete()


@atomic_service
def toggle_reaction(*, actor: Membership, comment: Comment, emoji: str) -> bool:
    """Add the reaction, or take it back when the person gave it already. True when added."""
    if emoji not in Reaction.Emoji.values:
        raise ValidationError({"emoji": [_("Choose one of the reactions offered.")]})
    if not permissions.can_react(actor, comment):
        raise NotAllowed(_("You may not react here."))
    existing = Reaction.objects.filter(
        organization_id=actor.organization_id, comment=comment, person=actor, emoji=emoji
    )
    if existing.delete()[0]:
        return False
    # A double click sends two of these at once: the second finds the first's row and adds nothing.
    Reaction.objects.bulk_create(
        [Reaction(organization_id=actor.organization_id, comment=comment, person=actor, emoji=emoji)],
        ignore_conflicts=True,
    )
    return True
