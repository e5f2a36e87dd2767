"""The notification inbox and bell, e-mail preferences, the unsubscribe link of every e-mail,
the admins' chat channels with their delivery log, and reminding leads to close their objectives."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lodestar.core.errors import NotFound, as_id
from lodestar.core.forms import add_service_errors
from lodestar.core.responses import denied
from lodestar.core.scoping import all_organizations, organization_scope
from lodestar.notifications import services
from lodestar.notifications.emails import read_unsubscribe_token
from lodestar.notifications.forms import ChatChannelForm, PreferencesForm
from lodestar.notifications.models import ChatChannel, ChatPost, Email
from lodestar.notifications.text import notification_path, notification_sentence
from lodestar.okrs.access import access_timeframe
from lodestar.orgs.models import Membership

INBOX_SIZE = 50


@require_safe
def inbox(request, org_slug):
    """The person's latest notifications, unread first marked, each with its sentence and link."""
    notifications = list(services.inbox(request.membership).select_related("actor__user")[:INBOX_SIZE])
    rows = [(notification, notification_sentence(notification)) for notification in notifications]
    return render(
        request, "notifications/inbox.html", {"rows": rows, "unread": services.unread_count(request.membership)}
    )


@require_safe
def open_notification(request, org_slug, notification_id):
    """Follow a notification: it is read, and the page it is about opens.

    A GET that writes, on purpose (issue 24's review): the link is in e-mails and in the bell, and
    following it is what reading means. It is harmless and idempotent: only the recipient's own
    notification changes (anyone else gets a 404), only from unread to read (a second visit changes
    nothing), and a third-party page cannot trigger it unseen (the session cookie is SameSite=Lax,
    so an image or script elsewhere arrives signed out). "Mark as read" without opening is a POST."""
    notification = services.access_notification(request.membership, notification_id)
    services.mark_read(actor=request.membership, notification=notification)
    notification.recipient = request.membership
    return redirect(notification_path(notification))


@require_POST
def mark_read(request, org_slug, notification_id):
    notification = services.access_notification(request.membership, notification_id)
    services.mark_read(actor=request.membership, notification=notification)
    return redirect("notifications:inbox", org_slug=org_slug)


@require_POST
def mark_all_read(request, org_slug):
    count = services.mark_all_read(actor=request.membership)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:inbox", org_slug=org_slug)


@require_http_methods(["GET", "POST"])
def preferences(request, org_slug):
    """The person's own e-mail preferences in this organization."""
    current = services.preferences_of(request.membership)
    initial = {
        "notification_emails": current.notification_emails,
        "check_in_reminders": current.check_in_reminders,
        "lead_digest": current.lead_digest,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.update_preferences(actor=request.membership, **form.cleaned_data)
            messages.success(request, _("Your e-mail preferences are saved."))
            return redirect("notifications:preferences", org_slug=org_slug)
        return render(request, "notifications/preferences.html", {"form": form}, status=422)
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # mail programs post without a form; the signed token is what proves the right
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The link in every e-mail. GET asks (mail scanners open links), POST unsubscribes; mail
    programs POST directly (RFC 8058 one-click). No sign-in needed: the signed link is the proof."""
    found = read_unsubscribe_token(token)
    membership = _membership_of(found[0]) if found else None
    if membership is None:
        raise Http404
    kind = Email.Kind(found[1])
    context = {"kind": kind, "kind_label": kind.label, "person": membership, "done": False}
    with organization_scope(membership.organization), translation.override(membership.language):
        if request.method == "POST":
            services.unsubscribe(person=membership, kind=kind)
            context["done"] = True
        return render(request, "notifications/unsubscribe.html", context)


def _membership_of(membership_id: int) -> Membership | None:
    # Reached without an organization in the URL: the signed id names the one membership.
    with all_organizations():
        return Membership.objects.select_related("organization", "user").filter(pk=membership_id).first()


# --- chat channels (admins) --------------------------------------------------------------------

LOG_SIZE = 50


def _admins_only(request):
    return denied(request, _("Only admins can manage chat channels."))


def _access_channel(membership, channel_id) -> ChatChannel:
    channel = ChatChannel.objects.filter(organization_id=membership.organization_id, pk=as_id(channel_id)).first()
    if channel is None:
        raise NotFound
    return channel


def _channel_fields(form) -> dict:
    data = form.cleaned_data
    return {name: data[name] for name in ("name", "service", "url", "events", "group", "is_active")}


@require_http_methods(["GET", "POST"])
def chat_channels(request, org_slug):
    """The channels, a form to add one, and the latest deliveries with their state."""
    membership = request.membership
    if not membership.is_admin:
        return _admins_only(request)
    form = ChatChannelForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_chat_channel(actor=membership, **_channel_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The channel is added. Send a test message to check it."))
            return redirect("notifications:chat_channels", org_slug=org_slug)
    channels = list(ChatChannel.objects.filter(organization_id=membership.organization_id).select_related("group"))
    posts = list(
        ChatPost.objects.filter(organization_id=membership.organization_id).select_related("channel")[:LOG_SIZE]
    )
    context = {"form": form, "channels": channels, "posts": posts}
    return render(request, "notifications/chat_channels.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def chat_channel_edit(request, org_slug, channel_id):
    membership = request.membership
    channel = _access_channel(membership, channel_id)
    if not membership.is_admin:
        return _admins_only(request)
    initial = {
        "name": channel.name,
        "service": channel.service,
        "url": channel.url,
        "events": channel.events,
        "group": channel.group_id,
        "is_active": channel.is_active,
    }
    form = ChatChannelForm(request.POST or None, initial=initial, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_chat_channel(actor=membership, channel=channel, **_channel_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The channel is saved."))
            return redirect("notifications:chat_channels", org_slug=org_slug)
    context = {"form": form, "channel": channel}
    return render(request, "notifications/chat_channel_edit.html", context, status=422 if form.errors else 200)


def _done(request, org_slug, message: str):
    """After a button on the chat channels page (a refusal was a 403 with its reason): back to the page."""
    messages.success(request, message)
    return redirect("notifications:chat_channels", org_slug=org_slug)


@require_POST
def chat_channel_delete(request, org_slug, channel_id):
    channel = _access_channel(request.membership, channel_id)
    services.delete_chat_channel(actor=request.membership, channel=channel)
    return _done(request, org_slug, _("The channel is removed."))


@require_POST
def chat_channel_test(request, org_slug, channel_id):
    channel = _access_channel(request.membership, channel_id)
    services.send_test_post(actor=request.membership, channel=channel)
    return _done(request, org_slug, _("A test message is on its way; its delivery shows below."))


@require_POST
def chat_post_retry(request, org_slug, post_id):
    post = ChatPost.objects.filter(organization_id=request.membership.organization_id, pk=as_id(post_id)).first()
    if post is None:
        raise NotFound
    services.retry_post(actor=request.membership, post=post)
    return _done(request, org_slug, _("The message is queued again."))


@require_POST
def remind_to_close(request, org_slug, timeframe_id):
    """Ask the leads of the objectives still open to close them."""
    membership = request.membership
    timeframe = access_timeframe(membership, timeframe_id)
    try:
        count = services.remind_to_close(actor=membership, timeframe=timeframe)
    except ValidationError as error:
        context = {"timeframe": timeframe, "errors": error.messages}
        return render(request, "okrs/timeframes/state_refused.html", context, status=422)
    if count:
        text = ngettext("Sent %(count)d reminder to close.", "Sent %(count)d reminders to close.", count)
        messages.success(request, text % {"count": count})
    else:
        messages.info(request, _("Nobody needed a reminder: every lead was reminded today or has closed."))
    return redirect("okrs:timeframe_closing", org_slug=org_slug, timeframe_id=timeframe.pk)
