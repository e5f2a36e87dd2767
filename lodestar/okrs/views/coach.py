"""The quality coach on forms being typed (htmx) and its findings answered: dismissed with a
reason, or restored."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lodestar.core.forms import add_service_errors
from lodestar.okrs import coach, coaching, services
from lodestar.okrs.access import access_objective
from lodestar.okrs.forms import DismissFindingForm
from lodestar.okrs.page_timeframe import timeframe_is_a_form_field

FINDINGS_PARTIAL = "okrs/partials/coach_findings.html"


@require_safe
def key_result_coach(request, org_slug, objective_id):
    """The coach's advice on the key result being typed (the form's fields in the query string)."""
    objective = access_objective(request.membership, objective_id)
    findings = coaching.typed_key_result_findings(request.organization, objective, request.GET)
    context = {"findings": findings, "live": True, "clear": _("The coach has no suggestions for this key result.")}
    return render(request, FINDINGS_PARTIAL, context)


@require_safe
@timeframe_is_a_form_field
def objective_coach(request, org_slug, objective_id=None):
    """The coach's advice on the objective being typed, new or (with an id) being edited."""
    objective = access_objective(request.membership, objective_id) if objective_id is not None else None
    findings = coaching.typed_objective_findings(request.organization, request.GET, objective)
    context = {"findings": findings, "live": True, "clear": _("The coach has no suggestions for this objective.")}
    return render(request, FINDINGS_PARTIAL, context)


def _coach_anchor(request, objective) -> str:
    url = reverse("okrs:objective", kwargs={"org_slug": request.organization.slug, "objective_id": objective.pk})
    return f"{url}#coach"


@require_http_methods(["GET", "POST"])
def finding_dismiss(request, org_slug, objective_id):
    """Dismiss a finding: the objective page's inline form posts here; a mistake shows the form alone."""
    membership = request.membership
    objective = access_objective(membership, objective_id)
    data = request.POST if request.method == "POST" else None
    form = DismissFindingForm(data, objective=objective, initial=request.GET.dict())
    if data is not None and form.is_valid():
        try:
            services.dismiss_coach_finding(actor=membership, objective=objective, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Dismissed. The coach will not raise this again here."))
            return redirect(_coach_anchor(request, objective))
    rule = form["rule"].value() or ""
    context = {"form": form, "objective": objective, "rule_message": _rule_message(rule)}
    return render(request, "okrs/coach/dismiss.html", context, status=422 if data is not None else 200)


def _rule_message(rule: str) -> str:
    texts = coach.RULE_TEXTS.get(rule)
    return _(texts[0]) if texts and "%(" not in texts[0] else ""


def finding_restore(request, org_slug, objective_id):
    membership = request.membership
    objective = access_objective(membership, objective_id)  # before the method: a hidden objective is a 404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DismissFindingForm(request.POST, objective=objective)
    form.fields["reason"].required = False
    if form.is_valid():
        try:
            services.restore_coach_finding(
                actor=membership,
                objective=objective,
                rule=form.cleaned_data["rule"],
                key_result=form.cleaned_data["key_result"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The coach raises this finding again."))
            return redirect(_coach_anchor(request, objective))
    context = {"form": form, "objective": objective, "rule_message": ""}
    return render(request, "okrs/coach/dismiss.html", context, status=422)
