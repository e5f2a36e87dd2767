"""Pure rules of single sign-on: domains, issuers and the claims a provider sends."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_domain(value: str) -> str:
    """A domain as typed ("Example.COM.", "@example.com") in its stored form, else ValidationError."""
    domain = (value or "").strip().lower().lstrip("@").rstrip(".")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        domain = "!"  # refused below
    labels = domain.split(".")
    if len(domain) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise ValidationError(
            {"domain": [_("“%(value)s” is not a domain name such as example.com.") % {"value": value}]}
        )
    return domain


def domain_of(email: str) -> str:
    """The domain part of an address, lower-case ("" when there is none)."""
    local, at, domain = (email or "").strip().rpartition("@")
    if not at or not local:
        return ""
    try:
        return domain.lower().rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        return ""


def same_issuer(one: str, other: str) -> bool:
    """Issuers compare as strings (OpenID Connect Core 3.1.3.7); a trailing slash typed or not is
    the same issuer."""
    return bool(one) and bool(other) and one.rstrip("/") == other.rstrip("/")


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def email_is_verified(claims: dict) -> bool:
    """Only ``email_verified: true`` counts (a string "true" from some providers too), or Microsoft
    Entra ID's ``xms_edov: true`` (the address's domain is verified by the tenant; Entra sends no
    ``email_verified``). A missing claim is not a proof."""
    return any(_is_true(claims.get(name)) for name in ("email_verified", "xms_edov"))


def _is_true(value) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def display_name(claims: dict) -> str:
    name = str(claims.get("name") or "").strip()
    if not name:
        name = " ".join(str(claims.get(key) or "").strip() for key in ("given_name", "family_name")).strip()
    return name[:150]
