"""Importing people from the files HR systems and Excel write: every row's outcome before anything
is saved, the organization chart built in one transaction, and the messy files answered with a
message per row."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from lodestar.core.errors import NotAllowed
from lodestar.onboarding.models import Invitation, InvitationEmail, PeopleImport
from lodestar.onboarding.people_import import services, template
from lodestar.orgs import services as orgs
from lodestar.orgs.models import Group, GroupMembership, Membership, Role
from tests.conftest import reload
from tests.onboarding.conftest import send_invitations
from tests.security.test_isolation import organization_data

ENGLISH = "Name,E-mail,Group,Role,Manager e-mail,Lead of,Job title,Language,Time zone,OKR ambassador\r\n"


def write(tmp_path, name: str, content: bytes):
    """A real file on disk, read back as an upload would be."""
    path = tmp_path / name
    path.write_bytes(content)
    return path


def preview(actor, path, **options) -> PeopleImport:
    return services.preview_people_import(actor=actor, file_name=path.name, data=path.read_bytes(), **options)


def apply(actor, people_import, *, send=True, deactivate=False, skip=False):
    return services.apply_people_import(
        actor=actor,
        people_import=people_import,
        send_invitations=send,
        deactivate_missing=deactivate,
        skip_errors=skip,
    )


def rows_of(people_import) -> dict[int, dict]:
    return {row["row"]: row for row in people_import.preview["rows"]}


def member(cast, email):
    return Membership.objects.select_related("user", "manager__user").get(organization=cast.acme, user__email=email)


def group_path(group) -> str:
    names = []
    while group is not None:
        names.append(group.name)
        group = group.parent
    return " / ".join(reversed(names))


def test_a_csv_with_bom_builds_people_groups_leads_and_managers_and_invites_them(cast, tmp_path):
    path = write(
        tmp_path,
        "people.csv",
        (
            ENGLISH
            + "Petra Platform,petra@acme.test,Engineering,admin,lead@acme.test,Engineering / Platform,Head of platform,"
            "German,Europe/Vienna,yes\r\n"
            + "Olaf Ops,olaf@acme.test,Engineering / Platform; Sales,viewer,petra@acme.test,,,,,\r\n"
        ).encode("utf-8-sig"),
    )
    people_import = preview(cast.admin, path)
    assert people_import.preview["summary"]["new"] == 2 and people_import.preview["summary"]["error"] == 0
    assert Membership.objects.filter(user__email="petra@acme.test").count() == 0  # a preview saves no one

    outcome = apply(cast.admin, people_import)
    assert outcome.applied and outcome.result["new"] == 2
    petra, olaf = member(cast, "petra@acme.test"), member(cast, "olaf@acme.test")
    assert (petra.user.full_name, petra.role, petra.job_title, petra.manager, petra.is_okr_ambassador) == (
        "Petra Platform",
        Role.ADMIN,
        "Head of platform",
        cast.lead,
        True,
    )
    assert (petra.user.language, petra.user.time_zone, petra.user.has_usable_password()) == (
        "de",
        "Europe/Vienna",
        False,
    )
    assert (olaf.role, olaf.manager) == (Role.VIEWER, petra)
    platform = Group.objects.get(organization=cast.acme, name="Platform")
    assert platform.parent == cast.engineering
    assert GroupMembership.objects.get(group=platform, membership=petra).is_lead
    assert not GroupMembership.objects.get(group=platform, membership=olaf).is_lead
    assert GroupMembership.objects.filter(group=cast.sales_group, membership=olaf).exists()
    assert not GroupMembership.objects.get(group=cast.engineering, membership=petra).is_lead
    messages = send_invitations()
    assert sorted(message.to[0] for message in messages) == [
        "Olaf Ops <olaf@acme.test>",
        "Petra Platform <petra@acme.test>",
    ]


def test_windows_1252_with_semicolons_and_german_headers_keeps_the_umlauts(cast, tmp_path):
    path = write(
        tmp_path,
        "Mitarbeiter.csv",
        (
            "Name;E-Mail;Gruppe;Rolle;Vorgesetzte(r);leitet;Position;Sprache;Zeitzone;OKR-Ambassador\r\n"
            "Jürgen Müller;juergen.mueller@acme.test;Entwicklung / Qualität;Mitglied;lead@acme.test;"
            "Entwicklung / Qualität;Prüfingenieur;Deutsch;Europe/Berlin;ja\r\n"
            "Bärbel Groß;baerbel@acme.test;Entwicklung;Leser(in);juergen.mueller@acme.test;;;Englisch;;nein\r\n"
        ).encode("cp1252"),
    )
    people_import = preview(cast.admin, path)
    assert people_import.columns == [
        "name",
        "email",
        "groups",
        "role",
        "manager",
        "leads",
        "job_title",
        "language",
        "time_zone",
        "ambassador",
    ]
    assert people_import.preview["summary"]["error"] == 0, people_import.preview["rows"]
    apply(cast.admin, people_import)
    juergen, baerbel = member(cast, "juergen.mueller@acme.test"), member(cast, "baerbel@acme.test")
    assert (juergen.user.full_name, juergen.job_title, juergen.is_okr_ambassador) == (
        "Jürgen Müller",
        "Prüfingenieur",
        True,
    )
    assert (baerbel.user.full_name, baerbel.role, baerbel.manager, baerbel.user.language) == (
        "Bärbel Groß",
        Role.VIEWER,
        juergen,
        "en",
    )
    quality = Group.objects.get(organization=cast.acme, name="Qualität")
    assert group_path(quality) == "Entwicklung / Qualität"


def test_excel_unicode_text_is_tab_separated_utf16(cast, tmp_path):
    path = write(
        tmp_path,
        "people.txt",
        "E-Mail\tName\tTeam\r\nzoe@acme.test\tZoë Zähler\tSales\r\n".encode("utf-16"),
    )
    people_import = preview(cast.admin, path)
    [row] = people_import.preview["rows"]
    assert (row["name"], row["outcome"], row["changes"][-1]) == ("Zoë Zähler", "new", ["groups", None, ["Sales"]])


def test_excels_separator_hint_is_followed(cast, tmp_path):
    path = write(tmp_path, "people.csv", b"sep=;\r\nE-mail;Name;Team\r\nzoe@acme.test;Zoe, the second;Sales\r\n")
    [row] = preview(cast.admin, path).preview["rows"]
    assert (row["row"], row["name"], row["outcome"]) == (2, "Zoe, the second", "new")


def test_an_xlsx_workbook_is_read_with_formulas_as_their_values_and_dates_as_text(cast, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Vorname", "Nachname", "E-Mail", "Position", "Gruppe"])
    sheet.append(["Jürgen", "Müller", "juergen@acme.test", datetime.date(2026, 4, 1), "Sales"])
    sheet.append([None, None, None, None, None])  # an empty row in between is skipped
    sheet.append(["Eva", "Ernst", "eva@acme.test", 42, "=1+1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    people_import = preview(cast.admin, write(tmp_path, "people.xlsx", buffer.getvalue()))
    rows = rows_of(people_import)
    assert people_import.preview["summary"]["new"] == 2
    assert rows[2]["name"] == "Jürgen Müller" and ["job_title", None, "2026-04-01"] in rows[2]["changes"]
    assert ["job_title", None, "42"] in rows[4]["changes"]
    # openpyxl does not calculate: a formula without a value Excel saved is an empty cell.
    assert not any(change[0] == "groups" for change in rows[4]["changes"])


def test_the_same_address_twice_is_an_error_on_each_of_its_rows(cast, tmp_path):
    path = write(
        tmp_path,
        "people.csv",
        (
            ENGLISH + "Anna,anna@acme.test,,,,,,,,\r\nBob,bob@acme.test,,,,,,,,\r\nAnna S.,ANNA@acme.test,,,,,,,,\r\n"
        ).encode(),
    )
    rows = rows_of(preview(cast.admin, path))
    assert rows[2]["outcome"] == rows[4]["outcome"] == "error"
    assert rows[2]["errors"] == ["anna@acme.test appears on rows 2, 4: keep one of them."]
    assert rows[3]["outcome"] == "new"


def test_an_unknown_manager_is_an_error_of_that_row_and_of_those_managed_by_it(cast, tmp_path):
    path = write(
        tmp_path,
        "people.csv",
        (
            ENGLISH
            + "Anna,anna@acme.test,,,ghost@acme.test,,,,,\r\n"
            + "Bob,bob@acme.test,,,anna@acme.test,,,,,\r\n"
            + "Cleo,cleo@acme.test,,,member@beta.test,,,,,\r\n"
        ).encode(),
    )
    rows = rows_of(preview(cast.admin, path))
    assert rows[2]["errors"] == ["Manager: ghost@acme.test is neither in the file nor a member."]
    assert rows[3]["errors"] == ["Manager: the row of anna@acme.test (row 2) has errors."]
    # A member of another organization is nobody here.
    assert rows[4]["errors"] == ["Manager: member@beta.test is neither in the file nor a member."]


def test_managers_going_round_in_a_circle_are_errors_naming_the_rows(cast, tmp_path):
    orgs.update_membership(actor=cast.owner, membership=cast.member, manager=cast.lead)
    path = write(
        tmp_path,
        "people.csv",
        (
            ENGLISH
            + "Anna,anna@acme.test,,,bob@acme.test,,,,,\r\n"
            + "Bob,bob@acme.test,,,anna@acme.test,,,,,\r\n"
            + "Lea Lead,lead@acme.test,,,member@acme.test,,,,,\r\n"  # the member reports to the lead already
            + "Cleo,cleo@acme.test,,,anna@acme.test,,,,,\r\n"
        ).encode(),
    )
    rows = rows_of(preview(cast.admin, path))
    assert rows[2]["errors"] == [
        "Managers go round in a circle: anna@acme.test → bob@acme.test → anna@acme.test (rows 2, 3)."
    ]
    assert rows[3]["outcome"] == "error"
    assert rows[4]["errors"] == [
        "Managers go round in a circle: lead@acme.test → member@acme.test → lead@acme.test (rows 4)."
    ]
    assert rows[5]["errors"] == ["Manager: the row of anna@acme.test (row 2) has errors."]


def test_a_group_path_that_clashes_with_the_tree_is_an_error_per_row(cast, tmp_path):
    orgs.create_group(actor=cast.owner, name="Platform", parent=cast.engineering)
    path = write(
        tmp_path,
        "people.csv",
        (
            ENGLISH
            + "Anna,anna@acme.test,Sales / Platform,,,,,,,\r\n"  # Platform exists under Engineering
            + "Bob,bob@acme.test,engineering / platform,,,,,,,\r\n"  # the same groups, spelt in lower case
            + "Cleo,cleo@acme.test,Data-Science,,,,,,,\r\n"
            + "Dan,dan@acme.test,Data Science,,,,,,,\r\n"  # the same short name, spelt differently
            + "Eve,eve@acme.test,Engineering // Tools,,,,,,,\r\n"
        ).encode(),
    )
    rows = rows_of(preview(cast.admin, path))
    assert rows[2]["errors"] == [
        "Group “Sales / Platform”: a group “Platform” exists already at “Engineering / Platform”. Use that path, "
        "or another name."
    ]
    assert rows[3]["outcome"] == "new" and rows[3]["changes"][-1] == ["groups", None, ["Engineering / Platform"]]
    assert rows[4]["outcome"] == "new"
    assert rows[5]["errors"] == [
        "Group “Data Science” and “Data-Science” (row 4) would have the same short name: spell them alike."
    ]
    assert rows[6]["errors"] == ["Group “Engineering // Tools”: a part of the path is empty."]


def test_roles_languages_time_zones_and_the_ambassador_flag_in_english_and_german(cast, tmp_path):
    path = write(
        tmp_path,
        "people.csv",
        (
            b"E-Mail;Rolle;Sprache;Zeitzone;OKR-Ambassador\r\n"
            b"a@acme.test;Administrator;de-DE;europe/berlin;X\r\n"
            b"b@acme.test;Betrachter;English;America/New_York;0\r\n"
            b"c@acme.test;Chef;Klingonisch;Mars/Olympus;vielleicht\r\n"
            b"d@acme.test;owner;;;\r\n"
        ),
    )
    rows = rows_of(preview(cast.admin, path))
    assert rows[2]["changes"] == [
        ["role", None, "admin"],
        ["ambassador", None, True],
        ["account", None, "de, Europe/Berlin"],
    ]
    assert rows[3]["changes"] == [["role", None, "viewer"], ["account", None, "en, America/New_York"]]
    assert rows[4]["errors"] == [
        "Role: “Chef” is none of member, admin, viewer or owner (Mitglied, Admin, Leser(in)).",
        "Language: “Klingonisch” is not one Lodestar speaks (en, de).",
        "Time zone: “Mars/Olympus” is not a time zone name like Europe/Berlin.",
        "OKR ambassador: “vielleicht” is neither yes nor no (ja/nein, x, 1/0).",
    ]
    assert rows[5]["errors"] == ["Role: only owners can change who is an owner."]
    assert rows_of(preview(cast.owner, path))[5]["outcome"] == "new"


def test_importing_the_same_file_again_changes_nothing(cast, tmp_path):
    path = write(
        tmp_path,
        "people.csv",
        (
            ENGLISH
            + "Petra,petra@acme.test,Engineering / Platform,admin,lead@acme.test,Engineering / Platform,CTO,,,yes\r\n"
            + "Max Member,member@acme.test,Sales,member,petra@acme.test,,Developer,,,no\r\n"
            + "Bea Beta,member@beta.test,Sales,,,,,,,\r\n"
        ).encode(),
    )
    apply(cast.admin, preview(cast.admin, path))
    before = organization_data()
    again = preview(cast.admin, path)
    summary = again.preview["summary"]
    assert (summary["new"], summary["invite"], summary["changed"], summary["unchanged"]) == (0, 0, 0, 3)
    assert rows_of(again)[4]["notes"] == ["Invited already: the invitation waits for their answer."]
    outcome = apply(cast.admin, again)
    assert outcome.applied and outcome.result["invitations"] == []
    after = organization_data()
    assert {key: value for key, value in after.items() if key != "PeopleImport"} == {
        key: value for key, value in before.items() if key != "PeopleImport"
    }


def test_changes_to_present_people_are_shown_and_groups_are_only_ever_added(cast, tmp_path):
    path = write(
        tmp_path,
        "people.csv",
        (
            ENGLISH
            + "Max Member,member@acme.test,Sales,admin,sales@acme.test,Engineering,Developer,Deutsch,,yes\r\n"
            + "Lea Lead,lead@acme.test,,,,,,,,\r\n"
        ).encode(),
    )
    people_import = preview(cast.admin, path)
    rows = rows_of(people_import)
    assert rows[2]["outcome"] == "changed"
    assert rows[2]["changes"] == [
        ["role", "member", "admin"],
        ["job_title", None, "Developer"],
        ["manager", None, "sales@acme.test"],
        ["groups", None, ["Sales"]],
        ["leads", None, ["Engineering"]],
        ["ambassador", False, True],
    ]
    assert rows[2]["notes"] == ["Language and time zone stay as they chose them."]
    assert rows[3]["outcome"] == "unchanged"
    apply(cast.admin, people_import)
    person = member(cast, "member@acme.test")
    assert (person.role, person.job_title, person.manager, person.is_okr_ambassador) == (
        Role.ADMIN,
        "Developer",
        cast.sales,
        True,
    )
    assert person.user.language == ""  # the account's own choice stays
    places = dict(GroupMembership.objects.filter(membership=person).values_list("group__name", "is_lead"))
    assert places == {"Engineering": True, "Sales": False}
    assert GroupMembership.objects.filter(membership=cast.lead, group=cast.engineering, is_lead=True).exists()


def test_people_missing_from_the_file_are_listed_and_deactivated_only_when_asked(cast, tmp_path):
    path = write(tmp_path, "people.csv", (ENGLISH + "Max Member,member@acme.test,,,,,,,,\r\n").encode())
    people_import = preview(cast.admin, path)
    missing = {entry["email"]: entry for entry in people_import.preview["missing"]}
    assert set(missing) == {
        "owner@acme.test",
        "admin@acme.test",
        "lead@acme.test",
        "sales@acme.test",
        "viewer@acme.test",
    }
    assert missing["admin@acme.test"]["kept"] == "you are importing"
    assert missing["owner@acme.test"]["kept"] == "only owners deactivate owners"
    apply(cast.admin, people_import)
    assert Membership.objects.filter(organization=cast.acme, is_active=True).count() == 6

    again = preview(cast.admin, path, deactivate_missing=True)
    result = apply(cast.admin, again, deactivate=True).result
    assert result["deactivated"] == 3
    active = set(
        Membership.objects.filter(organization=cast.acme, is_active=True).values_list("user__email", flat=True)
    )
    assert active == {"owner@acme.test", "admin@acme.test", "member@acme.test"}
    assert Membership.objects.get(pk=cast.beta_member.pk).is_active


def test_deactivating_the_missing_withdraws_their_open_invitations(cast, tmp_path):
    from lodestar.onboarding import services as onboarding

    invitation = onboarding.invite(actor=cast.owner, email="nina@acme.test")
    path = write(tmp_path, "people.csv", (ENGLISH + "Max Member,member@acme.test,,,,,,,,\r\n").encode())
    apply(cast.owner, preview(cast.owner, path, deactivate_missing=True), deactivate=True)
    assert reload(invitation).state == Invitation.State.REVOKED
    assert not reload(invitation.membership).is_active
    assert Membership.objects.filter(organization=cast.acme, is_active=True).count() == 2  # owner and member


def test_another_organizations_member_is_invited_but_joins_only_when_they_accept(cast, tmp_path):
    path = write(
        tmp_path,
        "people.csv",
        (ENGLISH + "Bea Beta,member@beta.test,Engineering / Platform,admin,,Engineering,,Deutsch,,yes\r\n").encode(),
    )
    beta_before = {
        "groups": list(Group.objects.filter(organization=cast.beta).values_list("pk", "name", "parent_id")),
        "people": list(Membership.objects.filter(organization=cast.beta).values_list("pk", "role", "is_active")),
        "user": list(get_user_model().objects.filter(email="member@beta.test").values_list("full_name", "language")),
    }
    people_import = preview(cast.admin, path)
    [row] = people_import.preview["rows"]
    assert row["outcome"] == "invite"
    assert row["notes"] == [
        "Has an account already: joins when they accept the invitation.",
        "Joins the groups they lead as a member: make them lead once they have accepted.",
        "Make them OKR ambassador once they have accepted.",
    ]
    apply(cast.admin, people_import)
    assert not Membership.objects.filter(organization=cast.acme, user__email="member@beta.test").exists()
    invitation = Invitation.objects.get(organization=cast.acme, email="member@beta.test")
    platform = Group.objects.get(organization=cast.acme, name="Platform")
    assert (invitation.membership, invitation.role, sorted(invitation.group_ids)) == (
        None,
        Role.ADMIN,
        sorted([cast.engineering.pk, platform.pk]),
    )
    assert platform.parent == cast.engineering  # Acme's Engineering, not Beta's
    assert beta_before == {
        "groups": list(Group.objects.filter(organization=cast.beta).values_list("pk", "name", "parent_id")),
        "people": list(Membership.objects.filter(organization=cast.beta).values_list("pk", "role", "is_active")),
        "user": list(get_user_model().objects.filter(email="member@beta.test").values_list("full_name", "language")),
    }
    assert InvitationEmail.objects.filter(invitation=invitation).count() == 1


def test_rows_with_errors_stop_the_import_unless_skipped_and_nothing_is_half_saved(cast, tmp_path):
    path = write(
        tmp_path,
        "people.csv",
        (
            ENGLISH
            + "Anna,anna@acme.test,Engineering / Platform,,,,,,,\r\n"
            + "Bob,not-an-address,,,,,,,,\r\n"
            + "Cleo,cleo@acme.test,,,anna@acme.test,,,,,\r\n"
        ).encode(),
    )
    people_import = preview(cast.admin, path)
    assert rows_of(people_import)[3]["errors"] == ["E-mail: “not-an-address” is not an e-mail address."]
    before = organization_data()
    with pytest.raises(ValidationError, match="1 row has errors"):
        apply(cast.admin, people_import)
    assert organization_data() == before
    result = apply(cast.admin, people_import, skip=True).result
    assert (result["new"], result["skipped"]) == (2, 1)
    assert member(cast, "cleo@acme.test").manager == member(cast, "anna@acme.test")
    with pytest.raises(ValidationError, match="imported already"):
        apply(cast.admin, people_import, skip=True)


def test_a_change_between_preview_and_apply_renews_the_preview_and_saves_nothing(cast, tmp_path):
    path = write(tmp_path, "people.csv", (ENGLISH + "Max Member,member@acme.test,,admin,,,,,,\r\n").encode())
    people_import = preview(cast.admin, path)
    orgs.update_membership(actor=cast.owner, membership=cast.member, role=Role.ADMIN)
    outcome = apply(cast.admin, people_import)
    assert not outcome.applied
    people_import.refresh_from_db()
    assert people_import.state == "previewed" and rows_of(people_import)[2]["outcome"] == "unchanged"
    assert apply(cast.admin, people_import).applied


def test_only_admins_import(cast, tmp_path):
    path = write(tmp_path, "people.csv", (ENGLISH + "Anna,anna@acme.test,,,,,,,,\r\n").encode())
    with pytest.raises(NotAllowed):
        preview(cast.member, path)
    people_import = preview(cast.admin, path)
    with pytest.raises(NotAllowed):
        apply(cast.lead, people_import)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.csv", b"", "The file is empty."),
        ("people.csv", b"\x00\x01\x02binary\x00", "binary data"),
        ("people.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", "Lodestar reads CSV and XLSX files"),
        ("people.xlsx", b"PK\x03\x04broken", "not a readable XLSX file"),
        ("people.csv", b"Name,Team\r\nAnna,Sales\r\n", "No e-mail column"),
        ("people.csv", b"E-mail,Email\r\na@acme.test,b@acme.test\r\n", "Two columns mean the same"),
        ("people.csv", b"E-mail\r\n", "lists nobody"),
        ("people.csv", b"\r\n\r\n", "The file has no rows"),
        ("people.csv", b"E-mail\r\n" + b"a@acme.test\r\n" * 20_001, "more than 20,000 people"),
        ("people.csv", b"E-mail\r\n" + b"x" * (5 * 1024 * 1024), "larger than 5 MB"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_message(cast, tmp_path, name, content, message):
    with pytest.raises(ValidationError, match=message):
        preview(cast.admin, write(tmp_path, name, content))
    assert not PeopleImport.objects.exists()


def test_invitations_can_wait_and_go_out_later_together(cast, tmp_path):
    path = write(
        tmp_path, "people.csv", (ENGLISH + "Anna,anna@acme.test,,,,,,,,\r\nBob,bob@acme.test,,,,,,,,\r\n").encode()
    )
    people_import = preview(cast.admin, path, send_invitations=False)
    result = apply(cast.admin, people_import, send=False).result
    assert result["sent"] == 0 and len(result["invitations"]) == 2
    assert send_invitations() == []
    assert services.send_import_invitations(actor=cast.admin, people_import=people_import) == 2
    assert len(send_invitations()) == 2
    assert services.send_import_invitations(actor=cast.admin, people_import=people_import) == 0


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_templates_import_without_errors(cast, tmp_path, language):
    for name, content in (
        ("template.csv", template.template_csv(language)),
        ("template.xlsx", template.template_xlsx(language)),
    ):
        people_import = preview(cast.admin, write(tmp_path, name, content))
        assert people_import.preview["summary"]["new"] == 2, people_import.preview["rows"]
        assert people_import.preview["summary"]["error"] == 0
    assert template.template_csv(language).startswith(b"\xef\xbb\xbf")
    mail.outbox.clear()
