"""The onboarding deck: presentation mode for a rollout group's training and for every new member
(greeted on their home page until they dismiss it), editable by those who run the rollout."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lodestar.core.forms import add_service_errors
from lodestar.rollout import selectors, services
from lodestar.rollout.forms import DeckForm
from lodestar.rollout.views.common import carry_out, runs_rollout_only


def _back(request, default: str) -> str:
    """``?next=`` when it is a path of this site, else ``default``."""
    wanted = request.GET.get("next") or request.POST.get("next") or ""
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return default


@require_safe
def deck(request, org_slug):
    home = reverse("okrs:home", kwargs={"org_slug": org_slug})
    context = {"slides": selectors.onboarding_slides(request.membership), "exit_url": _back(request, home)}
    return render(request, "rollout/deck.html", context)


@require_http_methods(["GET", "POST"])
def deck_edit(request, org_slug):
    membership = request.membership
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    form = DeckForm(request.POST or None, slides=selectors.onboarding_slides(membership))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_deck(actor=membership, slides=form.slides())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved the onboarding deck."))
            return redirect("rollout:deck_edit", org_slug=org_slug)
    context = {"form": form, "custom": selectors.has_own_deck(membership)}
    return render(request, "rollout/deck_edit.html", context, status=422 if form.errors else 200)


@require_POST
def deck_reset(request, org_slug):
    action = partial(services.save_deck, actor=request.membership, slides=[])
    done = _("The built-in deck is back, in each reader's language.")
    return carry_out(request, action, done, back=redirect("rollout:deck_edit", org_slug=org_slug))


@require_POST
def welcome_dismiss(request, org_slug):
    services.dismiss_welcome(actor=request.membership)
    return redirect(_back(request, reverse("okrs:home", kwargs={"org_slug": org_slug})))
