"""Inviting people (admins), accepting an invitation (anyone holding its link), and starting an
organization (first-run setup, instance administrators, open sign-up)."""

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lodestar.accounts.addresses import may_start_organization
from lodestar.core.errors import NotFound
from lodestar.core.forms import add_service_errors
from lodestar.core.responses import denied
from lodestar.core.scoping import organization_scope
from lodestar.onboarding import selectors, services, setup
from lodestar.onboarding.forms import AcceptForm, InviteForm, OrganizationForm, SetupForm
from lodestar.onboarding.models import Invitation

_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _status(request) -> int:
    return 422 if request.method == "POST" else 200


# --- inviting (admins of an organization) -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invite(request, org_slug):
    actor = request.membership
    if not actor.is_admin:
        return denied(request, _("Only admins can invite people."))
    form = InviteForm(request.POST if request.method == "POST" else None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invited, present = services.invite_many(
                actor=actor,
                people=data["addresses"],
                role=data["role"],
                groups=data["groups"],
                job_title=data["job_title"],
                manager=data["manager"],
                message=data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _announce(request, invited, present)
            return redirect("onboarding:invitations", org_slug=org_slug)
    return render(request, "onboarding/invite.html", {"form": form}, status=_status(request))


def _announce(request, invited, present) -> None:
    if invited:
        messages.success(
            request,
            ngettext(
                "Invited %(count)d person: %(list)s. The invitation e-mail is on its way.",
                "Invited %(count)d people: %(list)s. The invitation e-mails are on their way.",
                len(invited),
            )
            % {"count": len(invited), "list": ", ".join(invitation.email for invitation in invited)},
        )
    if present:
        messages.info(
            request,
            _("Already a member or invited, so left out: %(list)s.") % {"list": ", ".join(present)},
        )


@require_safe
def invitations(request, org_slug):
    actor = request.membership
    if not actor.is_admin:
        return denied(request, _("Only admins can invite people."))
    context = {"open": selectors.open_invitations(actor), "answered": selectors.answered_invitations(actor)}
    return render(request, "onboarding/invitations.html", context)


def _invitation_of(actor, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.filter(organization_id=actor.organization_id, pk=invitation_id).first()
    if invitation is None:
        raise NotFound
    return invitation


@require_POST
def resend(request, org_slug, invitation_id):
    actor = request.membership
    invitation = services.resend(actor=actor, invitation=_invitation_of(actor, invitation_id))
    messages.success(request, _("Sent the invitation to %(email)s again.") % {"email": invitation.email})
    return redirect("onboarding:invitations", org_slug=org_slug)


@require_POST
def revoke(request, org_slug, invitation_id):
    actor = request.membership
    try:
        invitation = services.revoke(actor=actor, invitation=_invitation_of(actor, invitation_id))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Withdrew the invitation of %(email)s.") % {"email": invitation.email})
    return redirect("onboarding:invitations", org_slug=org_slug)


# --- accepting (whoever holds the link) --------------------------------------------------------


@sensitive_variables("token")
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def accept(request, token):
    invitation = services.read_invitation(token)
    if invitation is None:
        return render(request, "onboarding/accept_invalid.html", status=404)
    with organization_scope(invitation.organization):
        return _answer(request, invitation)


def _answer(request, invitation):
    context = {"invitation": invitation, "organization": invitation.organization}
    refusal = services.why_not_open(invitation)
    if refusal:
        return render(request, "onboarding/accept_closed.html", {**context, "reason": refusal}, status=410)
    signed_in = request.user if request.user.is_authenticated else None
    if services.is_for_new_account(invitation) and signed_in is None:
        return _accept_as_new_person(request, invitation, context)
    if signed_in is None:
        return render(request, "onboarding/accept_sign_in.html", context)
    refusal = services.why_not_this_account(invitation, signed_in)
    if refusal:
        unconfirmed = signed_in.email.lower() == invitation.email.lower()
        if unconfirmed and request.method == "POST" and request.POST.get("action") == "confirm":
            _send_confirmation(request, signed_in, invitation.email)
        return render(
            request,
            "onboarding/accept_wrong_account.html",
            {**context, "reason": refusal, "unconfirmed": unconfirmed},
            status=403,
        )
    if request.method == "POST":
        membership = services.accept_as_signed_in(invitation=invitation, user=signed_in)
        return _welcome(request, membership.organization)
    return render(request, "onboarding/accept_join.html", context)


def _accept_as_new_person(request, invitation, context):
    initial = {"full_name": invitation.membership.user.full_name if invitation.membership_id else invitation.full_name}
    form = AcceptForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_as_new_person(
                invitation=invitation, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend=_BACKEND)
            return _welcome(request, invitation.organization)
    return render(request, "onboarding/accept_new.html", {**context, "form": form}, status=_status(request))


def _send_confirmation(request, user, email) -> None:
    address, _created = EmailAddress.objects.get_or_create(user=user, email=email.lower())
    address.send_confirmation(request)
    messages.info(request, _("We sent a confirmation link to %(email)s.") % {"email": email})


def _welcome(request, organization):
    messages.success(request, _("Welcome to %(organization)s.") % {"organization": organization.name})
    return redirect("okrs:home", org_slug=organization.slug)


# --- starting an organization ------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2", "token")
@require_http_methods(["GET", "POST"])
def first_run_setup(request):
    """The instance's first organization and owner, for whoever holds the setup token that
    `make run` and the server's log print. Gone once a real organization exists."""
    if not setup.is_open() or not setup.token_matches(request.GET.get("token", "")):
        raise Http404
    form = SetupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organization, user = setup.set_up(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend=_BACKEND)
            return _welcome(request, organization)
    return render(request, "onboarding/setup.html", {"form": form}, status=_status(request))


@login_required
@require_http_methods(["GET", "POST"])
def new_organization(request):
    """Instance administrators (and, with open sign-up, anyone with a confirmed address) start one."""
    if not may_start_organization(request.user):
        raise Http404
    form = OrganizationForm(
        request.POST if request.method == "POST" else None, initial={"language": request.LANGUAGE_CODE}
    )
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.start_own_organization(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _welcome(request, organization)
    return render(request, "onboarding/new_organization.html", {"form": form}, status=_status(request))
