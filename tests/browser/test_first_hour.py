"""A company starts on its own: the owner's link from create_organization, a password, an empty
organization, an invitation, and the invitee landing on My goals — in English and in German."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from lodestar.onboarding.tasks import deliver_invitations
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-new-secret"
MY_GOALS = {"en": "My goals", "de": "Meine Ziele"}


def owner_link(language: str) -> str:
    out = io.StringIO()
    call_command(
        "create_organization",
        "--name",
        "Acme GmbH",
        "--owner-email",
        "anna@acme.example",
        "--language",
        language,
        stdout=out,
    )
    return re.search(r"/invitations/\S+/", out.getvalue()).group(0)


def join(page, url: str, name: str) -> None:
    page.goto(url)
    page.locator("input[name=full_name]").fill(name)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("form button.button-primary").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_company_starts_on_its_own_and_its_first_invitee_lands_on_my_goals(live_server, browser, page, language):
    join(page, live_server.url + owner_link(language), "Anna Schmidt")
    assert page.url == f"{live_server.url}/acme-gmbh/"
    assert page.get_by_role("heading", name=MY_GOALS[language]).is_visible()
    screenshot(page, f"first-hour-owner-home-{language}")

    page.goto(f"{live_server.url}/acme-gmbh/people/invite/")
    page.locator("textarea[name=addresses]").fill("Jonas Weber <jonas@acme.example>")
    page.locator("textarea[name=message]").fill("Welcome, Jonas!")
    screenshot(page, f"first-hour-invite-{language}")
    page.locator("main form button.button-primary").click()
    page.wait_for_url(f"{live_server.url}/acme-gmbh/people/invitations/")
    assert page.get_by_text("jonas@acme.example").first.is_visible()
    screenshot(page, f"first-hour-invitations-{language}")

    mail.outbox.clear()
    deliver_invitations.call()
    [invitation] = mail.outbox
    assert "Welcome, Jonas!" in invitation.body
    link = re.search(r"http://[^/\s]+(/invitations/\S+/)", invitation.body).group(1)

    invitee = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    invitee.goto(live_server.url + link)
    screenshot(invitee, f"first-hour-accept-{language}")
    join(invitee, live_server.url + link, "Jonas Weber")
    assert invitee.url == f"{live_server.url}/acme-gmbh/"
    assert invitee.get_by_role("heading", name=MY_GOALS[language]).is_visible()
    invitee.context.close()
