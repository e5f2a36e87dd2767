"""Global search over objectives, key results, KPIs, people and groups."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from lodestar.core.validation import clean_search
from lodestar.okrs.page_timeframe import selected_timeframe
from lodestar.search import selectors


def _page_number(request) -> int:
    """``?page=``, from 1; anything else is the first page."""
    value = request.GET.get("page", "")
    return int(value) if value.isdecimal() and 0 < int(value) <= selectors.MAX_PAGE else 1


@require_safe
def search(request, org_slug):
    """``?q=`` across the organization: the first few matches of each kind; with ``&kind=``, one
    kind a page at a time (``&page=``). Goals of the chosen (default: current) timeframe come first,
    but every timeframe is searched. An htmx request gets the results alone, or for a page of one
    kind only its rows, which "Show more" appends in place."""
    query = clean_search(request.GET.get("q"), max_length=selectors.MAX_QUERY_LENGTH)
    view = selected_timeframe(request)
    kind = request.GET.get("kind")
    params = {"q": query, **({"timeframe": view.timeframe.pk} if view.chosen and view.timeframe else {})}
    context = {**view.context(), "search_query": query, "search_params": urlencode(params)}
    if query and kind in selectors.Kind.values:
        context["page"] = selectors.search_page(
            request.membership,
            query,
            selectors.Kind(kind),
            number=_page_number(request),
            current_timeframe=view.timeframe,
            today=view.today,
        )
        template = "search/partials/page_rows.html" if request.htmx else "search/search.html"
    else:
        context["results"] = (
            selectors.global_search(request.membership, query, current_timeframe=view.timeframe, today=view.today)
            if query
            else None
        )
        template = "search/partials/results.html" if request.htmx else "search/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # the same URL answers a page or a fragment
    return response
