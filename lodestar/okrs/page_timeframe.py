"""The timeframe a page shows: ``?timeframe=<id>``, which travels with the links of every
organization page (the navigation's timeframe switcher), else the current one.

Whatever page ``?timeframe=`` reaches, an id that is not one of the organization's timeframes
answers 404, as every foreign id does (``ChosenTimeframeMiddleware``, after
lodestar.orgs.middleware.OrganizationMiddleware); the timeframe found is kept for the page.
"""

import datetime
from dataclasses import dataclass

from lodestar.okrs import progress, selectors
from lodestar.okrs.access import access_timeframe
from lodestar.okrs.models import Timeframe


class ChosenTimeframeMiddleware:
    """After lodestar.orgs.middleware.OrganizationMiddleware, which sets ``request.membership``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "timeframe_is_a_form_field", False):
            return
        if getattr(request, "membership", None) is not None and request.GET.get("timeframe"):
            request.chosen_timeframe = access_timeframe(request.membership, request.GET["timeframe"])


def timeframe_is_a_form_field(view):
    """For a view that checks ``timeframe`` as a field of the form it is sent (the live coach):
    the middleware leaves the value to the form."""
    view.timeframe_is_a_form_field = True
    return view


@dataclass(frozen=True)
class TimeframeView:
    """The chosen timeframe, today in the organization, and how far through the timeframe we are."""

    timeframe: Timeframe | None
    today: datetime.date
    expected: float
    chosen: bool  # picked with ?timeframe= (links then carry it on), rather than the current one

    def context(self) -> dict:
        return {
            "timeframe": self.timeframe,
            "today": self.today,
            "expected": self.expected,
            "timeframe_query": f"?timeframe={self.timeframe.pk}" if self.chosen and self.timeframe else "",
        }


def chosen_timeframe(request) -> Timeframe:
    """The timeframe ``?timeframe=`` names (okrs.middleware looked it up already), else 404."""
    return getattr(request, "chosen_timeframe", None) or access_timeframe(request.membership, request.GET["timeframe"])


def selected_timeframe(request, *, otherwise: Timeframe | None = None) -> TimeframeView:
    """``?timeframe=<id>`` of the request's organization (404 for anything else), else ``otherwise``
    (a timeframe the page is about), else the current one."""
    membership = request.membership
    today = request.organization.today()
    chosen = "timeframe" in request.GET or otherwise is not None
    if "timeframe" in request.GET:
        timeframe = chosen_timeframe(request)
    elif otherwise is not None:
        timeframe = otherwise
    else:
        # The navigation's timeframe switcher reuses the list (okrs.context_processors).
        request.organization_timeframes = list(Timeframe.objects.filter(organization_id=membership.organization_id))
        timeframe = selectors.pick_current_timeframe(request.organization_timeframes, today)
    expected = (
        progress.expected_progress(starts_on=timeframe.starts_on, ends_on=timeframe.ends_on, on=today)
        if timeframe
        else 0.0
    )
    return TimeframeView(timeframe, today, expected, chosen)
