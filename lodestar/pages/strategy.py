"""The strategy pages: where the company is heading and which company objectives serve each pillar,
the admins' forms for vision, mission and pillars, and the presentation for a kick-off. They live
above the goals (every one of them shows company objectives); the strategy app keeps the data and
its services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lodestar.core.forms import add_service_errors
from lodestar.core.responses import denied
from lodestar.okrs.page_timeframe import selected_timeframe
from lodestar.pages.selectors import pillar_objective_count, presentation, strategy_page
from lodestar.strategy import services
from lodestar.strategy.access import access_pillar
from lodestar.strategy.forms import PillarForm, StrategyForm

ADMINS_ONLY = gettext_lazy("Only admins can edit the strategy.")  # lazy: in the language of each request


@require_safe
def strategy(request, org_slug):
    """Vision, mission and the pillars of ``?year=`` (default: this year) with their company objectives."""
    return _strategy_page(request, _year(request))


def _strategy_page(request, year: int, *, errors=(), status=200):
    vision_and_mission, pillars = strategy_page(request.membership, year)
    context = {
        "strategy": vision_and_mission,
        "pillars": pillars,
        "year": year,
        "years": (year - 1, year + 1),
        "errors": errors,
    }
    return render(request, "strategy/strategy.html", context, status=status)


def _year(request) -> int:
    """``?year=`` (clamped to what pillars allow), else this year in the organization."""
    this_year = request.organization.today().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    return min(max(year, 1900), 2200)


def _year_url(org_slug: str, year: int) -> str:
    return f"{reverse('strategy:strategy', kwargs={'org_slug': org_slug})}?year={year}"


@require_http_methods(["GET", "POST"])
def strategy_edit(request, org_slug):
    """Admins write the vision and the mission."""
    membership = request.membership
    if not membership.is_admin:
        return denied(request, ADMINS_ONLY)
    current, _pillars = strategy_page(membership, _year(request))
    initial = {"vision": current.vision, "mission": current.mission} if current else {}
    form = StrategyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_strategy(actor=membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved the vision and the mission."))
            return redirect("strategy:strategy", org_slug=org_slug)
    return _form_page(request, form, title=_("Vision and mission"), submit=_("Save"))


def _form_page(request, form, *, title: str, submit: str, back: str = ""):
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "title": title, "submit": submit, "back": back}
    return render(request, "strategy/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def pillar_create(request, org_slug):
    """Admins add a strategic pillar to a year (``?year=``, default this year)."""
    membership = request.membership
    if not membership.is_admin:
        return denied(request, ADMINS_ONLY)
    year = _year(request)
    form = PillarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pillar = services.create_pillar(actor=membership, year=year, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Added the pillar “%(name)s”.") % {"name": pillar.name})
            return redirect(_year_url(org_slug, year))
    title = _("New pillar for %(year)s") % {"year": year}
    return _form_page(request, form, title=title, submit=_("Add pillar"), back=_year_url(org_slug, year))


@require_http_methods(["GET", "POST"])
def pillar_edit(request, org_slug, pillar_id):
    """Admins rename a pillar or rewrite its description."""
    pillar = access_pillar(request.membership, pillar_id, for_write=True)
    initial = {"name": pillar.name, "description": pillar.description}
    form = PillarForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pillar(actor=request.membership, pillar=pillar, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved the pillar “%(name)s”.") % {"name": pillar.name})
            return redirect(_year_url(org_slug, pillar.year))
    title = _("Edit the pillar “%(name)s”") % {"name": initial["name"]}
    return _form_page(request, form, title=title, submit=_("Save"), back=_year_url(org_slug, pillar.year))


@require_POST
def pillar_move(request, org_slug, pillar_id):
    """Admins move a pillar one place up or down (``direction``) in its year."""
    pillar = access_pillar(request.membership, pillar_id, for_write=True)
    try:
        services.move_pillar(actor=request.membership, pillar=pillar, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        return _strategy_page(request, pillar.year, errors=error.messages, status=422)
    return redirect(f"{_year_url(org_slug, pillar.year)}#pillar-{pillar.pk}")


@require_http_methods(["GET", "POST"])
def pillar_delete(request, org_slug, pillar_id):
    """GET: what removing the pillar means; POST: remove it (its objectives stay, without a pillar)."""
    pillar = access_pillar(request.membership, pillar_id, for_write=True)
    if request.method == "POST":
        services.delete_pillar(actor=request.membership, pillar=pillar)
        messages.success(request, _("Removed the pillar “%(name)s”.") % {"name": pillar.name})
        return redirect(_year_url(org_slug, pillar.year))
    context = {
        "pillar": pillar,
        "objective_count": pillar_objective_count(request.membership, pillar),
        "back": _year_url(org_slug, pillar.year),
    }
    return render(request, "strategy/pillar_delete.html", context)


@require_safe
def present(request, org_slug):
    """Presentation mode for a company kick-off: vision, mission, pillars, then one slide per company
    objective of ``?timeframe=`` (default: the current one) with its key results and aligned team
    objectives. Full screen and keyboard-driven with JavaScript; printable to PDF; without
    JavaScript the slides stand one below the other."""
    view = selected_timeframe(request)
    deck = presentation(request.membership, view.timeframe) if view.timeframe else None
    exit_url = reverse("okrs:company", kwargs={"org_slug": org_slug}) + view.context()["timeframe_query"]
    return render(request, "strategy/present.html", {**view.context(), "deck": deck, "exit_url": exit_url})
