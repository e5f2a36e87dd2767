"""The adoption dashboard for the ambassador and leadership, and the people behind each number,
both read from the viewer's snapshot of the figures (rollout.snapshots)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lodestar.core.errors import NotFound
from lodestar.okrs.page_timeframe import selected_timeframe
from lodestar.rollout import adoption, selectors, snapshots
from lodestar.rollout.journey import STAGES
from lodestar.rollout.models import Stage
from lodestar.rollout.views.common import runs_rollout_only


def _freshness(snapshot) -> dict:
    return {
        "snapshot": snapshot,
        "refreshing": snapshots.is_refreshing(snapshot),
        "refresh_minutes": int(snapshots.REFRESH_EVERY.total_seconds() // 60),
    }


@require_safe
def dashboard(request, org_slug):
    membership = request.membership
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    view = selected_timeframe(request)
    snapshot = snapshots.snapshot_for(membership, view.timeframe)
    board = selectors.adoption_dashboard(membership, snapshots.counts(snapshot), view.today)
    people = reverse("rollout:people", kwargs={"org_slug": org_slug})
    timeframe = f"timeframe={view.timeframe.pk}&" if view.timeframe else ""
    for row in board.segments:
        row.people_link = f"{people}?{timeframe}segment={row.key}&measure="
    funnel = []
    if board.in_rollout is not None:
        stages = board.in_rollout.figures.stages
        funnel = [(stage, Stage(stage).label, stages.get(stage, 0)) for stage in STAGES]
    context = {
        **view.context(),
        **_freshness(snapshot),
        "timeframe_scoped": True,
        "board": board,
        "funnel": funnel,
        "funnel_top": max([count for *_, count in funnel] + [1]),
    }
    return render(request, "rollout/dashboard.html", context)


@require_POST
def refresh(request, org_slug):
    """Count the viewer's figures again now (or soon, by the worker), at most once a minute."""
    membership = request.membership
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    view = selected_timeframe(request)
    snapshot = snapshots.snapshot_for(membership, view.timeframe)
    if snapshots.refresh_now(membership, snapshot):
        if snapshots.is_refreshing(snapshot):
            messages.success(request, _("The figures are being counted again: reload the page in a moment."))
        else:
            messages.success(request, _("The figures are up to date."))
    else:
        messages.info(request, _("The figures were counted less than a minute ago."))
    return redirect(reverse("rollout:dashboard", kwargs={"org_slug": org_slug}) + view.context()["timeframe_query"])


@require_safe
def people(request, org_slug):
    """``?segment=all|rollout|rg-<id>|g-<id>&measure=<one of adoption.MEASURES>&page=<n>``."""
    membership = request.membership
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    view = selected_timeframe(request)
    segment, measure = request.GET.get("segment", "all"), request.GET.get("measure", "people")
    if measure not in adoption.MEASURES:
        raise NotFound
    snapshot = snapshots.snapshot_for(membership, view.timeframe)
    behind = None
    if snapshot.computed_at is not None:
        behind = snapshots.people_behind(
            membership, snapshot, segment=segment, measure=measure, page=request.GET.get("page")
        )
        if behind is None:
            raise NotFound
    context = {
        **view.context(),
        **_freshness(snapshot),
        "timeframe_scoped": True,
        "behind": behind,
        "segment": segment,
        "measure": measure,
        "measure_label": adoption.measure_label(measure),
    }
    return render(request, "rollout/people.html", context)
