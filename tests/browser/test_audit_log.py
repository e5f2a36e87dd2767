"""The audit log in a real browser: an owner signs in (logged, from 127.0.0.1), changes a role,
a group and a webhook, someone mistypes a password; the log shows it all in English and German,
at desktop and phone width, filtered by a person, without breaking the Content Security Policy.
Screenshots: test-artifacts/screenshots/."""

import pytest

from lodestar.onboarding import services as onboarding
from lodestar.orgs import services as orgs
from lodestar.orgs.models import Role
from lodestar.webhooks import services as webhooks
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("width", [1280, 375])
def test_the_owner_reads_who_did_what_in_english_and_german(
    django_db_setup, live_server, browser, cast, language, width
):
    user = cast.owner.user
    user.language = language
    user.save()
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="de-DE" if language == "de" else "en-GB"
    )
    context.set_default_timeout(90_000)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))

    sign_in(page, live_server, "member@acme.test", "not-the-password")  # a failed sign-in, logged in Acme
    sign_in(page, live_server, "owner@acme.test")
    page.wait_for_url(f"{live_server.url}/acme/**")
    orgs.update_membership(actor=cast.owner, membership=cast.member, role=Role.ADMIN, job_title="Staff engineer")
    orgs.add_group_members(actor=cast.owner, group=cast.sales_group, people=[cast.member, cast.viewer])
    onboarding.invite(actor=cast.admin, email="nora.new@acme.test", role=Role.MEMBER)
    webhooks.create_webhook(
        actor=cast.admin,
        name="Warehouse",
        url="http://127.0.0.1:9/hooks/x",
        events=["check_in.created"],
        is_active=True,
    )

    page.goto(f"{live_server.url}/acme/settings/audit/")
    heading = "Audit-Protokoll" if language == "de" else "Audit log"
    assert page.locator("h1").inner_text() == heading
    table = page.locator("table.audit-table").inner_text()
    assert "127.0.0.1" in table
    assert ("Anmeldung fehlgeschlagen" if language == "de" else "Sign-in failed") in table
    assert ("Mitglied" if language == "de" else "Member") in table and "→" in table
    screenshot(page, f"audit-log-{language}-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1

    page.locator("#id_person").fill("member@acme.test")
    page.locator(".audit-filter-actions button[type=submit]").click()
    page.wait_for_url("**/settings/audit/?**")
    rows = page.locator("table.audit-table tbody tr")
    assert rows.count() >= 3  # the failed sign-in, the role change, the other change and the group
    screenshot(page, f"audit-log-person-{language}-{width}")
    assert violations == []
    context.close()
