"""Global search over objectives, key results, KPIs, people and groups."""

from django.http import Http404
from django.views.decorators.http import require_safe


@require_safe
def search(request, org_slug):
    raise Http404
