"""Bulk onboarding in a real browser: a 150-person spreadsheet of the organization chart (groups,
leads, managers) with three bad rows is uploaded, the preview names the three rows, the admin
skips them and applies, and the invitations arrive."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from lodestar.onboarding.tasks import deliver_invitations
from lodestar.orgs.models import Group, GroupMembership, Membership
from tests.browser.conftest import SCREENSHOTS, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEPARTMENTS = ["Hardware", "Software", "Cloud", "Production", "Operations"]


def company_file(path):
    """150 people in five departments of three teams: department heads report to the owner, team
    leads to their head, everyone else to their team lead. Rows 25, 75 and 140 are wrong."""
    lines = ["Name;E-Mail;Gruppe;Rolle;Vorgesetzte(r);leitet;Position"]
    heads = {}
    leads = {}
    for number in range(150):
        row = number + 2  # the header is row 1
        department = DEPARTMENTS[number % 5]
        team = f"{department} / {department} {number % 3 + 1}"
        email = f"person{number}@acme.test"
        name = f"Person {number} Müller"
        if department not in heads:
            heads[department] = email
            line = [name, email, department, "Admin", "owner@acme.test", department, f"Head of {department}"]
        elif team not in leads:
            leads[team] = email
            line = [name, email, team, "Mitglied", heads[department], team, "Team lead"]
        else:
            line = [name, email, team, "Mitglied", leads[team], "", "Engineer"]
        if row == 25:
            line[1] = "person23.at.acme.test"  # not an address
        elif row == 75:
            line[4] = "nobody@acme.test"  # an unknown manager
        elif row == 140:
            line[3] = "Chef"  # no such role
        lines.append(";".join(line))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def test_an_admin_imports_the_organization_chart_and_the_invitations_go_out(live_server, page, cast, tmp_path):
    upload = company_file(tmp_path / "Mitarbeiter.csv")
    sign_in(page, live_server, "owner@acme.test")
    page.goto(f"{live_server.url}/acme/people/")
    page.get_by_role("link", name="Import people").click()
    expect(page.get_by_role("heading", name="Import people", exact=True)).to_be_visible()
    expect(page.get_by_label("Send the invitations when importing")).to_be_checked()
    expect(page.get_by_label("Deactivate people missing from the file")).not_to_be_checked()
    screenshot(page, "people-import-upload")

    page.get_by_label("Spreadsheet").set_input_files(str(upload))
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url(re.compile(r"/acme/people/import/\d+/$"))
    expect(page.locator(".import-summary .stat").nth(2).locator(".stat-value")).to_have_text("3")
    rows = page.locator(".import-rows tbody tr")
    for index, (row, message) in enumerate(
        [
            ("25", "“person23.at.acme.test” is not an e-mail address."),
            ("75", "Manager: nobody@acme.test is neither in the file nor a member."),
            ("140", "Role: “Chef” is none of member, admin, viewer or owner"),
        ]
    ):
        expect(rows.nth(index).locator("td").first).to_have_text(row)
        expect(rows.nth(index)).to_contain_text(message)
    assert Membership.objects.filter(organization=cast.acme).count() == 6  # nothing saved by the preview
    screenshot(page, "people-import-preview-with-errors")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "people-import-preview-top.png"))  # what the admin sees first

    page.get_by_role("button", name="Apply the import").click()
    expect(
        page.get_by_text("3 rows have errors: correct the file and upload it again, or skip those rows.")
    ).to_be_visible()
    page.get_by_label("Skip the rows with errors and import the others").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "people-import-apply-refused.png"))
    page.get_by_label("Skip the rows with errors and import the others").check()
    page.get_by_role("button", name="Apply the import").click()
    page.wait_for_url(f"{live_server.url}/acme/people/")
    expect(page.get_by_text(re.compile(r"Imported the file: 147 new.*3 rows with errors were skipped"))).to_be_visible()
    screenshot(page, "people-import-done")
    page.screenshot(path=str(SCREENSHOTS / "people-import-done-top.png"))

    assert Membership.objects.filter(organization=cast.acme, is_active=True).count() == 6 + 147
    assert Group.objects.filter(organization=cast.acme, parent__isnull=True, name__in=DEPARTMENTS).count() == 5
    assert (
        GroupMembership.objects.filter(organization=cast.acme, is_lead=True, group__parent__isnull=False).count() == 15
    )
    second_lead = Membership.objects.get(organization=cast.acme, user__email="person5@acme.test")
    assert second_lead.manager.user.email == "person0@acme.test"

    mail.outbox.clear()
    deliver_invitations.call()
    assert len(mail.outbox) == 147
    assert all("/invitations/" in message.body for message in mail.outbox)
