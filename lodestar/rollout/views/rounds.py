"""Challenge rounds: open one on draft objectives for reviewers, review against the criteria,
discuss and resolve the points, close with a decision log and the objectives published."""

from collections import defaultdict
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lodestar.core.errors import NotFound, as_id
from lodestar.core.forms import add_service_errors
from lodestar.core.responses import denied
from lodestar.okrs import coaching
from lodestar.okrs.access import access_objective
from lodestar.okrs.models import KeyResult
from lodestar.okrs.page_timeframe import selected_timeframe
from lodestar.okrs.permissions import can_edit_objective
from lodestar.orgs.pickers import NAMES_SHOWN, people_names
from lodestar.rollout import challenge, selectors, services
from lodestar.rollout.access import access_point, access_rollout_group, access_round
from lodestar.rollout.forms import AddReviewersForm, CloseRoundForm, OpenRoundForm, ReplyForm, ReviewForm
from lodestar.rollout.models import FeedbackPoint, Reviewer, RolloutGroupMember, RoundObjective
from lodestar.rollout.views.common import carry_out, runs_rollout_only


@require_safe
def round_list(request, org_slug):
    rounds = list(selectors.visible_rounds(request.membership))
    return render(request, "rollout/rounds.html", {"rounds": rounds})


def _reviewers_of_group(request):
    """``?rollout_group=<id>``: its members as the initial reviewers."""
    if "rollout_group" not in request.GET:
        return []
    group = access_rollout_group(request.membership, request.GET["rollout_group"])
    return list(
        RolloutGroupMember.objects.filter(organization_id=group.organization_id, rollout_group=group).values_list(
            "membership_id", flat=True
        )
    )


@require_http_methods(["GET", "POST"])
def round_create(request, org_slug):
    membership = request.membership
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    view = selected_timeframe(request)
    initial = {"reviewers": _reviewers_of_group(request), "deadline": request.organization.today()}
    form = OpenRoundForm(request.POST or None, membership=membership, timeframe=view.timeframe, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.open_round(actor=membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            told = _("The challenge round is open. Its reviewers find it under Rollout.")
            pick = form.picks.get("reviewers")
            if pick is not None and pick.left_out:
                told += " " + _("Left out, read-only: %(names)s.") % {
                    "names": people_names(pick.left_out, most=NAMES_SHOWN)
                }
            messages.success(request, told)
            return redirect("rollout:round", org_slug=org_slug, round_id=opened.pk)
    status = 422 if form.errors else 200
    context = {**view.context(), "timeframe_scoped": True, "form": form}
    return render(request, "rollout/round_form.html", context, status=status)


def _round_context(request, opened, *, reviewers_form=None):
    membership = request.membership
    entries = selectors.round_entries(membership, opened)
    reviewers = selectors.round_reviewers(membership, opened)
    me = next((reviewer for reviewer in reviewers if reviewer.membership_id == membership.pk), None)
    advice = coaching.advice_for(
        request.organization, [entry.objective for entry in entries], today=request.organization.today()
    )
    points_by_objective = defaultdict(list)
    for point in selectors.readable_points(membership, opened):
        points_by_objective[point.objective_id].append(point)
    cards = []
    for entry in entries:
        objective = entry.objective
        points = points_by_objective[objective.pk]
        by_criterion, questions = challenge.grouped_feedback(points)
        cards.append(
            {
                "entry": entry,
                "objective": objective,
                "changes": challenge.changes_since(
                    entry.snapshot, challenge.snapshot(objective, objective.key_results.all())
                ),
                "criteria": by_criterion,
                "questions": questions,
                "mine": sum(1 for point in points if me and point.reviewer_id == me.pk),
                "may_edit": can_edit_objective(membership, objective),
                "open_points": challenge.open_points(points),
                "coaching": advice.get(objective.pk),
            }
        )
    return {
        "round": opened,
        "cards": cards,
        "reviewers": reviewers,
        "me": me,
        "runs_rollout": membership.runs_rollout,
        "reply_form": ReplyForm(),
        "reviewers_form": reviewers_form
        or (
            AddReviewersForm(organization=request.organization) if membership.runs_rollout and opened.is_open else None
        ),
    }


@require_safe
def round_page(request, org_slug, round_id):
    opened = access_round(request.membership, round_id)
    return render(request, "rollout/round.html", _round_context(request, opened))


@require_POST
def round_reviewers_add(request, org_slug, round_id):
    """Add several reviewers to an open round at once (typed, or everyone of whole groups), and say
    who was added and who already reviews."""
    membership = request.membership
    opened = access_round(membership, round_id)
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    form = AddReviewersForm(request.POST, organization=request.organization)
    if form.is_valid():
        try:
            added, already = services.add_reviewers(
                actor=membership, challenge=opened, people=form.cleaned_data["reviewers"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _reviewers_added(added, already, form.picks.get("reviewers")))
            response = redirect("rollout:round", org_slug=org_slug, round_id=opened.pk)
            response["Location"] += "#reviewers-heading"
            return response
    return render(request, "rollout/round.html", _round_context(request, opened, reviewers_form=form), status=422)


def _reviewers_added(added, already, pick) -> str:
    """What adding says, e.g. "Added 3 reviewers: A, B, C. Already reviewing: D. Left out, read-only: E."."""
    if added:
        told = ngettext("Added %(count)d reviewer: %(names)s.", "Added %(count)d reviewers: %(names)s.", len(added)) % {
            "count": len(added),
            "names": people_names(added, most=NAMES_SHOWN),
        }
    else:
        told = _("No new reviewers to add.")
    if already:
        told += " " + _("Already reviewing: %(names)s.") % {"names": people_names(already, most=NAMES_SHOWN)}
    if pick is not None and pick.left_out:
        told += " " + _("Left out, read-only: %(names)s.") % {"names": people_names(pick.left_out, most=NAMES_SHOWN)}
    return told


def _round_entry(request, entry_id) -> RoundObjective:
    """An objective of a round the person may see, and may see the objective of (else 404)."""
    membership = request.membership
    entry = RoundObjective.objects.filter(organization_id=membership.organization_id, pk=as_id(entry_id)).first()
    if entry is None:
        raise NotFound
    entry.round = access_round(membership, entry.round_id)
    entry.objective = access_objective(membership, entry.objective_id)
    return entry


@require_http_methods(["GET", "POST"])
def review(request, org_slug, entry_id):
    """A reviewer's feedback on one objective of a round and its key results."""
    membership = request.membership
    entry = _round_entry(request, entry_id)
    opened, objective = entry.round, entry.objective
    reviewer = Reviewer.objects.filter(
        organization_id=membership.organization_id, round=opened, membership=membership
    ).first()
    if reviewer is None:
        return denied(request, _("Only the reviewers of this round give feedback."))
    if not opened.is_open:
        return denied(request, _("This challenge round is closed."))
    key_results = list(
        KeyResult.objects.filter(organization_id=membership.organization_id, objective=objective)
        .select_related("owner__user")
        .order_by("position", "pk")
    )
    mine = FeedbackPoint.objects.filter(
        organization_id=membership.organization_id, reviewer=reviewer, objective=objective
    )
    form = ReviewForm(request.POST or None, objective=objective, key_results=key_results, points=list(mine))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_review(
                actor=membership,
                challenge=opened,
                objective=objective,
                verdicts=form.verdicts(),
                question=form.cleaned_data["question"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved your feedback on “%(title)s”.") % {"title": objective.title})
            return redirect("rollout:round", org_slug=org_slug, round_id=opened.pk)
    context = {"round": opened, "entry": entry, "objective": objective, "form": form, "reviewer": reviewer}
    return render(request, "rollout/review.html", context, status=422 if form.errors else 200)


@require_POST
def review_submit(request, org_slug, round_id):
    opened = access_round(request.membership, round_id)
    action = partial(services.submit_review, actor=request.membership, challenge=opened)
    done = _("Your feedback is shared with the authors. You now see the other reviewers' feedback too.")
    return carry_out(request, action, done, back=redirect("rollout:round", org_slug=org_slug, round_id=opened.pk))


def _point_anchor(org_slug, point):
    response = redirect("rollout:round", org_slug=org_slug, round_id=point.round_id)
    response["Location"] += f"#point-{point.pk}"
    return response


@require_POST
def point_reply(request, org_slug, point_id):
    """A reply under a feedback point; a bad one comes back on a page of its own with the message."""
    point = access_point(request.membership, point_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_to_point(actor=request.membership, point=point, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your reply is added."))
            return _point_anchor(org_slug, point)
    return render(request, "rollout/reply_form.html", {"point": point, "form": form}, status=422)


@require_POST
def point_resolve(request, org_slug, point_id):
    """``resolved=1`` marks the point resolved, ``resolved=0`` opens it again (anything else is a bad request)."""
    point = access_point(request.membership, point_id)
    if request.POST.get("resolved") not in ("0", "1"):
        return HttpResponseBadRequest(_("The button says resolved=1 or resolved=0."))
    resolved = request.POST["resolved"] == "1"
    action = partial(services.resolve_point, actor=request.membership, point=point, resolved=resolved)
    done = _("The point is resolved.") if resolved else _("The point is open again.")
    return carry_out(request, action, done, back=_point_anchor(org_slug, point))


@require_http_methods(["GET", "POST"])
def round_close(request, org_slug, round_id):
    membership = request.membership
    opened = access_round(membership, round_id)
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    if not opened.is_open:
        return redirect("rollout:round", org_slug=org_slug, round_id=opened.pk)
    entries = selectors.round_entries(membership, opened)
    form = CloseRoundForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_round(
                actor=membership,
                challenge=opened,
                decisions=form.decisions(),
                publish=form.publish(),
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The round is closed; its decisions are logged and the objectives published."))
            return redirect("rollout:round", org_slug=org_slug, round_id=opened.pk)
    open_points = selectors.readable_points(membership, opened)
    context = {
        "round": opened,
        "form": form,
        "open_points": challenge.open_points(open_points),
    }
    return render(request, "rollout/round_close.html", context, status=422 if form.errors else 200)
