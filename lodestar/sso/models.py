"""Single sign-on per organization: its identity provider (OpenID Connect or SAML 2.0) and the
e-mail domains it has proved.

The client secret is kept encrypted (``lodestar.sso.sealing``); allauth's ``SocialApp`` table is
not used: the social account adapter builds an unsaved app from ``IdentityProvider`` on each
sign-in."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lodestar.core.scoping import OrganizationScopedManager


class JoinPolicy(models.TextChoices):
    DOMAIN = "domain", _("Anyone with an address of a verified domain joins as a member")
    INVITED = "invited", _("Only people who were invited may join")


class Protocol(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


class IdentityProvider(models.Model):
    """An organization's identity provider (Entra ID, Google Workspace, Okta, Keycloak, ADFS, …).

    OpenID Connect: ``issuer``, ``client_id`` and the sealed secret. SAML 2.0: ``issuer`` is the
    identity provider's entity ID, with its sign-in URL and signing certificate (public)."""

    organization = models.OneToOneField("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    protocol = models.CharField(_("protocol"), max_length=4, choices=Protocol.choices, default=Protocol.OIDC)
    issuer = models.CharField(_("issuer"), max_length=500)
    client_id = models.CharField(_("client ID"), max_length=255, blank=True)
    client_secret_encrypted = models.TextField(editable=False, blank=True)
    saml_sign_in_url = models.URLField(_("SAML sign-in URL"), max_length=500, blank=True)
    saml_certificate = models.TextField(_("SAML signing certificate"), blank=True)
    display_name = models.CharField(_("button label"), max_length=80, blank=True)
    join_policy = models.CharField(
        _("who may join"), max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.DOMAIN
    )
    sso_required = models.BooleanField(_("single sign-on required"), default=False)
    configured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self):
        return self.issuer

    @property
    def provider_id(self) -> str:
        """allauth's provider id: one per organization, also in the redirect URL."""
        return provider_id_for(self.organization_id)


def provider_id_for(organization_id: int) -> str:
    return f"lodestar-{organization_id}"


class EmailDomain(models.Model):
    """An e-mail domain an organization claims; it counts once proved (DNS TXT record or the
    instance operator). A domain is verified for one organization at most."""

    class Method(models.TextChoices):
        DNS = "dns", _("DNS record")
        OPERATOR = "operator", _("instance operator")

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    domain = models.CharField(_("domain"), max_length=253)
    token = models.CharField(max_length=64)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.CharField(max_length=10, choices=Method.choices, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "domain"], name="sso_domain_unique_per_org"),
            models.UniqueConstraint(
                fields=["domain"], condition=Q(verified_at__isnull=False), name="sso_domain_verified_once"
            ),
        ]

    def __str__(self):
        return self.domain

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def txt_record(self) -> str:
        return f"lodestar-verification={self.token}"
