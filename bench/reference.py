"""The lean reference page of `make bench`: what a page of 48 objectives × 4 key results costs
through Django's template engine with a per-row include and translated labels, behind the same
middleware as every page. Every page in the registry is measured beside it (issue 25: at most 1×)."""

from pathlib import Path

from django.http import Http404, HttpResponse
from django.template import Engine, RequestContext

from lodestar.okrs.models import KeyResult, Objective

ROWS = 48
ENGINE = Engine(
    dirs=[str(Path(__file__).resolve().parent / "templates")],
    libraries={"i18n": "django.templatetags.i18n"},
)


def reference_page(request, org_slug):
    membership = getattr(request, "membership", None)
    if membership is None:
        raise Http404
    objectives = list(
        Objective.objects.filter(organization_id=membership.organization_id, visibility=Objective.Visibility.PUBLIC)
        .order_by("pk")
        .values("pk", "title", "progress", "status")[:ROWS]
    )
    key_results = {}
    for key_result in KeyResult.objects.filter(objective_id__in=[o["pk"] for o in objectives]).values(
        "objective_id", "title", "progress", "status"
    ):
        key_results.setdefault(key_result["objective_id"], []).append(key_result)
    for objective in objectives:
        objective["key_results"] = key_results.get(objective["pk"], [])[:4]
    context = {"objectives": objectives, "organization": membership.organization}
    return HttpResponse(ENGINE.get_template("bench/reference.html").render(RequestContext(request, context)))
