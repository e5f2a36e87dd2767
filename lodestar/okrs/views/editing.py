"""Creating, editing and deleting objectives and key results.

The forms parse, the services (okrs.services) decide. What a person may not see is a 404; what
they may see but not change a 403 with the reason; bad input a 422 with each message next to
its field; a save a message and a redirect. Every page works without JavaScript: the alignment
search (htmx) only narrows the list the select already offers.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from lodestar.core.errors import NotFound, as_id
from lodestar.core.forms import add_service_errors
from lodestar.core.responses import denied
from lodestar.core.validation import clean_search
from lodestar.okrs import coaching, permissions, selectors, services
from lodestar.okrs.access import access_key_result, access_objective
from lodestar.okrs.forms import (
    KEEP_PARENT,
    PARENT_SEARCH_MAX,
    ConvertToMetricForm,
    KeyResultForm,
    ObjectiveForm,
    alignment_groups,
    contributors_added,
    parent_candidates,
    parent_choices,
)
from lodestar.okrs.models import CheckIn, KeyResult, Objective
from lodestar.okrs.page_timeframe import chosen_timeframe
from lodestar.orgs.models import Group
from lodestar.orgs.permissions import group_ids
from lodestar.orgs.pickers import NAMES_SHOWN, people_names

# --- objectives ----------------------------------------------------------------------------------


def _creation_defaults(request) -> dict:
    """What a new objective starts with: ``?level=``, ``?group=``, ``?parent=`` and ``?timeframe=``
    from the link that led here (ids of other organizations or invisible objectives are a 404),
    else the current timeframe, the acting person as lead, and a draft."""
    membership, query = request.membership, request.GET
    parent = access_objective(membership, query["parent"]) if query.get("parent") else None
    group = None
    if query.get("group"):
        group = Group.objects.filter(organization_id=membership.organization_id, pk=as_id(query["group"])).first()
        if group is None:
            raise NotFound
    if query.get("timeframe"):
        timeframe = chosen_timeframe(request)
    else:
        today = request.organization.today()
        timeframe = selectors.current_timeframe(membership.organization_id, today)
        if parent is not None and (
            timeframe is None
            or parent.timeframe.starts_on > timeframe.ends_on
            or timeframe.starts_on > parent.timeframe.ends_on
        ):
            timeframe = parent.timeframe
    member_of, _leads = group_ids(membership)
    level = query.get("level")
    if level not in Objective.Level.values:
        level = Objective.Level.GROUP if group is not None or member_of else Objective.Level.PERSONAL
    groups = [group.pk] if group is not None else (list(member_of) if len(member_of) == 1 else [])
    return {
        "timeframe": timeframe,
        "level": level,
        "groups": groups,
        "lead": membership.pk,
        "parent": parent.pk if parent is not None else None,
        "state": Objective.State.DRAFT,
        "visibility": Objective.Visibility.PUBLIC,
        "commitment": Objective.Commitment.COMMITTED,
        "progress_driver": Objective.ProgressDriver.KEY_RESULTS,
    }


def _objective_form_page(request, form: ObjectiveForm, *, status: int):
    objective = form.objective
    if objective is not None:
        cancel_url = _objective_url(request, objective.pk)
    elif form.initial.get("parent"):
        cancel_url = _objective_url(request, form.initial["parent"])
    else:
        cancel_url = None
    typed = form.data if form.is_bound else form.initial
    context = {
        "form": form,
        "objective": objective,
        "cancel_url": cancel_url,
        "coach_findings": coaching.typed_objective_findings(request.organization, typed, objective),
    }
    return render(request, "okrs/editing/objective_form.html", context, status=status)


def _objective_url(request, objective_id: int) -> str:
    return reverse("okrs:objective", kwargs={"org_slug": request.organization.slug, "objective_id": objective_id})


def _with_contributors(told: str, form, *, before) -> str:
    """The save message, then who became a contributor, who of the whole groups already was, and
    the groups' read-only people left out: "… Added 3 contributors: A, B, C. Already contributing: D." """
    added, already, left_out = contributors_added(form, before)
    if added:
        told += " " + ngettext(
            "Added %(count)d contributor: %(names)s.", "Added %(count)d contributors: %(names)s.", len(added)
        ) % {"count": len(added), "names": people_names(added, most=NAMES_SHOWN)}
    if already:
        told += " " + _("Already contributing: %(names)s.") % {"names": people_names(already, most=NAMES_SHOWN)}
    if left_out:
        told += " " + _("Left out, read-only: %(names)s.") % {"names": people_names(left_out, most=NAMES_SHOWN)}
    return told


@require_http_methods(["GET", "POST"])
def objective_create(request, org_slug):
    """A new objective at any level; the link that led here may prefill level, group, parent, timeframe."""
    membership = request.membership
    if not membership.can_write:
        return denied(request, _("Your role is read-only: you cannot create objectives."))
    data = request.POST if request.method == "POST" else None
    form = ObjectiveForm(data, actor=membership, initial=_creation_defaults(request))
    if data is not None and form.is_valid():
        try:
            objective = services.create_objective(actor=membership, **form.objective_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            told = _("Created the objective “%(title)s”.") % {"title": objective.title}
            messages.success(request, _with_contributors(told, form, before=set()))
            return redirect("okrs:objective", org_slug=org_slug, objective_id=objective.pk)
    return _objective_form_page(request, form, status=422 if data is not None else 200)


@require_http_methods(["GET", "POST"])
def objective_edit(request, org_slug, objective_id):
    membership = request.membership
    objective = access_objective(membership, objective_id, for_write=True)
    data = request.POST if request.method == "POST" else None
    form = ObjectiveForm(data, actor=membership, objective=objective)
    if data is not None and form.is_valid():
        changes = form.changes()
        try:
            if changes:
                objective = services.update_objective(actor=membership, objective=objective, **changes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            told = _("Saved the objective “%(title)s”.") % {"title": objective.title}
            messages.success(request, _with_contributors(told, form, before=form.contributor_ids))
            return redirect("okrs:objective", org_slug=org_slug, objective_id=objective.pk)
    return _objective_form_page(request, form, status=422 if data is not None else 200)


@require_http_methods(["GET", "POST"])
def objective_delete(request, org_slug, objective_id):
    """GET: what deleting takes with it; POST: delete. Check-ins and versions stay in the history."""
    membership = request.membership
    objective = access_objective(membership, objective_id, for_write=True)
    if request.method == "POST":
        services.delete_objective(actor=membership, objective=objective)
        messages.success(request, _("Deleted the objective “%(title)s”.") % {"title": objective.title})
        return redirect("okrs:home", org_slug=org_slug)
    counts = KeyResult.objects.filter(organization_id=membership.organization_id, objective=objective).aggregate(
        key_results=Count("pk", distinct=True), check_ins=Count("check_ins")
    )
    context = {
        "objective": objective,
        "key_result_count": counts["key_results"],
        "check_in_count": counts["check_ins"],
        # Only the ones the person may see: a private objective is not even counted for others.
        "aligned_count": selectors.visible_objectives(membership).filter(parent=objective).count(),
    }
    return render(request, "okrs/editing/objective_delete.html", context)


def _optional_id(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdecimal() and 0 < int(text) < 2**63 else None


@require_safe
def parent_options(request, org_slug):
    """The alignment picker's search: ``<option>``s of objectives the person may see and align to,
    for htmx to put into the form's select. Query: q, timeframe, level, parent (kept), exclude."""
    membership, query = request.membership, request.GET
    if query.get("timeframe"):
        timeframe = chosen_timeframe(request)
    else:
        timeframe = selectors.current_timeframe(membership.organization_id, request.organization.today())
    levels = (
        (Objective.Level.COMPANY,)
        if query.get("level") == Objective.Level.COMPANY
        else (Objective.Level.COMPANY, Objective.Level.GROUP)
    )
    selected = _optional_id(query.get("parent"))
    search = clean_search(query.get("q", ""))
    candidates = parent_candidates(
        membership,
        timeframe=timeframe,
        of_groups=() if search else sorted(alignment_groups(membership)),
        levels=levels,
        search=search,
        keep=[selected] if selected else (),
        exclude=_optional_id(query.get("exclude")),
        limit=PARENT_SEARCH_MAX,
    )
    context = {
        "choices": parent_choices(candidates, timeframe),
        "selected": selected,
        "keep": query.get("parent") == KEEP_PARENT,
        "keep_value": KEEP_PARENT,
        "search": search,
        "found": any(candidate.pk != selected for candidate in candidates),
    }
    return render(request, "okrs/editing/parent_options.html", context)


# --- key results ---------------------------------------------------------------------------------


def _key_result_form_page(request, form, *, objective, key_result=None, status: int):
    typed = form.data if form.is_bound else form.initial
    context = {
        "form": form,
        "objective": objective,
        "key_result": key_result,
        "coach_findings": coaching.typed_key_result_findings(request.organization, objective, typed),
    }
    return render(request, "okrs/editing/key_result_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def key_result_create(request, org_slug, objective_id):
    membership = request.membership
    objective = access_objective(membership, objective_id, for_write=True)
    data = request.POST if request.method == "POST" else None
    initial = {"kind": KeyResult.Kind.METRIC, "owner": membership.pk, "weight": "1"}
    form = KeyResultForm(data, actor=membership, initial=initial)
    if data is not None and form.is_valid():
        try:
            key_result = services.create_key_result(actor=membership, objective=objective, **form.key_result_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            told = _("Added the key result “%(title)s”.") % {"title": key_result.title}
            messages.success(request, _with_contributors(told, form, before=set()))
            if "add_another" in data:
                return redirect("okrs:key_result_create", org_slug=org_slug, objective_id=objective.pk)
            return redirect("okrs:objective", org_slug=org_slug, objective_id=objective.pk)
    status = 422 if data is not None else 200
    return _key_result_form_page(request, form, objective=objective, status=status)


@require_http_methods(["GET", "POST"])
def key_result_edit(request, org_slug, key_result_id):
    membership = request.membership
    key_result = access_key_result(membership, key_result_id, for_write=True)
    objective = key_result.objective
    data = request.POST if request.method == "POST" else None
    form = KeyResultForm(data, actor=membership, key_result=key_result)
    if data is not None and form.is_valid():
        try:
            key_result = services.update_key_result(actor=membership, key_result=key_result, **form.key_result_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            told = _("Saved the key result “%(title)s”.") % {"title": key_result.title}
            messages.success(request, _with_contributors(told, form, before=form.contributor_ids))
            return redirect("okrs:objective", org_slug=org_slug, objective_id=objective.pk)
    status = 422 if data is not None else 200
    return _key_result_form_page(request, form, objective=objective, key_result=key_result, status=status)


@require_http_methods(["GET", "POST"])
def key_result_delete(request, org_slug, key_result_id):
    """GET: what deleting takes with it; POST: delete and go back to the objective."""
    membership = request.membership
    key_result = access_key_result(membership, key_result_id)
    # Deleting, unlike editing, is for whoever may edit the objective, not the key result's owner alone.
    if not permissions.can_edit_objective(membership, key_result.objective):
        return denied(request, _("You may not delete this key result."))
    if request.method == "POST":
        services.delete_key_result(actor=membership, key_result=key_result)
        messages.success(request, _("Deleted the key result “%(title)s”.") % {"title": key_result.title})
        return redirect("okrs:objective", org_slug=org_slug, objective_id=key_result.objective_id)
    check_in_count = CheckIn.objects.filter(organization_id=membership.organization_id, key_result=key_result).count()
    context = {"key_result": key_result, "objective": key_result.objective, "check_in_count": check_in_count}
    return render(request, "okrs/editing/key_result_delete.html", context)


@require_http_methods(["GET", "POST"])
def key_result_convert(request, org_slug, key_result_id):
    """Measure an estimate: with a baseline and a target it becomes a metric, its estimates kept in its history."""
    membership = request.membership
    key_result = access_key_result(membership, key_result_id, for_write=True)
    if key_result.kind != KeyResult.Kind.ESTIMATE:
        messages.info(request, _("“%(title)s” is measured already.") % {"title": key_result.title})
        return redirect("okrs:key_result", org_slug=org_slug, key_result_id=key_result.pk)
    data = request.POST if request.method == "POST" else None
    form = ConvertToMetricForm(data, initial={"unit": key_result.unit})
    if data is not None and form.is_valid():
        try:
            services.convert_estimate_to_metric(actor=membership, key_result=key_result, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is a metric now.") % {"title": key_result.title})
            return redirect("okrs:key_result", org_slug=org_slug, key_result_id=key_result.pk)
    context = {"form": form, "key_result": key_result, "objective": key_result.objective}
    return render(request, "okrs/editing/key_result_convert.html", context, status=422 if data is not None else 200)
