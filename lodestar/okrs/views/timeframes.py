"""Timeframes (cycles) for admins: list, create, edit, mark current, move through planning → active →
closing → closed, and activate a starting timeframe's drafts. Others get 403, other organizations 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lodestar.core.errors import NotFound
from lodestar.core.forms import add_service_errors
from lodestar.core.responses import denied
from lodestar.okrs import closing, selectors, services
from lodestar.okrs.access import access_timeframe
from lodestar.okrs.forms import ActivateDraftsForm, BulkCarryOverForm, TimeframeForm, add_months, default_end
from lodestar.okrs.models import Objective, Timeframe
from lodestar.orgs.access import access_group


def _denied(request):
    return denied(request, _("Only admins can manage timeframes."))


@require_safe
def timeframe_list(request, org_slug):
    """Every timeframe with its dates, kind and state, and which one pages open on."""
    membership = request.membership
    if not membership.is_admin:
        return _denied(request)
    today = request.organization.today()
    timeframes = list(Timeframe.objects.filter(organization_id=membership.organization_id).order_by("-starts_on", "pk"))
    for timeframe in timeframes:
        timeframe.next_states = closing.next_state_actions(timeframe.state)
    current = selectors.current_timeframe(membership.organization_id, today)
    context = {
        "timeframes": timeframes,
        "current": current,
        "current_by_date": current is not None and not current.is_current,
        "today": today,
    }
    return render(request, "okrs/timeframes/list.html", context)


def _quarter_name(starts_on, fiscal_start_month: int) -> str:
    number = (starts_on.month - fiscal_start_month) % 12 // 3 + 1
    if fiscal_start_month == 1:
        year = str(starts_on.year)
    else:  # a fiscal year spans two calendar years: "2026/27"
        first = starts_on.year if starts_on.month >= fiscal_start_month else starts_on.year - 1
        year = f"{first}/{(first + 1) % 100:02d}"
    return _("Q%(number)d %(year)s") % {"number": number, "year": year}


def _suggestion(organization, today) -> dict:
    """The fiscal quarter that holds today or, when a timeframe has it already, the next free one."""
    fiscal_start = organization.fiscal_year_start_month
    taken = Timeframe.objects.filter(organization_id=organization.pk).values_list("starts_on", "name")
    starts, names = {start for start, _name in taken}, {name.lower() for _start, name in taken}
    start = add_months(today.replace(day=1), -((today.month - fiscal_start) % 3))
    for _attempt in range(8):
        name = _quarter_name(start, fiscal_start)
        if start not in starts and name.lower() not in names:
            break
        start = add_months(start, 3)
    return {
        "name": name,
        "kind": Timeframe.Kind.QUARTER,
        "starts_on": start,
        "ends_on": default_end(Timeframe.Kind.QUARTER, start),
        "state": Timeframe.State.PLANNING,
    }


@require_http_methods(["GET", "POST"])
def timeframe_create(request, org_slug):
    membership = request.membership
    if not membership.is_admin:
        return _denied(request)
    if request.method == "POST":
        form = TimeframeForm(request.POST)
    else:
        form = TimeframeForm(initial=_suggestion(request.organization, request.organization.today()))
    if request.method == "POST" and form.is_valid():
        try:
            timeframe = services.create_timeframe(actor=membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Created the timeframe “%(name)s”.") % {"name": timeframe.name})
            return redirect("okrs:timeframes", org_slug=org_slug)
    status = 422 if request.method == "POST" else 200
    return render(request, "okrs/timeframes/form.html", {"form": form, "edited": None}, status=status)


@require_http_methods(["GET", "POST"])
def timeframe_edit(request, org_slug, timeframe_id):
    membership = request.membership
    timeframe = access_timeframe(membership, timeframe_id)
    if not membership.is_admin:
        return _denied(request)
    form = TimeframeForm(request.POST if request.method == "POST" else None, timeframe=timeframe)
    if request.method == "POST" and form.is_valid():
        try:
            timeframe = services.update_timeframe(actor=membership, timeframe=timeframe, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved the timeframe “%(name)s”.") % {"name": timeframe.name})
            return redirect("okrs:timeframes", org_slug=org_slug)
    status = 422 if request.method == "POST" else 200
    return render(request, "okrs/timeframes/form.html", {"form": form, "edited": timeframe}, status=status)


@require_POST
def timeframe_make_current(request, org_slug, timeframe_id):
    """Pages open on this timeframe from now on (for everyone who has not chosen another)."""
    membership = request.membership
    timeframe = access_timeframe(membership, timeframe_id)
    services.mark_current_timeframe(actor=membership, timeframe=timeframe)
    messages.success(request, _("“%(name)s” is now the current timeframe.") % {"name": timeframe.name})
    return redirect("okrs:timeframes", org_slug=org_slug)


STATE_CHANGED = {
    Timeframe.State.PLANNING: gettext_lazy("“%(name)s” is back in planning."),
    Timeframe.State.ACTIVE: gettext_lazy("“%(name)s” is active: its objectives count in roll-ups and reports."),
    Timeframe.State.CLOSING: gettext_lazy("“%(name)s” is closing: time to score its objectives and look back."),
    Timeframe.State.CLOSED: gettext_lazy("“%(name)s” is closed: only admins can change it now."),
}


@require_POST
def timeframe_state(request, org_slug, timeframe_id):
    """Move a timeframe to its next stage (or reopen it). Starting one with drafts leads on to
    activating them."""
    membership = request.membership
    timeframe = access_timeframe(membership, timeframe_id)
    try:
        timeframe = services.change_timeframe_state(
            actor=membership, timeframe=timeframe, state=request.POST.get("state", "")
        )
    except ValidationError as error:
        context = {"timeframe": timeframe, "errors": error.messages}
        return render(request, "okrs/timeframes/state_refused.html", context, status=422)
    messages.success(request, STATE_CHANGED[timeframe.state] % {"name": timeframe.name})
    if timeframe.state == Timeframe.State.ACTIVE and selectors.drafts_of(timeframe).exists():
        return redirect("okrs:timeframe_activate", org_slug=org_slug, timeframe_id=timeframe.pk)
    return redirect("okrs:timeframes", org_slug=org_slug)


@require_http_methods(["GET", "POST"])
def timeframe_activate(request, org_slug, timeframe_id):
    """The drafts of a timeframe, to activate together: from then on they count in roll-ups and reports."""
    membership = request.membership
    timeframe = access_timeframe(membership, timeframe_id)
    if not membership.is_admin:
        return _denied(request)
    drafts = list(selectors.drafts_of(timeframe).select_related("lead").order_by("level", "title", "pk"))
    form = ActivateDraftsForm(request.POST if request.method == "POST" else None, drafts=drafts)
    if request.method == "POST" and form.is_valid():
        try:
            published = services.publish_drafts(actor=membership, objectives=form.cleaned_data["objectives"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = len(published)
            messages.success(
                request,
                ngettext("Activated %(count)d objective.", "Activated %(count)d objectives.", count) % {"count": count},
            )
            return redirect("okrs:timeframes", org_slug=org_slug)
    context = {"form": form, "timeframe": timeframe, "drafts": drafts}
    return render(request, "okrs/timeframes/activate.html", context, status=422 if request.method == "POST" else 200)


@require_safe
def timeframe_closing(request, org_slug, timeframe_id):
    """The closing tracker: how many objectives are closed, and which are not yet, by group and lead."""
    membership = request.membership
    timeframe = access_timeframe(membership, timeframe_id)
    if not membership.is_admin:
        return _denied(request)
    context = {"timeframe": timeframe, "tracker": selectors.closing_tracker(timeframe, page=request.GET.get("page"))}
    return render(request, "okrs/timeframes/closing.html", context)


@require_safe
def timeframe_closing_holder(request, org_slug, timeframe_id, group_id=None, level=""):
    """Every objective a group (or, of those without a group, a level) still has to close, a page at a
    time, from the closing tracker's "All" link."""
    membership = request.membership
    timeframe = access_timeframe(membership, timeframe_id)
    if not membership.is_admin:
        return _denied(request)
    if group_id is not None:
        group = access_group(membership, group_id)
        name = group.name
    elif level in selectors.LEVEL_HOLDERS:
        group, name = None, Objective.Level(level).label
    else:
        raise NotFound
    page = selectors.holder_objectives(timeframe, group=group, level=level, page=request.GET.get("page"))
    context = {"timeframe": timeframe, "holder": name, "group": group, "objectives": page}
    return render(request, "okrs/timeframes/closing_holder.html", context)


@require_http_methods(["GET", "POST"])
def timeframe_carry_over(request, org_slug, timeframe_id):
    """A timeframe's unfinished objectives, to carry into a later one together (as drafts there)."""
    membership = request.membership
    timeframe = access_timeframe(membership, timeframe_id)
    if not membership.is_admin:
        return _denied(request)
    candidates = selectors.carry_over_candidates(timeframe)
    timeframes = selectors.later_open_timeframes(timeframe)
    data = request.POST if request.method == "POST" else None
    form = BulkCarryOverForm(data, candidates=candidates, timeframes=timeframes)
    if data is not None and form.is_valid():
        try:
            carried = services.carry_over_objectives(
                actor=membership, objectives=form.cleaned_data["objectives"], timeframe=form.cleaned_data["into"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            into = form.cleaned_data["into"]
            text = ngettext(
                "Carried %(count)d objective into “%(name)s” as a draft.",
                "Carried %(count)d objectives into “%(name)s” as drafts.",
                len(carried),
            )
            messages.success(request, text % {"count": len(carried), "name": into.name})
            return redirect("okrs:timeframe_activate", org_slug=org_slug, timeframe_id=into.pk)
    context = {"form": form, "timeframe": timeframe, "candidates": candidates, "has_later": timeframes.exists()}
    return render(request, "okrs/timeframes/carry_over.html", context, status=422 if data is not None else 200)
