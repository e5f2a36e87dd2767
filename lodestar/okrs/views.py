from django.shortcuts import render

from lodestar.okrs import progress, selectors
from lodestar.okrs.access import access_timeframe
from lodestar.okrs.services import organization_today


def home(request, org_slug):
    """My goals: what I lead, own or contribute to in the chosen (default: current) timeframe."""
    membership = request.membership
    today = organization_today(request.organization)
    if "timeframe" in request.GET:
        timeframe = access_timeframe(membership, request.GET["timeframe"])
    else:
        timeframe = selectors.current_timeframe(membership.organization_id, today)
    objectives = selectors.my_objectives(membership, timeframe) if timeframe else []
    expected = (
        progress.expected_progress(starts_on=timeframe.starts_on, ends_on=timeframe.ends_on, on=today)
        if timeframe
        else 0.0
    )
    return render(
        request,
        "okrs/home.html",
        {
            "timeframe": timeframe,
            "objectives": objectives,
            "due": selectors.key_results_due(membership, objectives, today),
            "expected": expected,
        },
    )
