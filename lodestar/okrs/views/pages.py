"""The pages people read: My goals, the company page, an objective, a key result."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from lodestar.okrs import selectors
from lodestar.okrs.views.common import selected_timeframe


@require_safe
def home(request, org_slug):
    """My goals: what I lead, own or contribute to in the chosen (default: current) timeframe."""
    membership = request.membership
    view = selected_timeframe(request)
    objectives = selectors.my_objectives(membership, view.timeframe) if view.timeframe else []
    return render(
        request,
        "okrs/home.html",
        {
            **view.context(),
            "objectives": objectives,
            "due": selectors.key_results_due(membership, objectives, view.today),
            "automatic_status": request.organization.automatic_status,
        },
    )


@require_safe
def company(request, org_slug):
    raise Http404


@require_safe
def objective(request, org_slug, objective_id):
    raise Http404


@require_safe
def key_result(request, org_slug, key_result_id):
    raise Http404
