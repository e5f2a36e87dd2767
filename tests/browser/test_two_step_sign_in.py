"""Two-step sign-in in a real browser: an organization that requires it leads a person to set up an
authenticator app (scan, type the app's code), and the next sign-in asks for the code. A passkey,
made by Chromium's virtual authenticator (WebAuthn needs a secure context: http://localhost is one),
signs in without a password. Nothing breaks the Content Security Policy."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from lodestar.orgs.models import Organization, SecondFactorPolicy
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(secret: str, *, step: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    return violations


def sign_out(page) -> None:
    page.context.clear_cookies()


def test_an_organization_that_requires_it_leads_to_an_authenticator_app_and_the_next_sign_in_asks_for_it(
    live_server, page, cast
):
    Organization.objects.filter(pk=cast.acme.pk).update(second_factor_required_for=SecondFactorPolicy.EVERYONE)
    violations = watch_csp(page)
    sign_in(page, live_server, "member@acme.test")
    page.wait_for_url(f"{live_server.url}/accounts/2fa/")
    assert page.get_by_text("Acme asks everyone to sign in with a second factor.").is_visible()
    screenshot(page, "mfa-required")
    page.get_by_role("link", name="Set up an authenticator app").click()

    page.get_by_label("Password").fill(PASSWORD)  # changing how one signs in asks for the password again
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/2fa/totp/activate/")
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    page.get_by_text("Cannot scan? Type the key instead").click()
    secret = page.locator("#authenticator_secret").inner_text().strip()
    screenshot(page, "mfa-set-up")
    page.get_by_label("Type the 6-digit code the app shows").fill(app_code(secret))
    page.get_by_role("button", name="Turn on").click()

    page.wait_for_url("**/2fa/recovery-codes/")
    assert page.locator(".recovery-codes li").count() == 10
    screenshot(page, "mfa-recovery-codes")
    page.get_by_role("link", name="I have saved them: continue").click()
    page.wait_for_url(f"{live_server.url}/acme/")
    assert page.get_by_role("heading", name="My goals").is_visible()

    sign_out(page)
    sign_in(page, live_server, "member@acme.test")
    page.wait_for_url("**/2fa/authenticate/")
    screenshot(page, "mfa-sign-in")
    page.get_by_label("Code").fill("000000" if app_code(secret, step=1) != "000000" else "111111")
    page.get_by_role("button", name="Sign in", exact=True).click()
    assert page.get_by_text("Incorrect code.").is_visible()
    page.get_by_label("Code").fill(app_code(secret, step=1))  # the current one was used to set it up
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/acme/")
    assert page.get_by_role("heading", name="My goals").is_visible()
    assert violations == []


def add_virtual_authenticator(page) -> None:
    """Chromium's built-in software authenticator: a platform passkey that says yes at once."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_passkey_signs_in_without_a_password(live_server, page, cast):
    violations = watch_csp(page)
    add_virtual_authenticator(page)
    sign_in(page, live_server, "member@acme.test")
    page.wait_for_url(f"{live_server.url}/acme/")
    page.goto(f"{live_server.url}/accounts/2fa/webauthn/add/")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/2fa/webauthn/add/")
    page.get_by_label("Name").fill("Work laptop")
    page.get_by_label("Also sign in with it instead of a password (passkey)").check()
    screenshot(page, "mfa-passkey-add")
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_url("**/2fa/recovery-codes/")  # the first factor comes with recovery codes
    page.goto(f"{live_server.url}/accounts/2fa/webauthn/")
    assert page.get_by_text("Work laptop").is_visible() and page.get_by_text("Passkey", exact=True).is_visible()

    sign_out(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url(f"{live_server.url}/acme/")
    assert page.get_by_role("heading", name="My goals").is_visible()

    sign_out(page)  # with the password, the passkey is the second step
    sign_in(page, live_server, "member@acme.test")
    page.wait_for_url("**/2fa/authenticate/")
    page.get_by_role("button", name="Use a passkey or security key").click()
    page.wait_for_url(f"{live_server.url}/acme/")
    assert violations == []


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("width", [1280, 375])
def test_the_two_step_pages_in_english_and_german_fit_a_phone(live_server, browser, cast, language, width):
    """The set-up page, the app's QR page, the sign-in step and the two settings pages, drawn (test-artifacts/screenshots/)."""
    Organization.objects.filter(pk=cast.acme.pk).update(second_factor_required_for=SecondFactorPolicy.ADMINS)
    user = cast.admin.user
    user.language = language
    user.save()
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="de-DE" if language == "de" else "en-GB"
    )
    page = context.new_page()
    violations = watch_csp(page)
    sign_in(page, live_server, "admin@acme.test")
    page.wait_for_url(f"{live_server.url}/accounts/2fa/")
    too_wide = {}

    def draw(name):
        screenshot(page, f"mfa-{name}-{language}-{width}")
        if page.evaluate("document.documentElement.scrollWidth") > width:
            too_wide[name] = page.evaluate("document.documentElement.scrollWidth")

    draw("required")
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/2fa/totp/activate/")
    page.locator("details summary").click()
    draw("set-up")
    secret = page.locator("#authenticator_secret").inner_text().strip()  # each visit makes a new one
    page.locator("#id_code").fill(app_code(secret))
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/2fa/recovery-codes/")
    for name, path in (
        ("settings", "/acme/settings/"),
        ("personal", "/acme/settings/personal/"),
        ("index", "/accounts/2fa/"),
    ):
        page.goto(f"{live_server.url}{path}")
        draw(name)
    context.clear_cookies()
    sign_in(page, live_server, "admin@acme.test")
    page.wait_for_url("**/2fa/authenticate/")
    draw("sign-in")
    context.close()
    assert too_wide == {} and violations == []
