"""The rollout plan: start it from the proposed plan, edit its phases and milestones, tick them done."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lodestar.core.forms import add_service_errors
from lodestar.rollout import plan, selectors, services
from lodestar.rollout.access import access_step
from lodestar.rollout.forms import StartRolloutForm, StepForm
from lodestar.rollout.models import Rollout
from lodestar.rollout.views.common import carry_out, runs_rollout_only


@require_safe
def plan_page(request, org_slug):
    """Everyone sees the plan; those who run the rollout start and edit it."""
    membership = request.membership
    today = request.organization.today()
    rollout = Rollout.objects.filter(organization_id=membership.organization_id).first()
    context = {
        "rollout": rollout,
        "steps": selectors.plan_steps(membership, today) if rollout else [],
        "start_form": StartRolloutForm(initial={"starts_on": today}),
        "proposed": plan.proposed_steps(today),
        "today": today,
    }
    return render(request, "rollout/plan.html", context)


@require_POST
def start(request, org_slug):
    membership = request.membership
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    form = StartRolloutForm(request.POST)
    if form.is_valid():
        try:
            services.start_rollout(actor=membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The rollout has started. Adjust the steps to your company."))
            return redirect("rollout:plan", org_slug=org_slug)
    today = request.organization.today()
    starts_on = form.cleaned_data.get("starts_on", today) if form.is_valid() else today
    context = {
        "rollout": None,
        "steps": [],
        "start_form": form,
        "proposed": plan.proposed_steps(starts_on),
        "today": today,
    }
    return render(request, "rollout/plan.html", context, status=422)


def _step_form_page(request, form, *, title: str, submit: str, step=None):
    status = 422 if request.method == "POST" else 200
    return render(
        request, "rollout/step_form.html", {"form": form, "title": title, "submit": submit, "step": step}, status=status
    )


@require_http_methods(["GET", "POST"])
def step_create(request, org_slug):
    membership = request.membership
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    form = StepForm(request.POST or None, organization=request.organization, initial={"kind": "milestone"})
    if request.method == "POST" and form.is_valid():
        try:
            services.create_step(actor=membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Added “%(title)s” to the plan.") % {"title": form.cleaned_data["title"]})
            return redirect("rollout:plan", org_slug=org_slug)
    return _step_form_page(request, form, title=_("New step of the plan"), submit=_("Add step"))


@require_http_methods(["GET", "POST"])
def step_edit(request, org_slug, step_id):
    membership = request.membership
    step = access_step(membership, step_id)
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    initial = {
        "kind": step.kind,
        "title": step.title,
        "due_on": step.due_on,
        "owner": step.owner_id,
        "description": step.description,
    }
    form = StepForm(request.POST or None, organization=request.organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_step(actor=membership, step=step, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved “%(title)s”.") % {"title": step.title})
            return redirect("rollout:plan", org_slug=org_slug)
    return _step_form_page(
        request, form, title=_("Edit “%(title)s”") % {"title": initial["title"]}, submit=_("Save"), step=step
    )


@require_POST
def step_done(request, org_slug, step_id):
    """``done=1`` ticks the step done today, ``done=0`` unticks it (anything else is a bad request)."""
    step = access_step(request.membership, step_id)
    if request.POST.get("done") not in ("0", "1"):
        return HttpResponseBadRequest(_("The button says done=1 or done=0."))
    done = request.POST["done"] == "1"
    action = partial(services.set_step_done, actor=request.membership, step=step, done=done)
    message = _("“%(title)s” is done.") if done else _("“%(title)s” is open again.")
    return carry_out(request, action, message % {"title": step.title}, back=redirect("rollout:plan", org_slug=org_slug))


@require_POST
def step_delete(request, org_slug, step_id):
    step = access_step(request.membership, step_id)
    action = partial(services.delete_step, actor=request.membership, step=step)
    message = _("Removed “%(title)s” from the plan.") % {"title": step.title}
    return carry_out(request, action, message, back=redirect("rollout:plan", org_slug=org_slug))
