"""Timeframes (cycles) for admins: list, create, edit, mark current."""

from django.http import Http404
from django.views.decorators.http import require_http_methods


@require_http_methods(["GET", "POST"])
def timeframe_list(request, org_slug):
    raise Http404  # built by the management work


@require_http_methods(["GET", "POST"])
def timeframe_create(request, org_slug):
    raise Http404  # built by the management work


@require_http_methods(["GET", "POST"])
def timeframe_edit(request, org_slug, timeframe_id):
    raise Http404  # built by the management work


@require_http_methods(["GET", "POST"])
def timeframe_make_current(request, org_slug, timeframe_id):
    raise Http404  # built by the management work
