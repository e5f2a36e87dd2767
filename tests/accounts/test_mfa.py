"""Two-step sign-in: an authenticator app (TOTP) with recovery codes, as a person uses it through
allauth's pages, and the audit log's entries for it. Codes are computed here the way an app does."""

import re
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from lodestar.audit.models import AuditEvent
from lodestar.orgs import services as orgs
from tests.conftest import PASSWORD, add_person

LOGIN = "/accounts/login/"
AUTHENTICATE = "/accounts/2fa/authenticate/"


def app_code(secret: str, *, step: int = 0) -> str:
    """The code an authenticator app shows now (``step`` periods of 30 s later or earlier)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def sign_in_with_password(client, email: str):
    return client.post(LOGIN, {"login": email, "password": PASSWORD})


def set_up_authenticator_app(client, email: str) -> tuple[str, list[str]]:
    """Sign in, scan (read the key off the page), type the app's code; the secret and the recovery codes."""
    assert sign_in_with_password(client, email).status_code == 302
    confirm = client.get(reverse("mfa_activate_totp"))  # changing how one signs in asks for the password again
    assert confirm.status_code == 302 and confirm.url.startswith(reverse("account_reauthenticate"))
    page = client.post(confirm.url, {"password": PASSWORD}, follow=True)
    assert page.status_code == 200
    secret = re.search(r'id="authenticator_secret">([A-Z2-7]+)<', page.content.decode()).group(1)
    response = client.post(reverse("mfa_activate_totp"), {"code": app_code(secret)})
    assert response.status_code == 302 and response.url == reverse("mfa_view_recovery_codes")
    codes = re.findall(r"<li><code>(\d+)</code></li>", client.get(response.url).content.decode())
    return secret, codes


def signed_out(client):
    client.post("/accounts/logout/")
    return client


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_person_sets_up_an_authenticator_app_and_keeps_ten_recovery_codes(client, cast):
    _secret, codes = set_up_authenticator_app(client, "member@acme.test")
    assert len(codes) == 10 and len(set(codes)) == 10
    user = cast.member.user
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    index = client.get(reverse("mfa_index")).content.decode()
    assert "Set up on" in index and "10 unused codes left" in index


def test_the_secret_is_stored_encrypted(client, cast):
    secret, _codes = set_up_authenticator_app(client, "member@acme.test")
    stored = Authenticator.objects.get(user=cast.member.user, type="totp").data["secret"]
    assert secret not in stored


def test_signing_in_asks_for_the_apps_code_after_the_password(client, cast):
    secret, _codes = set_up_authenticator_app(client, "member@acme.test")
    signed_out(client)
    response = sign_in_with_password(client, "member@acme.test")
    assert response.url == AUTHENTICATE
    assert not is_signed_in(client)
    assert client.get("/acme/").status_code == 302  # not in yet
    response = client.post(AUTHENTICATE, {"code": app_code(secret, step=1)})
    assert response.status_code == 302 and is_signed_in(client)
    assert client.get("/acme/").status_code == 200


def test_a_wrong_code_is_refused(client, cast):
    secret, _codes = set_up_authenticator_app(client, "member@acme.test")
    signed_out(client)
    sign_in_with_password(client, "member@acme.test")
    wrong = f"{(int(app_code(secret, step=1)) + 1) % 1_000_000:06d}"
    response = client.post(AUTHENTICATE, {"code": wrong})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not is_signed_in(client)


def test_a_code_is_accepted_once(client, cast):
    secret, _codes = set_up_authenticator_app(client, "member@acme.test")
    code = app_code(secret, step=1)
    signed_out(client)
    sign_in_with_password(client, "member@acme.test")
    client.post(AUTHENTICATE, {"code": code})
    assert is_signed_in(client)
    signed_out(client)
    sign_in_with_password(client, "member@acme.test")
    response = client.post(AUTHENTICATE, {"code": code})  # someone who watched it being typed
    assert "Incorrect code." in response.content.decode() and not is_signed_in(client)


def test_a_recovery_code_signs_in_once(client, cast):
    _secret, codes = set_up_authenticator_app(client, "member@acme.test")
    signed_out(client)
    sign_in_with_password(client, "member@acme.test")
    client.post(AUTHENTICATE, {"code": codes[0]})
    assert is_signed_in(client)
    assert "9 unused codes left" in client.get(reverse("mfa_index")).content.decode()
    signed_out(client)
    sign_in_with_password(client, "member@acme.test")
    response = client.post(AUTHENTICATE, {"code": codes[0]})
    assert "Incorrect code." in response.content.decode() and not is_signed_in(client)
    client.post(AUTHENTICATE, {"code": codes[1]})
    assert is_signed_in(client)


def test_new_recovery_codes_replace_the_old_ones_and_the_log_says_so(client, cast, django_capture_on_commit_callbacks):
    _secret, old = set_up_authenticator_app(client, "member@acme.test")
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after the commit
        response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302
    new = re.findall(r"<li><code>(\d+)</code></li>", client.get(reverse("mfa_view_recovery_codes")).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    signed_out(client)
    sign_in_with_password(client, "member@acme.test")
    client.post(AUTHENTICATE, {"code": old[0]})
    assert not is_signed_in(client)
    client.post(AUTHENTICATE, {"code": new[0]})
    assert is_signed_in(client)
    assert AuditEvent.objects.filter(organization=cast.acme, action="mfa.recovery_codes_renewed").count() == 1


def test_turning_the_app_off_signs_in_with_the_password_alone_again(client, cast):
    set_up_authenticator_app(client, "member@acme.test")
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=cast.member.user).exists()  # recovery codes went too
    signed_out(client)
    sign_in_with_password(client, "member@acme.test")
    assert is_signed_in(client)
    removed = AuditEvent.objects.filter(organization=cast.acme, action="mfa.removed")
    assert sorted(removed.values_list("details__kind", flat=True)) == ["recovery_codes", "totp"]


def test_wrong_codes_are_limited_per_person(client, cast):
    secret, _codes = set_up_authenticator_app(client, "member@acme.test")
    signed_out(client)
    sign_in_with_password(client, "member@acme.test")
    right = app_code(secret, step=1)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _attempt in range(5):
        client.post(AUTHENTICATE, {"code": wrong})
    response = client.post(AUTHENTICATE, {"code": right})
    assert "Too many failed" in response.content.decode()
    assert not is_signed_in(client)


def test_adding_an_app_is_logged_in_each_organization_of_the_person_and_nowhere_else(
    client, cast, django_capture_on_commit_callbacks
):
    add_person(cast.beta_owner, "member@acme.test", "Max Member")
    deactivated_in = add_person(cast.beta_owner, "lead@acme.test", "Lea Lead")
    orgs.update_membership(actor=cast.beta_owner, membership=deactivated_in, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after the commit
        set_up_authenticator_app(client, "member@acme.test")
    added = AuditEvent.objects.filter(action="mfa.added", details__kind="totp")
    assert sorted(added.values_list("organization__slug", flat=True)) == ["acme", "beta"]
    event = added.get(organization=cast.acme)
    assert event.actor == cast.member.user and event.ip_address == "127.0.0.1"

    signed_out(client)
    with django_capture_on_commit_callbacks(execute=True):
        set_up_authenticator_app(client, "lead@acme.test")  # no longer in Beta: Beta's log does not hear of it
    assert AuditEvent.objects.filter(action="mfa.added", details__kind="totp", organization=cast.beta).count() == 1
