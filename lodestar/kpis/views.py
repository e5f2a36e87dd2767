"""KPI pages: the board of all KPIs, one KPI with its history against its goal, and the forms to
create, edit and update them. Forms parse, the KPI services decide; what a person may not do is a
403 with the reason, bad input a 422 with each message next to its field."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lodestar.core.forms import add_service_errors
from lodestar.core.responses import denied
from lodestar.kpis import selectors, services
from lodestar.kpis.access import access_kpi, access_kpi_value
from lodestar.kpis.charts import kpi_chart
from lodestar.kpis.forms import KPIForm, KPIImportForm, KPIValueForm
from lodestar.kpis.permissions import can_change_kpi
from lodestar.kpis.templatetags.kpis import kpi_goal


def _today(request):
    return request.organization.today()


@require_safe
def kpi_list(request, org_slug):
    """The organization's KPIs, grouped by group (``?by=owner``: by owner), with current value,
    goal, health and a sparkline, a page at a time (``?page=``); ``?health=unhealthy`` keeps the
    unhealthy ones."""
    by = request.GET.get("by") if request.GET.get("by") in selectors.BOARD_ORDERS else "group"
    unhealthy_only = request.GET.get("health") == "unhealthy"
    board = selectors.kpi_board(
        request.membership,
        by=by,
        unhealthy_only=unhealthy_only,
        today=_today(request),
        page_number=request.GET.get("page"),
    )
    context = {"board": board, "by": by, "unhealthy_only": unhealthy_only, "can_create": request.membership.can_write}
    return render(request, "kpis/list.html", context)


@require_safe
def kpi_detail(request, org_slug, kpi_id):
    kpi = access_kpi(request.membership, kpi_id)
    return render(request, "kpis/detail.html", _detail_context(request, kpi))


def _detail_context(request, kpi, *, form=None) -> dict:
    today = _today(request)
    detail = selectors.kpi_detail(request.membership, kpi, today=today, all_values="all" in request.GET)
    can_change = can_change_kpi(request.membership, kpi, group_ids_of_kpi=[group.id for group in detail.row.groups])
    return {
        "kpi": detail.row,
        "detail": detail,
        "chart": kpi_chart(kpi, detail.periods, today, kpi_goal(kpi)),
        "can_change": can_change,
        "value_form": form or (KPIValueForm(kpi=kpi, today=today) if can_change else None),
        "today": today,
    }


@require_POST
def kpi_value_create(request, org_slug, kpi_id):
    """Record a value from the KPI page: htmx swaps the page's main part in place, a plain post
    redirects back to the page; a wrong value answers 422 with the form and its messages."""
    membership = request.membership
    kpi = access_kpi(membership, kpi_id, for_write=True)
    form = KPIValueForm(request.POST, kpi=kpi, today=_today(request))
    if form.is_valid():
        try:
            services.record_kpi_value(actor=membership, kpi=kpi, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Recorded a new value of “%(name)s”.") % {"name": kpi.name})
            if not request.htmx:
                return redirect("kpis:kpi", org_slug=org_slug, kpi_id=kpi.pk)
            kpi.refresh_from_db()
            return render(request, "kpis/partials/kpi_main.html", _detail_context(request, kpi))
    context = _detail_context(request, kpi, form=form)
    template = "kpis/partials/kpi_main.html" if request.htmx else "kpis/detail.html"
    return render(request, template, context, status=422)


@require_http_methods(["GET", "POST"])
def kpi_create(request, org_slug):
    membership = request.membership
    if not membership.can_write:
        return denied(request, _("You may not create KPIs."))
    data = request.POST if request.method == "POST" else None
    initial = {"rule": "none", "cadence": "monthly", "aggregation": "latest", "owner": membership.pk}
    form = KPIForm(data, actor=membership, initial=initial)
    if data is not None and form.is_valid():
        try:
            kpi = services.create_kpi(actor=membership, **form.kpi_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Created the KPI “%(name)s”. Record its first value.") % {"name": kpi.name})
            return redirect("kpis:kpi", org_slug=org_slug, kpi_id=kpi.pk)
    return _form_page(request, form, kpi=None)


@require_http_methods(["GET", "POST"])
def kpi_edit(request, org_slug, kpi_id):
    membership = request.membership
    kpi = access_kpi(membership, kpi_id, for_write=True)
    data = request.POST if request.method == "POST" else None
    form = KPIForm(data, actor=membership, kpi=kpi)
    if data is not None and form.is_valid():
        try:
            services.update_kpi(actor=membership, kpi=kpi, **form.kpi_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved the KPI “%(name)s”.") % {"name": form.cleaned_data["name"]})
            return redirect("kpis:kpi", org_slug=org_slug, kpi_id=kpi.pk)
    return _form_page(request, form, kpi=kpi)


def _form_page(request, form, *, kpi):
    status = 422 if request.method == "POST" else 200
    return render(request, "kpis/form.html", {"form": form, "kpi": kpi}, status=status)


@require_http_methods(["GET", "POST"])
def kpi_import(request, org_slug, kpi_id):
    """Paste a column of dated values (``date,value`` lines) to fill a KPI's history at once."""
    membership = request.membership
    kpi = access_kpi(membership, kpi_id, for_write=True)
    form = KPIImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.import_kpi_values(actor=membership, kpi=kpi, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Added %(count)s values to “%(name)s”.") % {"count": saved, "name": kpi.name})
            return redirect("kpis:kpi", org_slug=org_slug, kpi_id=kpi.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "kpis/import.html", {"form": form, "kpi": kpi}, status=status)


@require_http_methods(["GET", "POST"])
def kpi_delete(request, org_slug, kpi_id):
    """GET: what deleting the KPI takes with it; POST: delete it."""
    membership = request.membership
    kpi = access_kpi(membership, kpi_id, for_write=True)
    if request.method == "POST":
        services.delete_kpi(actor=membership, kpi=kpi)
        messages.success(request, _("Deleted the KPI “%(name)s”.") % {"name": kpi.name})
        return redirect("kpis:kpis", org_slug=org_slug)
    context = {"kpi": kpi, "value_count": kpi.values.count()}
    return render(request, "kpis/kpi_delete.html", context)


@require_http_methods(["GET", "POST"])
def kpi_value_delete(request, org_slug, kpi_value_id):
    """GET: the value to remove; POST: remove it (it stays in the history)."""
    membership = request.membership
    entry = access_kpi_value(membership, kpi_value_id, for_write=True)
    kpi_url = reverse("kpis:kpi", kwargs={"org_slug": org_slug, "kpi_id": entry.kpi_id})
    if request.method == "POST":
        services.delete_kpi_value(actor=membership, entry=entry)
        day = date_format(entry.recorded_on, "SHORT_DATE_FORMAT")
        messages.success(request, _("Removed the value of %(date)s.") % {"date": day})
        return redirect(kpi_url)
    return render(request, "kpis/value_delete.html", {"entry": entry, "kpi": entry.kpi, "kpi_url": kpi_url})
