"""Automatic updates of a key result or KPI: add a secret URL (shown once) or a polled data
source, see each feed's last value and last failure, poll now, remove."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lodestar.core.forms import add_service_errors
from lodestar.core.responses import denied
from lodestar.feeds import services
from lodestar.feeds.forms import PollFeedForm, PushFeedForm
from lodestar.feeds.selectors import feeds_of
from lodestar.kpis.access import access_kpi
from lodestar.kpis.models import KPI
from lodestar.okrs.access import access_key_result

NEW_URL_KEY = "lodestar.new_feed_url"


def _page_of(target) -> tuple[str, dict]:
    if isinstance(target, KPI):
        return "feeds:kpi_feeds", {"kpi_id": target.pk}
    return "feeds:key_result_feeds", {"key_result_id": target.pk}


def _back_to(request, target):
    name, kwargs = _page_of(target)
    return redirect(name, org_slug=request.organization.slug, **kwargs)


def _feeds_page(request, target, *, goal_url: str):
    membership = request.membership
    if not services.may_manage(membership, target):
        return denied(request, _("Only those who may update it can set up its automatic updates."))
    # Each form posts its kind; anything but "push" is taken for the data source's form, so a
    # mangled post gets that form's messages.
    pushing = request.POST.get("kind") == "push"
    push_form = PushFeedForm(request.POST if pushing else None, prefix="push")
    poll_form = PollFeedForm(request.POST if request.method == "POST" and not pushing else None, prefix="poll")
    if request.method == "POST":
        form = push_form if pushing else poll_form
        if form.is_valid():
            try:
                if form is push_form:
                    _feed, token = services.create_push_feed(actor=membership, target=target, **form.cleaned_data)
                    request.session[NEW_URL_KEY] = request.build_absolute_uri(reverse("api:feed_value", args=[token]))
                else:
                    services.create_poll_feed(actor=membership, target=target, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The automatic update is set up."))
                return _back_to(request, target)
    context = {
        "target": target,
        "target_name": getattr(target, "title", None) or target.name,
        "goal_url": goal_url,
        "feeds": feeds_of(target.organization_id, "kpi" if isinstance(target, KPI) else "key_result", target.pk),
        "push_form": push_form,
        "poll_form": poll_form,
        "new_url": request.session.pop(NEW_URL_KEY, None) if request.method == "GET" else None,
    }
    invalid = push_form.errors or poll_form.errors
    return render(request, "feeds/feeds.html", context, status=422 if invalid else 200)


@require_http_methods(["GET", "POST"])
def key_result_feeds(request, org_slug, key_result_id):
    key_result = access_key_result(request.membership, key_result_id)
    goal_url = reverse("okrs:key_result", kwargs={"org_slug": org_slug, "key_result_id": key_result.pk})
    return _feeds_page(request, key_result, goal_url=goal_url)


@require_http_methods(["GET", "POST"])
def kpi_feeds(request, org_slug, kpi_id):
    kpi = access_kpi(request.membership, kpi_id)
    return _feeds_page(request, kpi, goal_url=reverse("kpis:kpi", kwargs={"org_slug": org_slug, "kpi_id": kpi.pk}))


def _feed_action(request, feed_id, action, done: str):
    feed = services.access_feed(request.membership, feed_id)
    target = services.feed_target(feed)
    try:
        action(actor=request.membership, feed=feed)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back_to(request, target)
    messages.success(request, done)
    return _back_to(request, target)


@require_POST
def feed_delete(request, org_slug, feed_id):
    return _feed_action(request, feed_id, services.delete_feed, _("The automatic update is removed."))


@require_POST
def feed_poll(request, org_slug, feed_id):
    return _feed_action(request, feed_id, services.poll_soon, _("The data source is polled within a minute."))
