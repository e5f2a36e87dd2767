"""The strategy page: where the company is heading, and which company objectives serve each pillar."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lodestar.core.errors import NotAllowed
from lodestar.core.forms import add_service_errors
from lodestar.core.views import denied
from lodestar.okrs.services import organization_today
from lodestar.strategy import services
from lodestar.strategy.forms import PillarForm, StrategyForm
from lodestar.strategy.selectors import strategy_page


@require_safe
def strategy(request, org_slug):
    """Vision, mission and the pillars of ``?year=`` (default: this year) with their company objectives."""
    year = _year(request)
    vision_and_mission, pillars = strategy_page(request.membership, year)
    return render(
        request,
        "strategy/strategy.html",
        {"strategy": vision_and_mission, "pillars": pillars, "year": year, "years": (year - 1, year + 1)},
    )


def _year(request) -> int:
    """``?year=`` (clamped to what pillars allow), else this year in the organization."""
    this_year = organization_today(request.organization).year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    return min(max(year, 1900), 2200)


@require_http_methods(["GET", "POST"])
def strategy_edit(request, org_slug):
    """Admins write the vision and the mission."""
    membership = request.membership
    if not membership.is_admin:
        return denied(request, _("Only admins can edit the strategy."))
    current, _pillars = strategy_page(membership, _year(request))
    initial = {"vision": current.vision, "mission": current.mission} if current else {}
    form = StrategyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_strategy(actor=membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except NotAllowed as error:
            return denied(request, str(error))
        else:
            messages.success(request, _("Saved the vision and the mission."))
            return redirect("strategy:strategy", org_slug=org_slug)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "title": _("Vision and mission"), "submit": _("Save")}
    return render(request, "strategy/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def pillar_create(request, org_slug):
    """Admins add a strategic pillar to a year (``?year=``, default this year)."""
    membership = request.membership
    if not membership.is_admin:
        return denied(request, _("Only admins can edit the strategy."))
    year = _year(request)
    form = PillarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pillar = services.create_pillar(actor=membership, year=year, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except NotAllowed as error:
            return denied(request, str(error))
        else:
            messages.success(request, _("Added the pillar “%(name)s”.") % {"name": pillar.name})
            return redirect(f"{reverse('strategy:strategy', kwargs={'org_slug': org_slug})}?year={year}")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "title": _("New pillar for %(year)s") % {"year": year}, "submit": _("Add pillar")}
    return render(request, "strategy/form.html", context, status=status)
