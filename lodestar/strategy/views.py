"""The strategy page: where the company is heading, and which company objectives serve each pillar."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from lodestar.okrs.services import organization_today
from lodestar.strategy.selectors import strategy_page


@require_safe
def strategy(request, org_slug):
    """Vision, mission and the pillars of ``?year=`` (default: this year) with their company objectives."""
    this_year = organization_today(request.organization).year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, 1900), 2200)
    vision_and_mission, pillars = strategy_page(request.membership, year)
    return render(
        request,
        "strategy/strategy.html",
        {"strategy": vision_and_mission, "pillars": pillars, "year": year, "years": (year - 1, year + 1)},
    )
