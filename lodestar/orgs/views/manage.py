"""Managing people and groups (admins)."""

from django.http import Http404
from django.views.decorators.http import require_http_methods


@require_http_methods(["GET", "POST"])
def group_create(request, org_slug):
    raise Http404  # built by the management work


@require_http_methods(["GET", "POST"])
def group_edit(request, org_slug, group_id):
    raise Http404  # built by the management work


@require_http_methods(["GET", "POST"])
def group_members(request, org_slug, group_id):
    raise Http404  # built by the management work


@require_http_methods(["GET", "POST"])
def person_add(request, org_slug):
    raise Http404  # built by the management work


@require_http_methods(["GET", "POST"])
def person_edit(request, org_slug, membership_id):
    raise Http404  # built by the management work
