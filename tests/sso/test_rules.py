"""The pure rules of single sign-on."""

import pytest
from django.core.exceptions import ValidationError

from lodestar.sso import rules, sealing


@pytest.mark.parametrize(
    ("claims", "verified"),
    [
        ({"email_verified": True}, True),
        ({"email_verified": "true"}, True),
        ({"xms_edov": True}, True),
        ({"email_verified": False}, False),
        ({"email_verified": "false"}, False),
        ({"email_verified": 1}, False),
        ({"email_verified": "yes"}, False),
        ({}, False),
    ],
)
def test_only_a_true_claim_proves_an_address(claims, verified):
    assert rules.email_is_verified(claims) is verified


def test_domains():
    assert rules.normalize_domain(" @Acme.TEST. ") == "acme.test"
    assert rules.normalize_domain("bücher.de") == "xn--bcher-kva.de"
    for bad in ("localhost", "1.2.3.4", "a..b", "-a.com", "exa mple.com", ""):
        with pytest.raises(ValidationError):
            rules.normalize_domain(bad)
    assert rules.domain_of("Ann@Acme.Test") == "acme.test"
    assert rules.domain_of("no-at-sign") == "" and rules.domain_of("@acme.test") == ""


def test_issuers_compare_exactly_but_for_a_trailing_slash():
    assert rules.same_issuer("https://idp.test/realms/a", "https://idp.test/realms/a/")
    assert not rules.same_issuer("https://idp.test/realms/a", "https://idp.test/realms/b")
    assert not rules.same_issuer("", "")


def test_a_sealed_secret_opens_with_the_same_key_only(settings):
    sealed = sealing.seal("top-secret")
    assert "top-secret" not in sealed and sealing.unseal(sealed) == "top-secret"
    settings.SECRET_KEY = "another-key-entirely-0123456789"
    assert sealing.unseal(sealed) is None
