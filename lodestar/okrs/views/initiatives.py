"""Initiatives: the work expected to move key results — created under an objective, edited, their
status changed in one step from the lists (htmx, or a plain post), deleted. They never change
progress."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lodestar.core.forms import add_service_errors
from lodestar.core.responses import denied
from lodestar.okrs import selectors, services
from lodestar.okrs.access import INITIATIVE_REFUSED, access_initiative, access_objective
from lodestar.okrs.forms import InitiativeForm
from lodestar.okrs.models import Initiative


def _back(request, fallback: str) -> str:
    """``?next=``/``next`` when it is a path of this site, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _objective_url(org_slug: str, objective_id: int) -> str:
    return reverse("okrs:objective", kwargs={"org_slug": org_slug, "objective_id": objective_id})


def _page_of(org_slug: str, key_results) -> str:
    """Where an initiative is listed: the objective of its first key result (My goals without one)."""
    if key_results:
        return _objective_url(org_slug, key_results[0].objective_id)
    return reverse("okrs:home", kwargs={"org_slug": org_slug})


@require_http_methods(["GET", "POST"])
def initiative_create(request, org_slug, objective_id):
    """A new initiative under an objective, for the key result of ``?key_result=`` or any of its others."""
    membership = request.membership
    objective = access_objective(membership, objective_id)
    if not membership.can_write:
        return denied(request, INITIATIVE_REFUSED)
    chosen = request.GET.get("key_result", "")
    initial = {"state": Initiative.State.NOT_STARTED, "owner": membership.pk, "key_results": [chosen] if chosen else []}
    form = InitiativeForm(request.POST or None, actor=membership, objective_ids=[objective.pk], initial=initial)
    back = _back(request, _objective_url(org_slug, objective.pk))
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.create_initiative(actor=membership, **form.initiative_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Added the initiative “%(title)s”.") % {"title": initiative.title})
            return redirect(back)
    return _form_page(request, form, objective=objective, back=back)


def _form_page(request, form, *, objective, back, initiative=None):
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "objective": objective, "initiative": initiative, "back": back}
    return render(request, "okrs/initiatives/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def initiative_edit(request, org_slug, initiative_id):
    membership = request.membership
    initiative, key_results = access_initiative(membership, initiative_id, for_write=True)
    objective = key_results[0].objective if key_results else None
    back = _back(request, _page_of(org_slug, key_results))
    objective_ids = {key_result.objective_id for key_result in key_results}
    form = InitiativeForm(request.POST or None, actor=membership, objective_ids=objective_ids, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_initiative(actor=membership, initiative=initiative, **form.initiative_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved the initiative “%(title)s”.") % {"title": form.cleaned_data["title"]})
            return redirect(back)
    return _form_page(request, form, objective=objective, back=back, initiative=initiative)


@require_POST
def initiative_state(request, org_slug, initiative_id):
    """Set an initiative's status from a list: htmx swaps its row, a plain post returns to ``next``."""
    membership = request.membership
    initiative, key_results = access_initiative(membership, initiative_id, for_write=True)
    try:
        services.update_initiative(actor=membership, initiative=initiative, state=request.POST.get("state", ""))
    except ValidationError as error:
        return render(
            request,
            "okrs/initiatives/state_refused.html",
            {"initiative": initiative, "errors": error.messages, "back": _back(request, "")},
            status=422,
        )
    if request.htmx:
        row = selectors.initiative_row(membership, initiative.pk, today=request.organization.today())
        return render(request, "okrs/partials/initiative_row.html", {"initiative": row, "editable_ids": {row.id}})
    return redirect(_back(request, _page_of(org_slug, key_results)))


@require_http_methods(["GET", "POST"])
def initiative_delete(request, org_slug, initiative_id):
    """GET: the initiative to delete; POST: delete it (the key results keep their progress)."""
    membership = request.membership
    initiative, key_results = access_initiative(membership, initiative_id, for_write=True)
    back = _page_of(org_slug, key_results)
    if request.method == "POST":
        services.delete_initiative(actor=membership, initiative=initiative)
        messages.success(request, _("Deleted the initiative “%(title)s”.") % {"title": initiative.title})
        return redirect(back)
    return render(request, "okrs/initiatives/delete.html", {"initiative": initiative, "back": back})
