"""Global search over objectives, key results, KPIs, people and groups."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from lodestar.core.validation import clean_search
from lodestar.okrs.page_timeframe import selected_timeframe
from lodestar.search import selectors


@require_safe
def search(request, org_slug):
    """``?q=`` across the organization; the results alone for an htmx request. Goals of the chosen
    (default: current) timeframe come first, but every timeframe is searched."""
    query = clean_search(request.GET.get("q"), max_length=selectors.MAX_QUERY_LENGTH)
    view = selected_timeframe(request)
    results = (
        selectors.global_search(request.membership, query, current_timeframe=view.timeframe, today=view.today)
        if query
        else None
    )
    context = {**view.context(), "search_query": query, "results": results}
    template = "search/partials/results.html" if request.htmx else "search/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # the same URL answers a page or a fragment
    return response
