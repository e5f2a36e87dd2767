"""The admins' single sign-on page, and "Sign in with single sign-on" for everyone."""

import functools

import requests
from allauth.core import ratelimit
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.saml import views as saml_views
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from lxml.etree import XMLSyntaxError
from onelogin.saml2.errors import OneLogin_Saml2_Error

from lodestar.core.errors import NotFound, as_id
from lodestar.core.forms import add_service_errors
from lodestar.core.responses import denied
from lodestar.core.scoping import organization_scope
from lodestar.sso import saml, services
from lodestar.sso.adapter import refusal_page
from lodestar.sso.forms import DomainForm, PolicyForm, ProviderForm, SamlProviderForm, StartForm
from lodestar.sso.models import EmailDomain, Protocol


def _admins_only(request):
    return denied(request, _("Only admins can set up single sign-on."))


def redirect_url(request, provider_id: str) -> str:
    """The address to register at the identity provider: the one allauth sends it (this host)."""
    return request.build_absolute_uri(reverse("openid_connect_callback", kwargs={"provider_id": provider_id}))


def saml_addresses(request, provider_id: str) -> dict:
    """What an admin registers at a SAML identity provider: Lodestar's entity ID (its metadata's
    address, as allauth names it) and where the provider posts its answers."""
    metadata_url = request.build_absolute_uri(reverse("saml_metadata", args=[provider_id]))
    return {
        "entity_id": metadata_url,
        "acs_url": request.build_absolute_uri(reverse("saml_acs", args=[provider_id])),
        "metadata_url": metadata_url,
    }


def _shown_protocol(request, provider, *, provider_form, saml_form) -> str:
    """The tab shown: the one whose form came back with errors, else the one asked for, else the
    organization's."""
    if saml_form is not None:
        return Protocol.SAML
    if provider_form is not None:
        return Protocol.OIDC
    chosen = request.GET.get("protocol", "")
    if chosen in Protocol.values:
        return chosen
    return provider.protocol if provider else Protocol.OIDC


def _page(request, *, provider_form=None, saml_form=None, policy_form=None, domain_form=None, status=200):
    membership = request.membership
    provider = services.provider_of(membership.organization_id)
    protocol = _shown_protocol(request, provider, provider_form=provider_form, saml_form=saml_form)
    same = provider is not None and provider.protocol == protocol
    if provider_form is None:
        initial = {"issuer": provider.issuer, "client_id": provider.client_id} if same else {}
        provider_form = ProviderForm(
            initial={**initial, "display_name": provider.display_name if provider else ""},
            has_secret=same and protocol == Protocol.OIDC,
        )
    if saml_form is None:
        saml_form = SamlProviderForm(
            initial={"display_name": provider.display_name if provider else ""},
            connected=same and protocol == Protocol.SAML,
        )
    if policy_form is None and provider is not None:
        policy_form = PolicyForm(initial={"join_policy": provider.join_policy, "sso_required": provider.sso_required})
    provider_id = services.provider_id(membership.organization_id)
    context = {
        "provider": provider,
        "protocol": protocol,
        "protocols": Protocol,
        "provider_form": provider_form,
        "saml_form": saml_form,
        "policy_form": policy_form,
        "domain_form": domain_form or DomainForm(),
        "domains": list(EmailDomain.objects.filter(organization_id=membership.organization_id)),
        "redirect_url": redirect_url(request, provider_id),
        "saml": saml_addresses(request, provider_id),
        "certificate_fingerprint": saml.fingerprint(provider.saml_certificate)
        if same and provider.saml_certificate
        else "",
    }
    return render(request, "sso/settings.html", context, status=status)


def _submit(request, org_slug, form, save, *, form_name: str):
    """A settings form: saved through ``save`` (which returns the success message) and back to the
    page, or the page again with the form's errors."""
    if not request.membership.is_admin:
        return _admins_only(request)
    if form.is_valid():
        try:
            message = save(actor=request.membership, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect("sso:settings", org_slug=org_slug)
    return _page(request, status=422, **{form_name: form})


@require_http_methods(["GET", "POST"])
def sso_settings(request, org_slug):
    if request.method == "GET":
        if not request.membership.is_admin:
            return _admins_only(request)
        return _page(request)
    provider = services.provider_of(request.membership.organization_id)
    form = ProviderForm(request.POST, has_secret=provider is not None and provider.protocol == Protocol.OIDC)

    def save(**fields):
        services.save_provider(**fields)
        return _("Single sign-on is saved. The secret is stored encrypted and not shown again.")

    return _submit(request, org_slug, form, save, form_name="provider_form")


@require_POST
def saml_settings(request, org_slug):
    def save(**fields):
        services.save_saml_provider(**fields)
        return _("Single sign-on with SAML is saved.")

    provider = services.provider_of(request.membership.organization_id)
    form = SamlProviderForm(request.POST, connected=provider is not None and provider.protocol == Protocol.SAML)
    return _submit(request, org_slug, form, save, form_name="saml_form")


@require_POST
def sso_policy(request, org_slug):
    def save(**fields):
        services.save_policy(**fields)
        return _("Who may join and how people sign in are saved.")

    return _submit(request, org_slug, PolicyForm(request.POST), save, form_name="policy_form")


@require_POST
def sso_remove(request, org_slug):
    services.remove_provider(actor=request.membership, request=request)
    messages.success(request, _("Single sign-on is removed. Everyone signs in with their password again."))
    return redirect("sso:settings", org_slug=org_slug)


@require_POST
def domain_add(request, org_slug):
    def save(**fields):
        found = services.add_domain(**fields)
        return _("Add the TXT record shown for %(domain)s at your DNS provider, then check it.") % {
            "domain": found.domain
        }

    return _submit(request, org_slug, DomainForm(request.POST), save, form_name="domain_form")


def _access_domain(membership, domain_id) -> EmailDomain:
    found = EmailDomain.objects.filter(organization_id=membership.organization_id, pk=as_id(domain_id)).first()
    if found is None:
        raise NotFound
    return found


@require_POST
def domain_check(request, org_slug, domain_id):
    found = _access_domain(request.membership, domain_id)
    if services.check_domain(actor=request.membership, domain=found, request=request):
        messages.success(request, _("%(domain)s is verified.") % {"domain": found.domain})
    else:
        messages.error(
            request,
            _("The TXT record was not found on %(domain)s yet. DNS changes can take a while; check again later.")
            % {"domain": found.domain},
        )
    return redirect("sso:settings", org_slug=org_slug)


@require_POST
def domain_remove(request, org_slug, domain_id):
    found = _access_domain(request.membership, domain_id)
    services.remove_domain(actor=request.membership, domain=found, request=request)
    messages.success(request, _("%(domain)s is removed.") % {"domain": found.domain})
    return redirect("sso:settings", org_slug=org_slug)


@require_http_methods(["GET", "POST"])
def start(request):
    """Sign in with single sign-on: the address's verified domain names the organization, whose
    provider then takes over."""
    form = StartForm(request.POST or None, initial={"email": request.GET.get("email", "")[:254]})
    if request.method == "POST" and not ratelimit.consume(request, action="sso_start"):
        # Each try tells whether a domain signs in with single sign-on: not a list to walk quickly.
        form.add_error(None, _("Too many tries from your network. Wait a minute, then try again."))
        return _to_providers(render(request, "sso/start.html", {"form": form}, status=429))
    if request.method == "POST" and form.is_valid():
        provider = services.provider_for_email(form.cleaned_data["email"])
        if provider is None:
            form.add_error(
                "email",
                _("No organization signs in with single sign-on for this address. Sign in with your password instead."),
            )
        else:
            with organization_scope(provider.organization):
                social = get_social_adapter(request).get_provider(request, provider.provider_id)
                next_url = reverse("okrs:home", kwargs={"org_slug": provider.organization.slug})
                try:
                    return _to_providers(social.redirect(request, AuthProcess.LOGIN, next_url=next_url))
                except (requests.RequestException, KeyError, ValueError, OneLogin_Saml2_Error):  # unreachable or broken
                    form.add_error(
                        None,
                        _("The identity provider of %(organization)s cannot be reached right now. Try again later.")
                        % {"organization": provider.organization.name},
                    )
    return _to_providers(render(request, "sso/start.html", {"form": form}, status=422 if form.errors else 200))


def _unreadable_is_refused(allauth_view):
    """allauth's SAML step, except that a message that is not base64 or not XML (or holds a document
    type) is refused like any other bad message instead of ending in a server error."""

    @functools.wraps(allauth_view)  # its csrf_exempt mark too: identity providers post to it
    def view(request, organization_slug):
        try:
            return allauth_view(request, organization_slug=organization_slug)
        except (XMLSyntaxError, ValueError):  # binascii.Error and defusedxml's refusals are ValueErrors
            found = services.find_provider(organization_slug)
            if found is not None:
                with organization_scope(found.organization):
                    services.record_refusal(found, "invalid_response", detail="unreadable message", request=request)
            message = _("Single sign-on did not complete. Start again from the sign-in page.")
            return refusal_page(request, message, status=400)

    return view


finish_saml = _unreadable_is_refused(saml_views.finish_acs)
saml_logout = _unreadable_is_refused(saml_views.sls)


def _to_providers(response):
    """This page's form ends at the organization's identity provider (a redirect after the POST),
    which the Content Security Policy's ``form-action 'self'`` would stop: here, and only here,
    https origins may follow (plain http only for hosts the instance allows, e.g. an intranet
    provider or the tests')."""
    allowed = [CSP.SELF, "https:"]
    for host in settings.LODESTAR_OUTBOUND_ALLOWED:
        if "/" not in host:
            allowed += [f"http://{host}", f"http://{host}:*"]
    response._csp_config = {**settings.SECURE_CSP, "form-action": allowed}
    return response
