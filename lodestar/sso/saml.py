"""SAML 2.0: reading an identity provider's metadata, and what Lodestar asks of its assertions.

python3-saml (through allauth's ``saml`` provider) checks the signature, the issuer, the audience,
the recipient and the validity window of each response; ``app_settings`` makes it strict: the
assertion itself must be signed, deprecated algorithms are refused, sign-ins the identity
provider starts on its own (without a request from Lodestar) are refused."""

import base64
import binascii
import dataclasses
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml.etree import XMLSyntaxError
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

MAX_METADATA_LENGTH = 200_000

# Where the common identity providers put the address and the name (Entra ID and ADFS, Okta,
# Google Workspace, Keycloak, Shibboleth). The first attribute present wins.
ATTRIBUTES = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
    "email": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "urn:oid:0.9.2342.19200300.100.1.3",
        "email",
        "mail",
        "emailAddress",
    ],
    "name": [
        "http://schemas.microsoft.com/identity/claims/displayname",
        "urn:oid:2.16.840.1.113730.3.1.241",
        "displayName",
        "name",
    ],
    "given_name": ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "urn:oid:2.5.4.42", "firstName"],
    "family_name": ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "urn:oid:2.5.4.4", "lastName"],
}


@dataclasses.dataclass(frozen=True)
class IdentityProviderMetadata:
    entity_id: str
    sign_in_url: str
    certificate: str  # base64 DER, as in the metadata


def _metadata_error(message: str) -> ValidationError:
    return ValidationError({"metadata": [message]})


def read_metadata(xml: str, *, allowed_http_hosts: list[str]) -> IdentityProviderMetadata:
    """The entity ID, the HTTP-Redirect sign-in URL and the signing certificate the metadata names,
    else ValidationError. No document type or entity is read (python3-saml forbids them)."""
    xml = (xml or "").strip()
    if not xml:
        raise _metadata_error(_("Paste the metadata XML your identity provider gives you."))
    if len(xml) > MAX_METADATA_LENGTH:
        raise _metadata_error(_("This metadata is too long for an identity provider's."))
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(
            xml.encode("utf-8"), required_sso_binding=OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT
        )
    except (XMLSyntaxError, ValueError):  # defusedxml's refusals of a DTD or an entity are ValueErrors
        raise _metadata_error(_("This is not SAML metadata: the XML cannot be read.")) from None
    idp = parsed.get("idp") or {}
    entity_id = str(idp.get("entityId") or "").strip()
    if not entity_id:
        raise _metadata_error(_("The metadata describes no identity provider (no IDPSSODescriptor with an entityID)."))
    if len(entity_id) > 500:
        raise _metadata_error(_("The identity provider's entity ID is too long."))
    sign_in_url = str((idp.get("singleSignOnService") or {}).get("url") or "").strip()
    if not sign_in_url:
        raise _metadata_error(_("The metadata names no sign-in URL with the HTTP-Redirect binding."))
    _check_sign_in_url(sign_in_url, allowed_http_hosts)
    certificate = _signing_certificate(idp)
    return IdentityProviderMetadata(entity_id=entity_id, sign_in_url=sign_in_url, certificate=certificate)


def _check_sign_in_url(url: str, allowed_http_hosts: list[str]) -> None:
    parts = urlsplit(url)
    if len(url) > 500 or not parts.hostname:
        raise _metadata_error(_("The metadata's sign-in URL is not a web address."))
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and parts.hostname in allowed_http_hosts:
        return
    raise _metadata_error(_("The metadata's sign-in URL must start with https://."))


def _signing_certificate(idp: dict) -> str:
    certificate = idp.get("x509cert") or ((idp.get("x509certMulti") or {}).get("signing") or [""])[0]
    certificate = "".join(str(certificate or "").split())
    if not certificate:
        raise _metadata_error(_("The metadata holds no signing certificate."))
    try:
        x509.load_der_x509_certificate(_base64_decode(certificate))
    except ValueError:
        raise _metadata_error(_("The metadata's signing certificate cannot be read.")) from None
    return certificate


def _base64_decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise ValueError(str(error)) from None


def fingerprint(certificate: str) -> str:
    """SHA-256 fingerprint of a base64 DER certificate, as identity providers show it (AB:CD:…)."""
    digest = x509.load_der_x509_certificate(_base64_decode(certificate)).fingerprint(hashes.SHA256())
    return ":".join(f"{byte:02X}" for byte in digest)


def app_settings(*, entity_id: str, sign_in_url: str, certificate: str) -> dict:
    """allauth's SAML app settings for an organization's identity provider."""
    return {
        "idp": {"entity_id": entity_id, "sso_url": sign_in_url, "x509cert": certificate},
        "attribute_mapping": ATTRIBUTES,
        "advanced": {
            "strict": True,
            "want_assertion_signed": True,
            "reject_deprecated_algorithm": True,
            "reject_idp_initiated_sso": True,
            "want_attribute_statement": False,  # an address in the NameID alone is enough
            "allow_single_label_domains": True,  # an intranet install may be reached as http://okr/
        },
    }


def claims(attributes: dict, *, fallback_email: str = "") -> dict:
    """The OpenID-style claims ``services.admit`` reads, from a SAML assertion's attributes (lists
    of values); without an address attribute, ``fallback_email`` (an address as the NameID)."""
    found = {"email": fallback_email}
    for claim in ("email", "name", "given_name", "family_name"):
        for attribute in ATTRIBUTES[claim]:
            values = attributes.get(attribute) or []
            if values and str(values[0]).strip():
                found[claim] = str(values[0]).strip()
                break
    return found
