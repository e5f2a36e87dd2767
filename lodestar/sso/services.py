"""Single sign-on: what admins set up (provider, domains, who may join, whether SSO is required)
and who a provider's sign-in lets in.

Who gets in through an organization's provider (``admit``):
  - the ID token comes from the organization's own issuer (SAML: the assertion is signed with the
    certificate of the organization's identity provider);
  - an OpenID provider says the address is verified (``email_verified: true``);
  - the address's domain is verified for this organization (DNS record or the instance operator);
  - then: a person linked to this provider before, or the account on which that address is
    confirmed, signs in; an invitation-made account (never used) takes the invitation; anyone else
    joins as a member when the organization lets its domain join, else is refused.
An account whose address was typed but never confirmed is never linked (its holder may not be the
address's owner)."""

import dataclasses
import secrets

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from lodestar.accounts.addresses import confirmed_account, holder_of, is_confirmed, mark_confirmed
from lodestar.audit.services import record
from lodestar.core.errors import NotAllowed, NotFound
from lodestar.core.scoping import all_organizations, organization_scope
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_choice, clean_text
from lodestar.onboarding import services as onboarding
from lodestar.onboarding.models import Invitation
from lodestar.orgs.models import Membership, Organization, Role
from lodestar.sso import discovery, rules, saml, sealing
from lodestar.sso.models import EmailDomain, IdentityProvider, JoinPolicy, Protocol, provider_id_for

# --- settings (admins) -------------------------------------------------------------------------


def _require_admin(actor: Membership) -> None:
    if not actor.is_admin:
        raise NotAllowed(_("Only admins can set up single sign-on."))


def provider_of(organization_id: int) -> IdentityProvider | None:
    return IdentityProvider.objects.filter(organization_id=organization_id).first()


@atomic_service
def save_provider(
    *, actor: Membership, issuer: str, client_id: str, client_secret: str = "", display_name: str = "", request=None
) -> IdentityProvider:
    """Set up or change the organization's OpenID provider. The issuer is checked by reading its
    discovery document; an empty secret keeps the stored one (it is never shown again)."""
    _require_admin(actor)
    issuer = clean_text(issuer, field="issuer", max_length=500, required=True)
    client_id = clean_text(client_id, field="client_id", max_length=255, required=True)
    display_name = clean_text(display_name, field="display_name", max_length=80)
    client_secret = (client_secret or "").strip()
    if len(client_secret) > 2000:
        raise ValidationError({"client_secret": [_("This secret is too long.")]})
    current = provider_of(actor.organization_id)
    if not client_secret and (current is None or current.protocol != Protocol.OIDC):
        raise ValidationError({"client_secret": [_("Enter the client secret your provider gave you.")]})
    document = discovery.fetch_configuration(issuer)
    fields = {
        "protocol": Protocol.OIDC,
        "issuer": document["issuer"],
        "client_id": client_id,
        "display_name": display_name,
        "saml_sign_in_url": "",
        "saml_certificate": "",
    }
    if client_secret:
        fields["client_secret_encrypted"] = sealing.seal(client_secret)
    return _store_provider(actor, fields, request=request)


@atomic_service
def save_saml_provider(*, actor: Membership, metadata: str, display_name: str = "", request=None) -> IdentityProvider:
    """Set up or change the organization's SAML identity provider from the metadata XML it publishes
    (empty metadata keeps what was read before)."""
    _require_admin(actor)
    display_name = clean_text(display_name, field="display_name", max_length=80)
    current = provider_of(actor.organization_id)
    if not (metadata or "").strip() and current is not None and current.protocol == Protocol.SAML:
        return _store_provider(actor, {"display_name": display_name}, request=request)
    found = saml.read_metadata(metadata, allowed_http_hosts=outbound_allowed_hosts())
    fields = {
        "protocol": Protocol.SAML,
        "issuer": found.entity_id,
        "saml_sign_in_url": found.sign_in_url,
        "saml_certificate": found.certificate,
        "display_name": display_name,
        "client_id": "",
        "client_secret_encrypted": "",
    }
    return _store_provider(actor, fields, request=request)


def outbound_allowed_hosts() -> list[str]:
    """Hosts an instance lets Lodestar reach over plain http (an intranet provider, the tests')."""
    return [host for host in settings.LODESTAR_OUTBOUND_ALLOWED if "/" not in host]


def _store_provider(actor: Membership, fields: dict, *, request) -> IdentityProvider:
    """Create or change the provider; the audit log gets what changed (never a secret)."""
    provider = IdentityProvider.objects.select_for_update().filter(organization_id=actor.organization_id).first()
    if provider is None:
        provider = IdentityProvider.objects.create(
            organization_id=actor.organization_id, configured_by=actor.user, **fields
        )
        details = {"protocol": provider.protocol, "issuer": provider.issuer}
        if provider.client_id:
            details["client_id"] = provider.client_id
        record(actor.organization, "sso.configured", actor=actor, target=provider, details=details, request=request)
        return provider
    changes = {}
    for name, value in fields.items():
        if getattr(provider, name) == value:
            continue
        if name == "client_secret_encrypted":
            changes["client_secret"] = "replaced" if value else "removed"  # never the secret itself
        elif name == "saml_certificate":
            changes[name] = "replaced" if value else "removed"
        else:
            changes[name] = [getattr(provider, name), value]
        setattr(provider, name, value)
    if "issuer" in changes or "protocol" in changes:
        # Subjects are unique per issuer only: links to the old provider mean nothing at the new one.
        SocialAccount.objects.filter(provider=provider.provider_id).delete()
    provider.configured_by = actor.user
    provider.save()
    if changes:
        record(actor.organization, "sso.changed", actor=actor, target=provider, details=changes, request=request)
    return provider


@atomic_service
def save_policy(*, actor: Membership, join_policy: str, sso_required: bool, request=None) -> IdentityProvider:
    _require_admin(actor)
    provider = IdentityProvider.objects.select_for_update().filter(organization_id=actor.organization_id).first()
    if provider is None:
        raise ValidationError({"join_policy": [_("Set up the identity provider first.")]})
    join_policy = clean_choice(join_policy, field="join_policy", choices=JoinPolicy)
    sso_required = bool(sso_required)
    if sso_required and not verified_domains(actor.organization_id):
        raise ValidationError(
            {"sso_required": [_("Verify at least one e-mail domain before requiring single sign-on.")]}
        )
    changes = {}
    if provider.join_policy != join_policy:
        changes["join_policy"] = [provider.join_policy, join_policy]
    if provider.sso_required != sso_required:
        changes["sso_required"] = [provider.sso_required, sso_required]
    provider.join_policy, provider.sso_required = join_policy, sso_required
    provider.save(update_fields=["join_policy", "sso_required", "updated_at"])
    if changes:
        record(actor.organization, "sso.changed", actor=actor, target=provider, details=changes, request=request)
    return provider


@atomic_service
def remove_provider(*, actor: Membership, request=None) -> None:
    """Single sign-on off: the provider, its secret and every account link to it go; password
    sign-in is allowed again."""
    _require_admin(actor)
    provider = IdentityProvider.objects.select_for_update().filter(organization_id=actor.organization_id).first()
    if provider is None:
        raise NotFound
    SocialAccount.objects.filter(provider=provider.provider_id).delete()
    record(
        actor.organization,
        "sso.removed",
        actor=actor,
        target=provider,
        details={"protocol": provider.protocol, "issuer": provider.issuer},
        request=request,
    )
    provider.delete()


# --- e-mail domains ----------------------------------------------------------------------------


def verified_domains(organization_id: int) -> list[str]:
    return list(
        EmailDomain.objects.filter(organization_id=organization_id, verified_at__isnull=False).values_list(
            "domain", flat=True
        )
    )


def _verified_elsewhere(domain: str, organization_id: int) -> bool:
    with all_organizations():  # whether another organization proved it first; nothing of it is shown
        return (
            EmailDomain.objects.filter(domain=domain, verified_at__isnull=False)
            .exclude(organization_id=organization_id)
            .exists()
        )


@atomic_service
def add_domain(*, actor: Membership, domain: str, request=None) -> EmailDomain:
    _require_admin(actor)
    domain = rules.normalize_domain(domain)
    if EmailDomain.objects.filter(organization_id=actor.organization_id, domain=domain).exists():
        raise ValidationError({"domain": [_("%(domain)s is on the list already.") % {"domain": domain}]})
    if _verified_elsewhere(domain, actor.organization_id):
        raise ValidationError({"domain": [_("%(domain)s is verified by another organization.") % {"domain": domain}]})
    found = EmailDomain.objects.create(
        organization_id=actor.organization_id, domain=domain, token=secrets.token_urlsafe(24)
    )
    record(
        actor.organization, "sso.changed", actor=actor, target=found, details={"domain_added": domain}, request=request
    )
    return found


def txt_records(domain: str) -> list[str]:
    """The TXT records of ``domain`` (the tests replace this function)."""
    import dns.exception
    import dns.resolver

    try:
        answer = dns.resolver.resolve(domain, "TXT", lifetime=5)
    except (dns.exception.DNSException, OSError):
        return []
    return [b"".join(rdata.strings).decode("utf-8", "replace") for rdata in answer]


def _mark_verified(found: EmailDomain, method: str) -> None:
    if _verified_elsewhere(found.domain, found.organization_id):
        raise ValidationError(
            {"domain": [_("%(domain)s is verified by another organization.") % {"domain": found.domain}]}
        )
    found.verified_at, found.verified_by = timezone.now(), method
    try:
        found.save(update_fields=["verified_at", "verified_by", "last_checked_at"])
    except IntegrityError:  # another organization verified it at the same moment
        raise ValidationError(
            {"domain": [_("%(domain)s is verified by another organization.") % {"domain": found.domain}]}
        ) from None


@atomic_service
def check_domain(*, actor: Membership, domain: EmailDomain, request=None) -> bool:
    """Look for the TXT record ``lodestar-verification=<token>`` on the domain; True when found."""
    _require_admin(actor)
    if domain.organization_id != actor.organization_id:
        raise NotFound
    if domain.is_verified:
        return True
    domain.last_checked_at = timezone.now()
    if domain.txt_record not in [record_.strip() for record_ in txt_records(domain.domain)]:
        domain.save(update_fields=["last_checked_at"])
        return False
    _mark_verified(domain, EmailDomain.Method.DNS)
    record(
        actor.organization,
        "sso.changed",
        actor=actor,
        target=domain,
        details={"domain_verified": domain.domain, "by": "dns"},
        request=request,
    )
    return True


@atomic_service
def remove_domain(*, actor: Membership, domain: EmailDomain, request=None) -> None:
    _require_admin(actor)
    if domain.organization_id != actor.organization_id:
        raise NotFound
    provider = provider_of(actor.organization_id)
    if provider is not None and provider.sso_required and verified_domains(actor.organization_id) == [domain.domain]:
        raise NotAllowed(_("Single sign-on is required: turn that off before removing the last verified domain."))
    record(
        actor.organization,
        "sso.changed",
        actor=actor,
        target=domain,
        details={"domain_removed": domain.domain},
        request=request,
    )
    domain.delete()


@atomic_service
def verify_domain_as_operator(*, organization: Organization, domain: str) -> EmailDomain:
    """``lodestar verify_domain``: the instance operator vouches for the domain (no DNS record)."""
    domain = rules.normalize_domain(domain)
    found = EmailDomain.objects.filter(organization=organization, domain=domain).first()
    if found is None:
        found = EmailDomain.objects.create(organization=organization, domain=domain, token=secrets.token_urlsafe(24))
    if not found.is_verified:
        _mark_verified(found, EmailDomain.Method.OPERATOR)
        record(organization, "sso.changed", target=found, details={"domain_verified": domain, "by": "operator"})
    return found


# --- signing in --------------------------------------------------------------------------------


def find_provider(provider_id: str) -> IdentityProvider | None:
    """The provider allauth names in a sign-in (``lodestar-<organization id>``)."""
    prefix = "lodestar-"
    if not provider_id.startswith(prefix) or not provider_id[len(prefix) :].isdecimal():
        return None
    with all_organizations():  # the sign-in names the organization through its provider id
        return (
            IdentityProvider.objects.filter(organization_id=int(provider_id[len(prefix) :]))
            .select_related("organization")
            .first()
        )


def provider_for_email(email: str) -> IdentityProvider | None:
    """The provider of the organization that verified the address's domain, if any."""
    domain = rules.domain_of(email)
    if not domain:
        return None
    with all_organizations():  # the address decides the organization; a domain is verified by one at most
        found = EmailDomain.objects.filter(domain=domain, verified_at__isnull=False).first()
        if found is None:
            return None
        return (
            IdentityProvider.objects.filter(organization_id=found.organization_id)
            .select_related("organization")
            .first()
        )


class Refused(Exception):
    """A sign-in the organization's rules do not let in; ``reason`` is the audit log's code."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason, self.message = reason, message


@dataclasses.dataclass(frozen=True)
class Admitted:
    user: object
    membership: Membership
    joined: bool


def _pending_invitation(organization_id: int, email: str) -> Invitation | None:
    now = timezone.now()
    return (
        Invitation.objects.filter(
            organization_id=organization_id, email__iexact=email, state=Invitation.State.PENDING, expires_at__gt=now
        )
        .order_by("-created_at")
        .first()
    )


def _fresh_invited_account(user) -> bool:
    """An account an invitation made that nobody has used yet (no password, never signed in)."""
    return not user.has_usable_password() and user.last_login is None


def check_claims(provider: IdentityProvider, *, issuer: str, claims: dict) -> str:
    """The verified address the claims carry, else Refused."""
    if not rules.same_issuer(issuer, provider.issuer):
        raise Refused("foreign_issuer", _("This sign-in came from another identity provider than your organization's."))
    email = str(claims.get("email") or "").strip().lower()
    if not email or not rules.domain_of(email):
        raise Refused("no_email", _("Your identity provider did not send an e-mail address."))
    # A SAML identity provider sends no such claim: the assertion, signed with the key the
    # organization's admin registered, is its word for an address of a domain the organization proved.
    if provider.protocol == Protocol.OIDC and not rules.email_is_verified(claims):
        raise Refused(
            "email_unverified",
            _(
                "Your identity provider does not confirm that %(email)s is verified, so Lodestar cannot let you in with it."
            )
            % {"email": email},
        )
    if rules.domain_of(email) not in verified_domains(provider.organization_id):
        raise Refused(
            "domain_not_verified",
            _("%(email)s is not an address of a domain %(organization)s has verified.")
            % {"email": email, "organization": provider.organization.name},
        )
    return email


@atomic_service
def admit(*, provider: IdentityProvider, issuer: str, claims: dict, linked_user=None, request=None) -> Admitted:
    """Who this sign-in is, joining them to the organization where its rules allow; else Refused.
    Runs inside the organization's scope."""
    organization = provider.organization
    email = check_claims(provider, issuer=issuer, claims=claims)
    user = linked_user or confirmed_account(email)
    if user is None:
        holder = holder_of(email)
        if holder is not None and not _fresh_invited_account(holder):
            raise Refused(
                "account_unconfirmed",
                _(
                    "An account with %(email)s exists, but its address was never confirmed. Sign in with its "
                    "password and confirm the address, or ask an admin."
                )
                % {"email": email},
            )
        user = holder
    if user is not None and not user.is_active:
        raise Refused("account_disabled", _("This account is disabled. Ask whoever runs this Lodestar."))
    joined = False
    invitation = _pending_invitation(organization.pk, email)
    if invitation is not None:
        user = user or _new_account(email, claims)
        if not is_confirmed(user, email):
            mark_confirmed(user, email)  # the provider verified it for a domain this organization proved
        try:
            membership = onboarding.accept_as_signed_in(invitation=invitation, user=user)
        except (NotAllowed, ValidationError) as error:
            raise Refused("invitation_closed", str(getattr(error, "messages", [error])[0])) from None
        joined = True
    else:
        membership = (
            Membership.objects.filter(organization=organization, user=user).select_related("user").first()
            if user is not None
            else None
        )
        if membership is not None and not membership.is_active:
            raise Refused(
                "deactivated",
                _("Your membership in %(organization)s was deactivated. Ask an admin to reactivate it.")
                % {"organization": organization.name},
            )
        if membership is None:
            if provider.join_policy != JoinPolicy.DOMAIN:
                raise Refused(
                    "not_invited",
                    _("%(organization)s lets in only people it invited. Ask an admin for an invitation.")
                    % {"organization": organization.name},
                )
            user = user or _new_account(email, claims)
            membership = Membership.objects.create(organization=organization, user=user, role=Role.MEMBER)
            record(
                organization,
                "member.added",
                actor=user,
                target=membership,
                details={"via": provider.protocol, "role": Role.MEMBER},
                request=request,
            )
            joined = True
        if not is_confirmed(user, email) and _fresh_invited_account(user):
            mark_confirmed(user, email)
    return Admitted(user=user, membership=membership, joined=joined)


def _new_account(email: str, claims: dict):
    user = get_user_model()(email=email, full_name=rules.display_name(claims) or onboarding.name_from_address(email))
    user.set_unusable_password()
    user.save()
    mark_confirmed(user, email)
    return user


def record_refusal(provider: IdentityProvider, reason: str, *, email: str = "", detail: str = "", request=None) -> None:
    """A refused sign-in in the organization's audit log (its own transaction: the refusal stays);
    ``detail`` is the provider library's reason (e.g. "Signature validation failed"), for admins."""
    details = {"method": provider.protocol, "reason": reason}
    if email:
        details["email"] = email[:254]
    if detail:
        details["detail"] = detail[:300]
    record(provider.organization, "signin.refused", details=details, request=request)


# --- password sign-in --------------------------------------------------------------------------


def organizations_requiring_sso(user) -> list[Organization]:
    """The organizations where ``user`` is an active member other than an owner and single sign-on
    is required: password sign-in is off for them. Owners keep the password (break-glass)."""
    with all_organizations():  # the person's own memberships, before any organization is chosen
        org_ids = (
            Membership.objects.filter(user=user, is_active=True).exclude(role=Role.OWNER).values("organization_id")
        )
        return [
            provider.organization
            for provider in IdentityProvider.objects.filter(
                organization_id__in=org_ids, sso_required=True
            ).select_related("organization")
        ]


def requires_sso_for_address(email: str) -> IdentityProvider | None:
    provider = provider_for_email(email)
    return provider if provider is not None and provider.sso_required else None


def provider_id(organization_id: int) -> str:
    return provider_id_for(organization_id)


def signed_in(sender, request, user, sociallogin=None, **kwargs) -> None:
    """``user_logged_in`` receiver: a sign-in through an organization's provider is logged there."""
    if sociallogin is None:
        return
    found = find_provider(sociallogin.account.provider or "")
    if found is None:
        return
    with organization_scope(found.organization):
        membership = Membership.objects.filter(organization=found.organization, user=user).first()
        record(
            found.organization,
            "signin.succeeded",
            actor=user,
            target=membership,
            target_label=str(user),
            details={"method": found.protocol},
            request=request,
        )
