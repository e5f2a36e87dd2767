"""The audit log page: owners and admins read it, filtered by action, person and days; others are
refused, other organizations see nothing of it; its queries do not grow with its rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.audit.models import AuditEvent
from lodestar.audit.services import record
from lodestar.orgs import services as orgs
from lodestar.orgs.models import Role
from tests.conftest import signed_in

URL = "/acme/settings/audit/"


def rows_of(response) -> list:
    return response.context["rows"]


def actions_of(response) -> list[str]:
    return [row.event.action for row in rows_of(response)]


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_owners_and_admins_read_the_log(client, cast, role):
    orgs.update_membership(actor=cast.owner, membership=cast.member, role=Role.ADMIN)
    response = signed_in(client, getattr(cast, role)).get(URL)
    assert response.status_code == 200
    assert "member.role_changed" in actions_of(response)
    html = response.content.decode()
    assert "Role changed" in html
    assert "Member" in html and "→" in html and "Admin" in html


@pytest.mark.parametrize("role", ["lead", "member", "sales", "viewer"])
def test_members_and_viewers_are_refused(client, cast, role):
    response = signed_in(client, getattr(cast, role)).get(URL)
    assert response.status_code == 403
    assert b"Only owners and admins" in response.content


def test_the_log_is_linked_from_the_settings_navigation_for_admins_only(client, cast):
    assert URL.encode() in signed_in(client, cast.admin).get("/acme/settings/").content
    assert URL.encode() not in signed_in(client, cast.member).get("/acme/").content


def test_another_organizations_owner_sees_none_of_acmes_rows(client, cast):
    orgs.update_membership(actor=cast.owner, membership=cast.member, job_title="Acme's secret title")
    signed_in(client, cast.beta_owner)
    assert client.get(URL).status_code == 404
    own = client.get("/beta/settings/audit/")
    assert own.status_code == 200
    assert all(row.event.organization_id == cast.beta.pk for row in rows_of(own))
    assert b"secret title" not in own.content and b"Max Member" not in own.content


def test_filtering_by_one_action_or_a_whole_section(client, cast):
    orgs.update_membership(actor=cast.owner, membership=cast.member, role=Role.ADMIN)
    orgs.create_group(actor=cast.owner, name="Platform")
    signed_in(client, cast.owner)
    assert set(actions_of(client.get(URL, {"action": "member.role_changed"}))) == {"member.role_changed"}
    section = set(actions_of(client.get(URL, {"action": "people"})))
    assert {"member.role_changed", "group.created", "group.members_changed"} <= section
    assert all(action.split(".")[0] in {"member", "group", "invitation", "people_import"} for action in section)
    refused = client.get(URL, {"action": "member.exploded"})
    assert refused.status_code == 422 and "Select a valid choice" in refused.content.decode()


def test_filtering_by_person_finds_what_they_did_and_what_was_done_to_them(client, cast):
    orgs.update_membership(actor=cast.owner, membership=cast.member, job_title="Engineer")
    orgs.update_membership(actor=cast.admin, membership=cast.sales, job_title="Seller")
    signed_in(client, cast.owner)
    about_max = rows_of(client.get(URL, {"person": "member@acme.test"}))
    assert [row.event.target_label for row in about_max if row.event.action == "member.changed"] == ["Max Member"]
    by_ada = rows_of(client.get(URL, {"person": "Ada Admin"}))
    assert {row.event.action for row in by_ada} == {"member.changed"}
    assert by_ada[0].event.target_label == "Sam Sales"
    unknown = client.get(URL, {"person": "nobody@beta.test"})
    assert unknown.status_code == 422
    assert client.get(URL, {"person": "member@beta.test"}).status_code == 422  # another organization's person


def test_filtering_by_days_in_the_readers_time_zone(client, cast):
    row = record(cast.acme, "settings.changed", actor=cast.owner, details={"name": ["A", "B"]})
    # 23:30 in Berlin on 1 March is 22:30 UTC: it belongs to 1 March for a reader in Berlin.
    AuditEvent.objects.filter(pk=row.pk).update(occurred_at=datetime.datetime(2026, 3, 1, 22, 30, tzinfo=datetime.UTC))
    signed_in(client, cast.owner)
    on_the_day = rows_of(client.get(URL, {"since": "2026-03-01", "until": "2026-03-01"}))
    assert [found.event.pk for found in on_the_day] == [row.pk]
    assert row.pk not in [found.event.pk for found in rows_of(client.get(URL, {"since": "2026-03-02"}))]
    assert rows_of(client.get(URL, {"until": "2026-02-28"})) == []
    backwards = client.get(URL, {"since": "2026-03-02", "until": "2026-03-01"})
    assert backwards.status_code == 422


def test_times_show_in_the_readers_time_zone(client, cast):
    row = record(cast.acme, "settings.changed", actor=cast.owner)
    AuditEvent.objects.filter(pk=row.pk).update(occurred_at=datetime.datetime(2026, 3, 1, 22, 30, tzinfo=datetime.UTC))
    html = signed_in(client, cast.owner).get(URL, {"action": "settings.changed"}).content.decode()
    assert "23:30:00" in html and "Europe/Berlin" in html


def test_rows_show_who_what_about_details_and_address(client, cast):
    record(
        cast.acme,
        "member.changed",
        actor=cast.admin,
        target=cast.member,
        details={"job_title": ["", "Engineer"], "is_okr_ambassador": [False, True], "manager": [None, "Lea Lead"]},
    )
    AuditEvent.objects.filter(action="member.changed").update(ip_address="203.0.113.5")
    html = signed_in(client, cast.owner).get(URL, {"action": "member.changed"}).content.decode()
    assert f'href="/acme/people/{cast.admin.pk}/"' in html  # who, linked to their page
    assert f'href="/acme/people/{cast.member.pk}/"' in html  # about whom
    assert "Person changed" in html
    assert 'Job title:</span> – <span aria-hidden="true">→</span>' in html
    assert "OKR ambassador:</span> No" in html and "Yes" in html
    assert "203.0.113.5" in html


def test_a_failed_sign_in_names_nobody_as_its_actor(client, cast):
    record(cast.acme, "signin.failed", target=cast.member, details={"method": "password"})
    html = signed_in(client, cast.owner).get(URL, {"action": "signin.failed"}).content.decode()
    assert "Someone not signed in" in html and "Method:</span> password" in html


def test_fifty_rows_a_page_newest_first(client, cast):
    for number in range(120):
        record(cast.acme, "settings.changed", actor=cast.owner, details={"name": [str(number), str(number + 1)]})
    signed_in(client, cast.owner)
    first = client.get(URL, {"action": "settings.changed"})
    assert len(rows_of(first)) == 50
    assert rows_of(first)[0].event.details == {"name": ["119", "120"]}
    third = client.get(URL, {"action": "settings.changed", "page": 3})
    assert len(rows_of(third)) == 20
    assert "action=settings.changed&amp;page=2" in third.content.decode()


def count_queries(client, **query) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, query).status_code == 200
    return len(queries)


def add_rows(cast, count):
    for number in range(count):
        orgs.update_membership(actor=cast.owner, membership=cast.member, job_title=f"Title {number}")
        record(cast.acme, "group.changed", actor=cast.lead, target=cast.engineering, details={"name": ["a", "b"]})
        record(cast.acme, "signin.failed", target=cast.sales)


def test_queries_do_not_grow_with_the_rows(client, cast):
    """A page of 3 rows and a page of 50 (of 180) take the same queries, filtered or not."""
    signed_in(client, cast.owner)
    add_rows(cast, 1)
    few = count_queries(client), count_queries(client, person="member@acme.test", action="people")
    add_rows(cast, 60)
    many = count_queries(client), count_queries(client, person="member@acme.test", action="people")
    assert few == many
