"""The admins' webhooks: register a URL for chosen events, see its secret and every delivery with
the receiver's answer, send a signed test, retry, pause or remove."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lodestar.core.errors import NotFound, as_id
from lodestar.core.forms import add_service_errors
from lodestar.core.responses import denied
from lodestar.webhooks import services
from lodestar.webhooks.forms import WebhookForm
from lodestar.webhooks.models import Delivery, Webhook

LOG_SIZE = 50
FIELDS = ("name", "url", "events", "is_active")


def _admins_only(request):
    return denied(request, _("Only admins can manage webhooks."))


def _access_webhook(membership, webhook_id) -> Webhook:
    webhook = Webhook.objects.filter(organization_id=membership.organization_id, pk=as_id(webhook_id)).first()
    if webhook is None:
        raise NotFound
    return webhook


def _deliveries(membership, **filters) -> list[Delivery]:
    found = Delivery.objects.filter(organization_id=membership.organization_id, **filters).select_related("webhook")
    return list(found[:LOG_SIZE])


@require_http_methods(["GET", "POST"])
def webhooks(request, org_slug):
    membership = request.membership
    if not membership.is_admin:
        return _admins_only(request)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            webhook = services.create_webhook(actor=membership, **{name: form.cleaned_data[name] for name in FIELDS})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The webhook is added. Use its secret to check signatures, then send a test."))
            return redirect("webhooks:webhook", org_slug=org_slug, webhook_id=webhook.pk)
    context = {
        "form": form,
        "webhooks": list(Webhook.objects.filter(organization_id=membership.organization_id)),
        "deliveries": _deliveries(membership),
    }
    return render(request, "webhooks/webhooks.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def webhook(request, org_slug, webhook_id):
    membership = request.membership
    found = _access_webhook(membership, webhook_id)
    if not membership.is_admin:
        return _admins_only(request)
    initial = {name: getattr(found, name) for name in FIELDS}
    form = WebhookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_webhook(
                actor=membership, webhook=found, **{name: form.cleaned_data[name] for name in FIELDS}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The webhook is saved."))
            return redirect("webhooks:webhook", org_slug=org_slug, webhook_id=found.pk)
    context = {"form": form, "webhook": found, "deliveries": _deliveries(membership, webhook=found)}
    return render(request, "webhooks/webhook.html", context, status=422 if form.errors else 200)


# The buttons of a webhook's page: the service decides (a refusal is a 403 with its reason), then
# back to the page with what happened.


@require_POST
def webhook_ping(request, org_slug, webhook_id):
    found = _access_webhook(request.membership, webhook_id)
    services.send_ping(actor=request.membership, webhook=found)
    messages.success(request, _("A signed test event is on its way; its delivery shows below."))
    return redirect("webhooks:webhook", org_slug=org_slug, webhook_id=found.pk)


@require_POST
def webhook_secret(request, org_slug, webhook_id):
    found = _access_webhook(request.membership, webhook_id)
    services.new_secret(actor=request.membership, webhook=found)
    messages.success(request, _("The webhook has a new secret: the old one no longer signs."))
    return redirect("webhooks:webhook", org_slug=org_slug, webhook_id=found.pk)


@require_POST
def webhook_delete(request, org_slug, webhook_id):
    found = _access_webhook(request.membership, webhook_id)
    services.delete_webhook(actor=request.membership, webhook=found)
    messages.success(request, _("The webhook is removed."))
    return redirect("webhooks:webhooks", org_slug=org_slug)


@require_POST
def delivery_retry(request, org_slug, delivery_id):
    membership = request.membership
    delivery = Delivery.objects.filter(organization_id=membership.organization_id, pk=as_id(delivery_id)).first()
    if delivery is None:
        raise NotFound
    services.retry_delivery(actor=membership, delivery=delivery)
    messages.success(request, _("The delivery is queued again."))
    return redirect("webhooks:webhook", org_slug=org_slug, webhook_id=delivery.webhook_id)
