"""The end of a cycle: closing an objective (score, outcome, reflection and carry-over, on one form)
and a group's retrospective."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lodestar.core.forms import add_service_errors
from lodestar.core.responses import denied
from lodestar.okrs import closing, permissions, selectors, services
from lodestar.okrs.access import access_objective
from lodestar.okrs.forms import CloseObjectiveForm
from lodestar.okrs.models import Objective
from lodestar.okrs.page_timeframe import selected_timeframe
from lodestar.orgs.access import access_group


@require_http_methods(["GET", "POST"])
def objective_close(request, org_slug, objective_id):
    membership = request.membership
    objective = access_objective(membership, objective_id)
    if not permissions.can_edit_objective(membership, objective):
        return denied(request, _("You may not close this objective."))
    if objective.state != Objective.State.ACTIVE:
        return denied(request, _("Only an active objective can be closed."))
    score = closing.suggested_score(objective.progress)
    form = CloseObjectiveForm(
        request.POST if request.method == "POST" else None,
        objective=objective,
        questions=closing.reflection_questions(request.organization),
        timeframes=selectors.later_open_timeframes(objective.timeframe),
        suggestion={"score": score, "outcome": closing.suggested_outcome(score, objective.commitment)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.close_objective(
                actor=membership,
                objective=objective,
                score=form.cleaned_data["score"],
                outcome=form.cleaned_data["outcome"],
                reflection=form.reflection(),
                carry_into=form.cleaned_data["carry_into"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Closed “%(title)s”.") % {"title": objective.title})
            return redirect("okrs:objective", org_slug=org_slug, objective_id=objective.pk)
    context = {
        "form": form,
        "objective": objective,
        "suggested": score,
        "meaning": closing.score_meaning(score, objective.commitment),
        "expected": closing.EXPECTED_SCORE[objective.commitment],
    }
    return render(request, "okrs/closing/close.html", context, status=422 if request.method == "POST" else 200)


@require_safe
def group_retrospective(request, org_slug, group_id):
    """A group's objectives of a timeframe side by side: progress, score, outcome and reflection."""
    membership = request.membership
    group = access_group(membership, group_id)
    view = selected_timeframe(request)
    objectives = []
    if view.timeframe:
        objectives = selectors.retrospective_objectives(membership, view.timeframe, group)
    context = {**view.context(), "timeframe_scoped": True, "group": group, "objectives": objectives}
    return render(request, "okrs/closing/retrospective.html", context)
