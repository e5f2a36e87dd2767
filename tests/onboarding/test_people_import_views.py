"""The import pages and `lodestar import_people`: upload, a preview of every row (errors first),
apply, the invitations in the outbox; admins only, other organizations' imports not found."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from lodestar.onboarding.models import Invitation, PeopleImport
from lodestar.onboarding.people_import import services
from lodestar.orgs.models import Membership
from tests.conftest import signed_in
from tests.onboarding.conftest import send_invitations
from tests.security.test_isolation import organization_data

FILE = (
    "Name;E-Mail;Gruppe;Rolle;Vorgesetzte(r);leitet\r\n"
    "Jürgen Müller;juergen@acme.test;Engineering / Platform;Admin;lead@acme.test;Engineering / Platform\r\n"
    "Eva Ernst;eva@acme.test;Engineering / Platform;Mitglied;juergen@acme.test;\r\n"
    "Bad Row;eva.at.acme.test;;;;\r\n"
).encode("cp1252")


def upload(client, content=FILE, name="people.csv", **options):
    data = {"file": SimpleUploadedFile(name, content), "send_invitations": "on", **options}
    return client.post("/acme/people/import/", data)


def test_an_admin_uploads_sees_every_row_with_errors_first_and_applies(client, cast):
    signed_in(client, cast.admin)
    page = client.get("/acme/people/")
    assert 'href="/acme/people/import/"' in page.content.decode()
    assert client.get("/acme/people/import/").status_code == 200
    response = upload(client)
    assert response.status_code == 302
    preview_url = response["Location"]
    body = client.get(preview_url).content.decode()
    assert body.index("eva.at.acme.test") < body.index("juergen@acme.test")  # errors first
    assert "“eva.at.acme.test” is not an e-mail address." in body
    assert "Groups: + Engineering / Platform" in body or "Leads: + Engineering / Platform" in body
    assert "Not in the file" in body

    before = organization_data()
    refused = client.post(preview_url + "apply/", {"send_invitations": "on"})
    assert refused.status_code == 422 and 'class="field-error"' in refused.content.decode()
    assert organization_data() == before

    applied = client.post(preview_url + "apply/", {"send_invitations": "on", "skip_errors": "on"})
    assert applied.status_code == 302 and applied["Location"] == "/acme/people/"
    message = [str(m) for m in client.get("/acme/people/").context["messages"]]
    assert message == [
        "Imported the file: 2 new, 0 invited, 0 changed, 1 new groups, 0 deactivated. 1 row with errors was "
        "skipped. 2 invitation e-mails are on their way."
    ]
    assert sorted(m.to[0].rsplit(" ", 1)[-1] for m in send_invitations()) == ["<eva@acme.test>", "<juergen@acme.test>"]
    assert "Imported" in client.get(preview_url).content.decode()


def test_the_preview_filters_and_pages_rows(client, cast):
    signed_in(client, cast.admin)
    preview_url = upload(client)["Location"]
    errors_only = client.get(preview_url, {"show": "error"}).content.decode()
    assert "eva.at.acme.test" in errors_only and "juergen@acme.test" not in errors_only
    assert client.get(preview_url, {"show": "nonsense", "page": "x"}).status_code == 200


def test_an_unreadable_upload_is_answered_on_the_form(client, cast):
    signed_in(client, cast.admin)
    response = upload(client, content=b"Name;Team\r\nAnna;Sales\r\n")
    assert response.status_code == 422
    assert "No e-mail column" in response.content.decode()
    assert not PeopleImport.objects.exists()


def test_invitations_sent_later_from_the_import_page(client, cast):
    signed_in(client, cast.admin)
    preview_url = client.post("/acme/people/import/", {"file": SimpleUploadedFile("people.csv", FILE)})[
        "Location"
    ]  # "send" unticked
    client.post(preview_url + "apply/", {"skip_errors": "on"})
    assert send_invitations() == []
    people_import = PeopleImport.objects.get()
    page = client.get("/acme/people/import/").content.decode()
    assert "Send its invitations" in page
    response = client.post(f"/acme/people/import/{people_import.pk}/send/")
    assert response.status_code == 302
    assert len(send_invitations()) == 2


@pytest.mark.parametrize("role", ["lead", "member", "viewer"])
def test_people_who_are_not_admins_are_refused(client, cast, role):
    people_import = services.preview_people_import(actor=cast.admin, file_name="people.csv", data=FILE)
    signed_in(client, getattr(cast, role))
    for url in (
        "/acme/people/import/",
        f"/acme/people/import/{people_import.pk}/",
        "/acme/people/import/template.csv",
        "/acme/people/import/template.xlsx",
    ):
        assert client.get(url).status_code == 403, url
    before = organization_data()
    assert upload(client).status_code == 403
    assert client.post(f"/acme/people/import/{people_import.pk}/apply/", {"skip_errors": "on"}).status_code == 403
    assert client.post(f"/acme/people/import/{people_import.pk}/send/").status_code == 403
    assert organization_data() == before


def test_another_organizations_import_is_not_found(client, cast):
    theirs = services.preview_people_import(actor=cast.beta_owner, file_name="people.csv", data=FILE)
    signed_in(client, cast.admin)
    before = organization_data()
    assert client.get(f"/acme/people/import/{theirs.pk}/").status_code == 404
    assert client.post(f"/acme/people/import/{theirs.pk}/apply/", {"skip_errors": "on"}).status_code == 404
    assert client.post(f"/acme/people/import/{theirs.pk}/send/").status_code == 404
    assert organization_data() == before


def test_the_templates_follow_the_page_language(client, cast):
    signed_in(client, cast.admin)
    csv_file = client.get("/acme/people/import/template.csv")
    assert csv_file["Content-Disposition"] == 'attachment; filename="lodestar-people.csv"'
    assert csv_file.content.startswith(b"\xef\xbb\xbfName,E-mail,Group,Role,Manager e-mail")
    cast.admin.user.language = "de"
    cast.admin.user.save()
    xlsx_file = client.get("/acme/people/import/template.xlsx")
    header = next(load_workbook(io.BytesIO(xlsx_file.content), read_only=True).active.iter_rows(values_only=True))
    assert header[:5] == ("Name", "E-Mail", "Gruppe", "Rolle", "Vorgesetzte(r)")


def test_the_command_prints_the_preview_and_imports(cast, tmp_path, capsys):
    good = tmp_path / "people.csv"
    good.write_bytes(FILE.replace(b"Bad Row;eva.at.acme.test;;;;\r\n", b""))
    call_command("import_people", str(good), organization="acme", dry_run=True)
    output = capsys.readouterr().out
    assert "2 rows: 2 new" in output and "Dry run: nothing was saved." in output
    assert not Membership.objects.filter(user__email="eva@acme.test").exists()

    call_command("import_people", str(good), organization="acme", no_invite=True, as_email="admin@acme.test")
    assert "Imported: 2 new" in capsys.readouterr().out
    assert Invitation.objects.filter(organization=cast.acme, sent_at__isnull=True).count() == 2

    bad = tmp_path / "bad.csv"
    bad.write_bytes(FILE)
    with pytest.raises(SystemExit) as stopped:
        call_command("import_people", str(bad), organization="acme")
    assert stopped.value.code == 1
    assert "Row 4, eva.at.acme.test: Error" in capsys.readouterr().out
