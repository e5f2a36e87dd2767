"""Creating, editing and deleting objectives and key results."""

from django.http import Http404
from django.views.decorators.http import require_http_methods


@require_http_methods(["GET", "POST"])
def objective_create(request, org_slug):
    raise Http404  # built by the editing work


@require_http_methods(["GET", "POST"])
def parent_options(request, org_slug):
    raise Http404  # built by the editing work


@require_http_methods(["GET", "POST"])
def objective_edit(request, org_slug, objective_id):
    raise Http404  # built by the editing work


@require_http_methods(["GET", "POST"])
def objective_delete(request, org_slug, objective_id):
    raise Http404  # built by the editing work


@require_http_methods(["GET", "POST"])
def key_result_create(request, org_slug, objective_id):
    raise Http404  # built by the editing work


@require_http_methods(["GET", "POST"])
def key_result_edit(request, org_slug, key_result_id):
    raise Http404  # built by the editing work


@require_http_methods(["GET", "POST"])
def key_result_delete(request, org_slug, key_result_id):
    raise Http404  # built by the editing work
