"""A company starts on its own, as the issue's "done" walks it: create_organization prints the
owner's link; the owner sets a password and lands in the empty organization; imports the
150-person organization chart (the preview names its 3 bad rows first); the invitations go out;
an invitee accepts and lands on My goals — in English and in German."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from lodestar.onboarding.tasks import deliver_invitations
from lodestar.orgs.models import Membership
from tests.browser.conftest import screenshot
from tests.browser.test_people_import import company_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-new-secret"
MY_GOALS = {"en": "My goals", "de": "Meine Ziele"}
ORGANIZATION = "/acme-gmbh/"


def owner_link(language: str) -> str:
    out = io.StringIO()
    call_command(
        "create_organization",
        *("--name", "Acme GmbH", "--owner-email", "owner@acme.test", "--language", language),
        stdout=out,
    )
    return re.search(r"/invitations/\S+/", out.getvalue()).group(0)


def join(page, url: str, name: str) -> None:
    page.goto(url)
    page.locator("input[name=full_name]").fill(name)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button.button-primary, .entrance form button.button-primary").first.click()
    page.wait_for_load_state()


def import_the_organization_chart(page, base: str, upload, language: str) -> None:
    page.goto(f"{base}{ORGANIZATION}people/import/")
    page.locator("input[type=file][name=file]").set_input_files(str(upload))
    page.locator("main form button.button-primary").first.click()
    page.wait_for_url(re.compile(r"/people/import/\d+/$"))
    bad_rows = page.locator(".import-rows tbody tr")
    assert [bad_rows.nth(index).locator("td").first.inner_text() for index in range(3)] == ["25", "75", "140"]
    assert Membership.objects.filter(organization__slug="acme-gmbh").count() == 1  # the preview saved nothing
    screenshot(page, f"first-hour-import-preview-{language}")
    page.locator("input[name=skip_errors]").check()
    page.locator("form:has(input[name=skip_errors]) button.button-primary").click()
    page.wait_for_url(f"{base}{ORGANIZATION}people/")


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_company_starts_on_its_own_and_its_first_invitee_lands_on_my_goals(
    live_server, browser, page, language, tmp_path
):
    join(page, live_server.url + owner_link(language), "Anna Schmidt")
    assert page.url == f"{live_server.url}{ORGANIZATION}"
    assert page.get_by_role("heading", name=MY_GOALS[language]).is_visible()
    screenshot(page, f"first-hour-owner-home-{language}")

    mail.outbox.clear()
    import_the_organization_chart(page, live_server.url, company_file(tmp_path / "people.csv"), language)
    assert Membership.objects.filter(organization__slug="acme-gmbh").count() == 1 + 147
    deliver_invitations.call()
    assert len(mail.outbox) == 147
    [invitation] = [message for message in mail.outbox if message.to[0].endswith("<person7@acme.test>")]
    link = re.search(r"http://[^/\s]+(/invitations/\S+/)", invitation.body).group(1)

    invitee = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    invitee.goto(live_server.url + link)
    screenshot(invitee, f"first-hour-accept-{language}")
    join(invitee, live_server.url + link, "Person Sieben")
    assert invitee.url == f"{live_server.url}{ORGANIZATION}"
    assert invitee.get_by_role("heading", name=MY_GOALS[language]).is_visible()
    invitee.context.close()


def test_an_admin_invites_one_person_with_a_personal_message(live_server, browser, page):
    join(page, live_server.url + owner_link("en"), "Anna Schmidt")
    page.goto(f"{live_server.url}{ORGANIZATION}people/invite/")
    page.locator("textarea[name=addresses]").fill("Jonas Weber <jonas@acme.example>")
    page.locator("textarea[name=message]").fill("Welcome, Jonas!")
    screenshot(page, "first-hour-invite")
    page.locator("main form button.button-primary").click()
    page.wait_for_url(f"{live_server.url}{ORGANIZATION}people/invitations/")
    assert page.get_by_text("jonas@acme.example").first.is_visible()
    screenshot(page, "first-hour-invitations")
    mail.outbox.clear()
    deliver_invitations.call()
    [invitation] = mail.outbox
    assert "Welcome, Jonas!" in invitation.body
