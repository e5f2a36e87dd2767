"""Checking in on a key result: inline from My goals, the objective page and the key result page
(htmx swaps the changed part in place), or a plain form post without JavaScript."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lodestar.core.forms import add_service_errors
from lodestar.okrs import services
from lodestar.okrs.access import access_key_result
from lodestar.okrs.forms import CheckInForm
from lodestar.okrs.views.pages import card_context, home_context, key_result_context, objective_context

# Where an inline check-in came from: the fragment htmx swaps in, and how to build its context.
_FRAGMENTS = {
    "home": "okrs/partials/home_main.html",
    "card": "okrs/partials/objective_card.html",
    "objective": "okrs/partials/objective_main.html",
    "key_result": "okrs/partials/key_result_main.html",
}


@require_http_methods(["GET", "POST"])
def check_in(request, org_slug, key_result_id):
    """Record a check-in; answer htmx with the updated fragment, a plain post with a redirect."""
    membership = request.membership
    key_result = access_key_result(membership, key_result_id)
    form = CheckInForm(
        request.POST or None, key_result=key_result, automatic_status=request.organization.automatic_status
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_check_in(actor=membership, key_result=key_result, **form.reading())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Checked in on “%(title)s”.") % {"title": key_result.title})
            if request.htmx and request.POST.get("return_to") in _FRAGMENTS:
                return _fragment(request, key_result, form=None)
            return redirect(_return_url(request, key_result))
    status = 422 if request.method == "POST" else 200
    if request.htmx and request.POST.get("return_to") in _FRAGMENTS:
        return _fragment(request, key_result, form=form, status=status)
    return render(request, "okrs/check_in.html", {"form": form, "key_result": key_result}, status=status)


def _fragment(request, key_result, *, form, status=200):
    """The part of the page the check-in came from, rebuilt from the database, with the messages
    (out of band) and, after a failed check-in, its form open with the errors."""
    return_to = request.POST["return_to"]
    key_result = access_key_result(request.membership, key_result.pk)  # fresh progress and status
    if return_to == "home":
        context = home_context(request)
    elif return_to == "card":
        context = card_context(request, key_result.objective_id)
    elif return_to == "objective":
        context = objective_context(request, key_result.objective)
    else:
        context = key_result_context(request, key_result)
    context.update({"check_in_form": form, "oob_messages": True})
    return render(
        request, "okrs/partials/check_in_response.html", {**context, "fragment": _FRAGMENTS[return_to]}, status=status
    )


def _return_url(request, key_result) -> str:
    """After a plain form post: back to the page the check-in was made on."""
    slug = request.organization.slug
    return_to = request.POST.get("return_to")
    if return_to == "objective":
        return reverse("okrs:objective", kwargs={"org_slug": slug, "objective_id": key_result.objective_id})
    if return_to == "key_result":
        return reverse("okrs:key_result", kwargs={"org_slug": slug, "key_result_id": key_result.pk})
    return f"{reverse('okrs:home', kwargs={'org_slug': slug})}{_timeframe_query(request)}#key-result-{key_result.pk}"


def _timeframe_query(request) -> str:
    """The timeframe My goals showed, carried on (it came as ?timeframe= on the form's URL)."""
    if "timeframe" not in request.GET:
        return ""
    return "?" + urlencode({"timeframe": request.GET["timeframe"]})
