"""Comment threads on objectives, key results, check-ins and KPIs: post, edit, delete, react,
and the mention picker's suggestions. htmx swaps the thread in place; without JavaScript each
form posts and comes back to the page it was on. Bad input is a 422 with the message next to
the field; what a person may not do is a 403 with the reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lodestar.conversations import permissions, selectors, services
from lodestar.conversations.access import access_comment, access_target
from lodestar.conversations.forms import CommentForm, ReactionForm
from lodestar.core.forms import add_service_errors
from lodestar.core.responses import denied
from lodestar.core.validation import clean_search
from lodestar.orgs.selectors import mention_suggestions


def can_comment(membership, kind: str, target) -> bool:
    if kind == "kpi":
        return permissions.can_comment_on_kpi(membership, target)
    objective = (
        target if kind == "objective" else (target.objective if kind == "key_result" else target.key_result.objective)
    )
    return permissions.can_comment_on_goal(membership, objective)


def thread_for(membership, kind: str, target, *, form=None) -> selectors.Thread:
    """The thread a page shows under the thing it is about, with the form for the next comment."""
    thread = selectors.thread(membership, kind, target.pk, can_comment=can_comment(membership, kind, target))
    thread.form = form or CommentForm()
    return thread


def target_page(org_slug: str, kind: str, target_id: int) -> str:
    names = {
        "objective": ("okrs:objective", "objective_id"),
        "key_result": ("okrs:key_result", "key_result_id"),
        "check_in": ("conversations:check_in_comments", "check_in_id"),
        "kpi": ("kpis:kpi", "kpi_id"),
    }
    name, argument = names[kind]
    return reverse(name, kwargs={"org_slug": org_slug, argument: target_id}) + f"#comments-{kind}-{target_id}"


def _render_thread(request, kind, target, *, form=None, status=200, error=""):
    context = {"thread": thread_for(request.membership, kind, target, form=form), "thread_error": error}
    return render(request, "conversations/thread.html", context, status=status)


@require_http_methods(["GET", "POST"])
def comment_create(request, org_slug, kind, **target_id):
    """Post a comment on the thing named by the URL's one id (objective_id, key_result_id, …);
    GET leads to the thread on its page."""
    membership = request.membership
    target = access_target(membership, kind, target_id[f"{kind}_id"])
    if request.method == "GET":
        return redirect(target_page(org_slug, kind, target.pk))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.post_comment(actor=membership, target=target, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Your comment is posted."))
                return redirect(target_page(org_slug, kind, target.pk))
            return _render_thread(request, kind, target)
    if not request.htmx:
        return render(
            request,
            "conversations/comment_form_page.html",
            {"form": form, "action": request.path, "back": target_page(org_slug, kind, target.pk)},
            status=422,
        )
    return _render_thread(request, kind, target, form=form, status=422)


def _thread_target(comment):
    """(kind, thing) of the thread a comment is in; the comment's field names are the kinds."""
    kind = comment.target_kind
    return kind, getattr(comment, kind)


@require_http_methods(["GET", "POST"])
def comment_edit(request, org_slug, comment_id):
    membership = request.membership
    comment = access_comment(membership, comment_id)
    kind, target = _thread_target(comment)
    back = target_page(org_slug, kind, target.pk)
    if not permissions.can_edit_comment(membership, comment):
        return denied(request, _("Only its author can edit a comment."))
    mentions = reverse("conversations:mention_options", kwargs={"org_slug": org_slug})
    form = CommentForm(request.POST or None, initial={"body": comment.body}, mentions_url=mentions)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(actor=membership, comment=comment, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(back)
    context = {"form": form, "action": request.path, "back": back, "editing": True}
    return render(request, "conversations/comment_form_page.html", context, status=422 if form.errors else 200)


@require_POST
def comment_delete(request, org_slug, comment_id):
    membership = request.membership
    comment = access_comment(membership, comment_id)
    kind, target = _thread_target(comment)
    services.delete_comment(actor=membership, comment=comment)
    if request.htmx:
        return _render_thread(request, kind, target)
    messages.success(request, _("The comment is deleted."))
    return redirect(target_page(org_slug, kind, target.pk))


@require_POST
def comment_react(request, org_slug, comment_id):
    membership = request.membership
    comment = access_comment(membership, comment_id)
    kind, target = _thread_target(comment)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return _render_thread(request, kind, target, status=422, error=_("Choose one of the reactions offered."))
    services.toggle_reaction(actor=membership, comment=comment, emoji=form.cleaned_data["emoji"])
    if request.htmx:
        return _render_thread(request, kind, target)
    return redirect(target_page(org_slug, kind, target.pk))


@require_safe
def check_in_comments(request, org_slug, check_in_id):
    """One check-in with its conversation (htmx: only the thread, opened under the check-in)."""
    check_in = access_target(request.membership, "check_in", check_in_id)
    if request.htmx:
        return _render_thread(request, "check_in", check_in)
    context = {
        "check_in": check_in,
        "key_result": check_in.key_result,
        "thread": thread_for(request.membership, "check_in", check_in),
    }
    return render(request, "conversations/check_in_comments.html", context)


@require_safe
def mention_options(request, org_slug):
    """Who the mention picker offers for the text after an @ (JSON; at most 8 people)."""
    query = clean_search(request.GET.get("q", ""))
    people = mention_suggestions(request.membership.organization_id, query) if query else []
    return JsonResponse({"people": people})
