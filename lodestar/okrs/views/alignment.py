"""The alignment map: the whole tree of a timeframe's objectives, filtered, with a path highlighted."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from lodestar.okrs.access import access_objective
from lodestar.okrs.alignment_map import SECTIONS, aligned_below, alignment_map
from lodestar.okrs.forms import MapFilterForm
from lodestar.okrs.page_timeframe import selected_timeframe


@require_safe
def map_page(request, org_slug):
    """The map of ``?timeframe=`` (or the focused objective's, or the current one), narrowed by
    ``?group=``, ``?person=``, ``?status=``, with the path from ``?focus=<objective id>`` up to the
    top highlighted and opened, and the sections named by ``?section=`` drawn whatever their size."""
    membership = request.membership
    focus = access_objective(membership, request.GET["focus"]) if request.GET.get("focus") else None
    view = selected_timeframe(request, otherwise=focus.timeframe if focus else None)
    form = MapFilterForm(request.GET, viewer=membership)
    the_map = None
    if view.timeframe:
        the_map = alignment_map(
            membership,
            view.timeframe,
            today=view.today,
            filters=form.filters(),
            focus_id=focus.pk if focus else None,
            sections=frozenset(request.GET.getlist("section")) & set(SECTIONS),
        )
    return render(
        request,
        "okrs/map.html",
        {**view.context(), "timeframe_scoped": True, "form": form, "map": the_map, "focus": focus,
         "map_query": _map_query(view.timeframe, form)},
    )  # fmt: skip


@require_safe
def map_branch(request, org_slug, objective_id):
    """What aligns to one objective of the map, for htmx to put under it when it is opened; without
    htmx, the map focused on that objective."""
    membership = request.membership
    objective = access_objective(membership, objective_id)
    view = selected_timeframe(request, otherwise=objective.timeframe)
    form = MapFilterForm(request.GET, viewer=membership)
    if not request.htmx:
        query = f"{_map_query(view.timeframe, form)}&focus={objective.pk}"
        return redirect(f"{reverse('okrs:map', kwargs={'org_slug': org_slug})}?{query}#node-{objective.pk}")
    nodes = aligned_below(membership, view.timeframe, objective.pk, today=view.today, filters=form.filters())
    context = {"nodes": nodes, "map_query": _map_query(view.timeframe, form)}
    return render(request, "okrs/partials/map_nodes.html", context)


def _map_query(timeframe, form) -> str:
    """The timeframe and filters every link of the map carries on, as a query string."""
    return urlencode({"timeframe": timeframe.pk, **form.query()} if timeframe else form.query())
