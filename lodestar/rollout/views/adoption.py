"""The adoption dashboard for the ambassador and leadership, and the people behind each number."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from lodestar.core.errors import NotFound
from lodestar.okrs.page_timeframe import selected_timeframe
from lodestar.rollout import adoption, selectors
from lodestar.rollout.journey import STAGES
from lodestar.rollout.models import Stage
from lodestar.rollout.views.common import runs_rollout_only


@require_safe
def dashboard(request, org_slug):
    membership = request.membership
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    view = selected_timeframe(request)
    board = selectors.adoption_dashboard(membership, view.timeframe, view.today)
    in_rollout = board.in_rollout.figures
    funnel = [(stage, Stage(stage).label, len(in_rollout.stages[stage])) for stage in STAGES]
    context = {
        **view.context(),
        "timeframe_scoped": True,
        "board": board,
        "funnel": funnel,
        "funnel_top": max([count for *_, count in funnel] + [1]),
    }
    return render(request, "rollout/dashboard.html", context)


@require_safe
def people(request, org_slug):
    """``?segment=all|rollout|rg-<id>|g-<id>&measure=<one of adoption.MEASURES>``."""
    membership = request.membership
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    view = selected_timeframe(request)
    segment, measure = request.GET.get("segment", "all"), request.GET.get("measure", "people")
    if measure not in adoption.MEASURES:
        raise NotFound
    behind = selectors.people_behind(membership, view.timeframe, view.today, segment=segment, measure=measure)
    if behind is None:
        raise NotFound
    context = {
        **view.context(),
        "timeframe_scoped": True,
        "behind": behind,
        "measure_label": adoption.measure_label(measure),
    }
    return render(request, "rollout/people.html", context)
