"""The people floor's changes reach the audit log: who acted, on whom, what changed (before and
after), and from which address — from the pages and the API alike; a change that rolls back
leaves no row."""

import pytest
from django.core.exceptions import ValidationError

from lodestar.api import services as api_tokens
from lodestar.core import events
from lodestar.onboarding import services as onboarding
from lodestar.onboarding.models import Invitation
from lodestar.orgs import services as orgs
from lodestar.orgs.events import PersonChanged
from lodestar.orgs.models import Group, Membership, Role
from tests.audit.conftest import last, logged
from tests.conftest import signed_in

ADDRESS = {"REMOTE_ADDR": "198.51.100.23", "HTTP_USER_AGENT": "Firefox/140"}


def person_form(person, **changes):
    data = {
        "role": person.role,
        "job_title": person.job_title,
        "manager": "",
        "is_active": "on" if person.is_active else "",
        "is_okr_ambassador": "",
    }
    return {**data, **changes}


def test_a_role_change_on_the_person_page_is_logged_with_who_whom_what_and_the_address(client, cast):
    signed_in(client, cast.owner)
    url = f"/acme/people/{cast.member.pk}/edit/"
    response = client.post(url, person_form(cast.member, role="admin"), **ADDRESS)
    assert response.status_code == 302
    row = last(cast.acme, "member.role_changed")
    assert (row.actor, row.target_type, row.target_id) == (cast.owner.user, "orgs.membership", str(cast.member.pk))
    assert row.actor_label == "Acme Owner <owner@acme.test>"
    assert row.target_label == "Max Member"
    assert row.details == {"role": ["member", "admin"]}
    assert (row.ip_address, row.user_agent) == ("198.51.100.23", "Firefox/140")


def test_other_changes_of_a_person_are_one_row_with_each_field_before_and_after(client, cast):
    signed_in(client, cast.admin)
    changes = person_form(cast.member, job_title="Staff engineer", manager="lead@acme.test", is_okr_ambassador="on")
    assert client.post(f"/acme/people/{cast.member.pk}/edit/", changes, **ADDRESS).status_code == 302
    row = last(cast.acme, "member.changed")
    assert row.actor == cast.admin.user
    assert row.details == {
        "job_title": ["", "Staff engineer"],
        "manager": [None, "Lea Lead"],
        "is_okr_ambassador": [False, True],
    }
    assert logged(cast.acme, "member.role_changed") == []


def test_deactivating_and_reactivating_a_person_are_logged(client, cast):
    signed_in(client, cast.owner)
    url = f"/acme/people/{cast.member.pk}/edit/"
    client.post(url, person_form(cast.member, is_active=""), **ADDRESS)
    client.post(url, person_form(Membership.objects.get(pk=cast.member.pk), is_active="on"), **ADDRESS)
    assert [row.action for row in logged(cast.acme) if row.action.startswith("member.")][-2:] == [
        "member.deactivated",
        "member.reactivated",
    ]
    assert last(cast.acme, "member.deactivated").target_label == "Max Member"


def test_a_change_through_the_api_carries_the_callers_address(client, cast):
    text = api_tokens.create_token(actor=cast.admin, name="HR sync", scope="read_write")[1]
    response = client.patch(
        f"/api/v1/people/{cast.member.pk}",
        {"job_title": "Head of things", "manager": None},
        content_type="application/json",
        headers={"Authorization": f"Bearer {text}"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 200, response.content
    row = last(cast.acme, "member.changed")
    assert (row.actor, row.ip_address, row.details) == (
        cast.admin.user,
        "203.0.113.9",
        {"job_title": ["", "Head of things"]},
    )


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_logged(client, cast, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    signed_in(client, cast.owner)
    client.post(
        f"/acme/people/{cast.member.pk}/edit/",
        person_form(cast.member, role="viewer"),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.44",
    )
    assert last(cast.acme, "member.role_changed").ip_address == "192.0.2.44"


def test_a_change_made_outside_a_request_has_no_address(cast):
    orgs.update_membership(actor=cast.owner, membership=cast.member, role=Role.ADMIN)
    row = last(cast.acme, "member.role_changed")
    assert (row.ip_address, row.user_agent) == (None, "")


def test_saving_nothing_new_logs_nothing(cast):
    before = len(logged(cast.acme))
    orgs.update_membership(actor=cast.owner, membership=cast.member, role=Role.MEMBER, job_title="")
    assert len(logged(cast.acme)) == before


def test_a_change_that_rolls_back_leaves_no_audit_row(cast):
    """A later listener fails: the service's transaction takes the change and its audit row with it."""

    def refuse(event):
        raise ValidationError("refused after the audit row was written")

    events.subscribe(PersonChanged, refuse)
    try:
        with pytest.raises(ValidationError):
            orgs.update_membership(actor=cast.owner, membership=cast.member, role=Role.ADMIN)
    finally:
        events._listeners[PersonChanged].remove(refuse)
    assert Membership.objects.get(pk=cast.member.pk).role == Role.MEMBER
    assert logged(cast.acme, "member.role_changed") == []


def test_organization_settings_are_logged_with_what_changed(client, cast):
    signed_in(client, cast.admin)
    data = {
        "name": "Acme Corp",
        "language": "de",
        "time_zone": "Europe/Berlin",
        "check_in_weekday": "5",
        "reflection_questions": "",
    }
    response = client.post("/acme/settings/", data, **ADDRESS)
    assert response.status_code == 302, response.content
    row = last(cast.acme, "settings.changed")
    assert row.actor == cast.admin.user
    assert row.details["name"] == ["Acme", "Acme Corp"]
    assert row.details["language"] == ["en", "de"]
    assert row.details["check_in_weekday"] == [1, 5]
    assert "time_zone" not in row.details
    assert row.ip_address == "198.51.100.23"


def test_groups_created_changed_and_deleted_are_logged(client, cast):
    signed_in(client, cast.admin)
    client.post(
        "/acme/groups/new/", {"name": "Platform", "slug": "", "description": "", "parent": "engineering"}, **ADDRESS
    )
    created = last(cast.acme, "group.created")
    assert (created.target_label, created.details, created.ip_address) == (
        "Platform",
        {"parent": "Engineering"},
        "198.51.100.23",
    )
    group = Group.objects.get(organization=cast.acme, slug="platform")
    orgs.update_group(actor=cast.admin, group=group, name="Platform team", parent=None)
    assert last(cast.acme, "group.changed").details == {
        "name": ["Platform", "Platform team"],
        "parent": ["Engineering", None],
    }
    orgs.delete_group(actor=cast.admin, group=group)
    deleted = last(cast.acme, "group.deleted")
    assert (deleted.target_id, deleted.target_label) == (str(group.pk), "Platform team")


def test_group_members_joining_leading_and_leaving_are_logged(cast):
    orgs.add_group_members(actor=cast.admin, group=cast.sales_group, people=[cast.member, cast.viewer])
    assert last(cast.acme, "group.members_changed").details == {"added": ["Max Member", "Vic Viewer"]}
    orgs.set_group_member(actor=cast.admin, group=cast.sales_group, membership=cast.member, is_lead=True)
    assert last(cast.acme, "group.members_changed").details == {"now_leading": ["Max Member"]}
    orgs.set_group_member(actor=cast.admin, group=cast.sales_group, membership=cast.member, is_lead=False)
    assert last(cast.acme, "group.members_changed").details == {"no_longer_leading": ["Max Member"]}
    orgs.remove_group_member(actor=cast.admin, group=cast.sales_group, membership=cast.viewer)
    row = last(cast.acme, "group.members_changed")
    assert (row.target_label, row.details) == ("Sales", {"removed": ["Vic Viewer"]})


def test_invitations_sent_resent_revoked_and_accepted_are_logged(client, cast):
    signed_in(client, cast.admin)
    response = client.post(
        "/acme/people/invite/", {"addresses": "new.person@acme.test", "role": "member", "message": ""}, **ADDRESS
    )
    assert response.status_code == 302, response.content
    sent = last(cast.acme, "invitation.sent")
    assert (sent.actor, sent.target_label, sent.details, sent.ip_address) == (
        cast.admin.user,
        "new.person@acme.test",
        {"role": "member"},
        "198.51.100.23",
    )
    invitation = Invitation.objects.get(organization=cast.acme, email="new.person@acme.test")
    onboarding.resend(actor=cast.admin, invitation=invitation)
    assert last(cast.acme, "invitation.resent").target_id == str(invitation.pk)
    onboarding.accept_as_new_person(invitation=invitation, full_name="Nora New", password="a-long-passphrase-9")
    accepted = last(cast.acme, "invitation.accepted")
    assert (accepted.actor.email, accepted.target_label, accepted.details) == (
        "new.person@acme.test",
        "Nora New",
        {"role": "member"},
    )
    other = onboarding.invite(actor=cast.owner, email="changed.mind@acme.test")
    onboarding.revoke(actor=cast.owner, invitation=other)
    revoked = last(cast.acme, "invitation.revoked")
    assert (revoked.actor, revoked.target_label) == (cast.owner.user, "changed.mind@acme.test")


def test_a_new_organizations_first_owner_is_its_first_row(cast):
    first = logged(cast.beta)[0]
    assert (first.action, first.actor, first.target_label, first.details) == (
        "member.added",
        None,
        "Beta Owner",
        {"role": "owner"},
    )


def test_a_people_import_is_one_row_with_its_counts_and_the_same_file_again_none(cast, tmp_path):
    from tests.onboarding.test_people_import import ENGLISH, apply, preview, write

    path = write(tmp_path, "people.csv", (ENGLISH + "Petra,petra@acme.test,Sales,member,,,,,,\r\n").encode())
    apply(cast.admin, preview(cast.admin, path))
    row = last(cast.acme, "people_import.applied")
    assert (row.actor, row.target_label, row.details) == (cast.admin.user, "people.csv", {"new": 1})
    apply(cast.admin, preview(cast.admin, path))
    assert len(logged(cast.acme, "people_import.applied")) == 1
