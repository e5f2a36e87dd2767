"""allauth's hooks for single sign-on (set in settings: SOCIALACCOUNT_ADAPTER, ACCOUNT_ADAPTER).

- ``SocialAccountAdapter``: the OpenID Connect and SAML apps come from ``IdentityProvider`` rows
  (one per organization, an OpenID secret decrypted only for the token request), every call to a
  provider passes the outbound guard, and ``pre_social_login`` lets in only whom
  ``services.admit`` admits.
- ``AccountAdapter``: password sign-in and password reset are off for members of organizations
  that require single sign-on (owners keep their password as the break-glass path)."""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import AuthProcess
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from lodestar.accounts.adapter import AccountAdapter as BaseAccountAdapter
from lodestar.core.scoping import organization_scope
from lodestar.sso import discovery, rules, saml, sealing, services
from lodestar.sso.models import IdentityProvider, Protocol

OIDC = "openid_connect"
SAML = "saml"


def social_app(provider: IdentityProvider, *, with_secret: bool = True) -> SocialApp:
    """An unsaved allauth app for the organization's provider."""
    if provider.protocol == Protocol.SAML:
        # allauth's SAML URLs (/accounts/saml/<client id>/acs/ …) name the app by its client id.
        return SocialApp(
            provider=SAML,
            provider_id=provider.provider_id,
            name=provider.display_name or provider.organization.name,
            client_id=provider.provider_id,
            settings=saml.app_settings(
                entity_id=provider.issuer, sign_in_url=provider.saml_sign_in_url, certificate=provider.saml_certificate
            ),
        )
    secret = (sealing.unseal(provider.client_secret_encrypted) or "") if with_secret else ""
    return SocialApp(
        provider=OIDC,
        provider_id=provider.provider_id,
        name=provider.display_name or provider.organization.name,
        client_id=provider.client_id,
        secret=secret,
        settings={
            "server_url": rules.discovery_url(provider.issuer),
            "fetch_userinfo": True,
            "email_authentication": False,
        },
    )


def refusal_page(request, message: str, *, status: int = 403):
    return render(request, "sso/refused.html", {"message": message}, status=status)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        """Only organizations' providers, looked up by their provider id (never a list of all)."""
        if provider == SAML:
            found = services.find_provider(client_id or "")
            return [social_app(found)] if found is not None and found.protocol == Protocol.SAML else []
        if provider is None or provider == OIDC:
            return []  # no provider buttons on allauth's own pages: people start from the SSO page
        found = services.find_provider(provider)
        if found is None:
            return []
        app = social_app(found)
        return [app] if client_id is None or client_id == app.client_id else []

    def get_requests_session(self):
        return discovery.guarded_session()

    def is_open_for_signup(self, request, sociallogin):
        return True  # pre_social_login has decided already: whoever gets here is admitted

    def is_auto_signup_allowed(self, request, sociallogin):
        return True

    def pre_social_login(self, request, sociallogin):
        provider = services.find_provider(sociallogin.account.provider)
        if provider is None:
            raise ImmediateHttpResponse(refusal_page(request, _("This single sign-on is not set up."), status=404))
        if sociallogin.state.get("process", AuthProcess.LOGIN) != AuthProcess.LOGIN:
            # Connecting a provider to a signed-in account by hand is not offered: links are made
            # only by admit(), from a verified address.
            raise ImmediateHttpResponse(
                refusal_page(request, _("Sign in through single sign-on from the sign-in page."))
            )
        issuer, claims = self._claims(provider, sociallogin)
        linked_user = sociallogin.user if sociallogin.is_existing else None
        with organization_scope(provider.organization):
            try:
                admitted = services.admit(
                    provider=provider,
                    issuer=issuer,
                    claims=claims,
                    linked_user=linked_user,
                    request=request,
                )
            except services.Refused as refusal:
                services.record_refusal(provider, refusal.reason, email=str(claims.get("email") or ""), request=request)
                raise ImmediateHttpResponse(refusal_page(request, refusal.message)) from None
        if not sociallogin.is_existing:
            sociallogin.connect(request, admitted.user)
        sociallogin.state["next"] = reverse("okrs:home", kwargs={"org_slug": provider.organization.slug})

    @staticmethod
    def _claims(provider: IdentityProvider, sociallogin) -> tuple[str, dict]:
        """The issuer and the claims of this sign-in, OpenID Connect's or a SAML assertion's."""
        data = sociallogin.account.extra_data or {}
        if provider.protocol == Protocol.SAML:
            # python3-saml has matched the assertion's issuer and signature to this provider.
            subject = sociallogin.account.uid or ""
            return provider.issuer, saml.claims(data, fallback_email=subject if "@" in subject else "")
        id_token = data.get("id_token") or {}
        return str(id_token.get("iss", "")), {**id_token, **(data.get("userinfo") or {})}

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        found = services.find_provider(getattr(getattr(provider, "app", None), "provider_id", "") or "")
        if found is not None:
            saml_errors = (extra_context or {}).get("saml_errors") or []
            with organization_scope(found.organization):
                services.record_refusal(
                    found,
                    ",".join(saml_errors) or str(error or "provider_error"),
                    detail=str((extra_context or {}).get("saml_last_error_reason") or ""),
                    request=request,
                )
        message = _("Single sign-on did not complete. Start again from the sign-in page.")
        raise ImmediateHttpResponse(refusal_page(request, message, status=400))


class AccountAdapter(BaseAccountAdapter):
    def pre_login(self, request, user, **kwargs):
        """Password (and other non-SSO) sign-in of a member whose organization requires SSO is refused."""
        if "sociallogin" not in (kwargs.get("signal_kwargs") or {}):
            required = services.organizations_requiring_sso(user)
            if required:
                return render(
                    request,
                    "sso/password_refused.html",
                    {"organizations": required, "email": user.email},
                    status=403,
                )
        return super().pre_login(request, user, **kwargs)

    def send_password_reset_mail(self, user, email, context):
        """Members bound to single sign-on get no reset link: their password does not sign them in."""
        if services.organizations_requiring_sso(user):
            return
        return super().send_password_reset_mail(user, email, context)
