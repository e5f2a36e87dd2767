"""The REST API's writes and its walls: a read-and-write token changes goals through the same
services as the pages (roll-ups included), a read-only token changes nothing, another
organization's token neither reads nor writes a single row of Acme's (by path or by payload id),
private objectives stay with the people taking part, the pages' permission rules hold, the
UI's own session calls are CSRF-checked, callers are rate-limited, and errors are 4xx
``{"detail": …}``, never a 500."""

import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from lodestar.api import services
from lodestar.conversations import services as conversations
from lodestar.conversations.models import Comment
from lodestar.kpis import services as kpis
from lodestar.kpis.models import KPI, KPIValue
from lodestar.okrs import services as okrs
from lodestar.okrs.models import CheckIn, Initiative, KeyResult, Objective, Timeframe
from lodestar.orgs.models import Group, GroupMembership, Membership, Organization
from tests import factories
from tests.conftest import add_person, signed_in

API = "/api/v1"
# Every field of a check-in correction and the manager of a person change are sent: a partial
# body is refused (see test_a_patch_may_send_only_the_fields_it_changes).
CHECK_IN_CHANGE = {
    "value": 9,
    "percent": None,
    "done": None,
    "status": "on_track",
    "confidence": None,
    "comment": "Changed",
    "effective_on": None,
}
PERSON_CHANGE = {"job_title": "Boss", "manager": None}
WATCHED = (
    Organization,
    Membership,
    Group,
    GroupMembership,
    Timeframe,
    Objective,
    KeyResult,
    CheckIn,
    Initiative,
    KPI,
    KPIValue,
    Comment,
)


def bearer(text):
    return {"Authorization": f"Bearer {text}"}


def token(person, scope="read_write"):
    return services.create_token(actor=person, name=f"{person} {scope}", scope=scope)[1]


def call(client, method, path, text, body=None):
    headers = bearer(text)
    if body is None:
        return getattr(client, method)(f"{API}{path}", headers=headers)
    return getattr(client, method)(f"{API}{path}", body, content_type="application/json", headers=headers)


def rows():
    """Every row the API could change, as stored."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in WATCHED}


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


# --- writing with a read-and-write token ---------------------------------------------------------


def test_a_check_in_through_the_api_rolls_up_into_the_objective(client, cast):
    text = token(cast.member)
    created = call(
        client,
        "post",
        "/objectives",
        text,
        {
            "timeframe": cast.quarter.pk,
            "title": "Ship the mobile app",
            "level": "group",
            "lead": cast.member.pk,
            "groups": [cast.engineering.pk],
            "state": "active",
        },
    )
    assert created.status_code == 201, created.content
    objective = created.json()
    assert (objective["progress"], objective["status"], objective["key_results"]) == (0, "none", [])

    added = call(
        client,
        "post",
        "/key-results",
        text,
        {
            "objective": objective["id"],
            "title": "Beta testers",
            "kind": "metric",
            "owner": cast.member.pk,
            "start_value": 0,
            "target_value": 200,
        },
    )
    assert added.status_code == 201, added.content
    key_result = added.json()
    assert (key_result["objective_id"], key_result["current_value"]) == (objective["id"], 0)

    checked = call(
        client,
        "post",
        "/check-ins",
        text,
        {"key_result": key_result["id"], "value": 50, "status": "needs_attention", "comment": "Slow start"},
    )
    assert checked.status_code == 201, checked.content
    assert checked.json()["author_id"] == cast.member.pk and checked.json()["value"] == 50

    after = call(client, "get", f"/objectives/{objective['id']}", text).json()
    assert (after["progress"], after["status"]) == (0.25, "needs_attention")
    [rolled] = after["key_results"]
    assert (rolled["current_value"], rolled["progress"], rolled["status"]) == (50, 0.25, "needs_attention")
    assert rolled["last_check_in_on"] == cast.today.isoformat()


def test_changes_answer_200_with_the_new_state(client, world):
    cast = world.cast
    text = token(cast.member)
    renamed = call(client, "patch", f"/objectives/{world.objective.pk}", text, {"title": "A clearer plan"})
    assert renamed.status_code == 200 and renamed.json()["title"] == "A clearer plan"
    assert Objective.objects.get(pk=world.objective.pk).title == "A clearer plan"

    retargeted = call(client, "patch", f"/key-results/{world.key_result.pk}", text, {"target_value": 10})
    assert retargeted.status_code == 200 and retargeted.json()["progress"] == 0.5
    assert call(client, "get", f"/objectives/{world.objective.pk}", text).json()["progress"] == 0.5

    kpi = call(client, "patch", f"/kpis/{world.kpi.pk}", text, {"name": "Tickets still open"})
    assert kpi.status_code == 200 and kpi.json()["name"] == "Tickets still open"


def test_a_patch_may_send_only_the_fields_it_changes(client, world):
    cast = world.cast
    corrected = call(client, "patch", f"/check-ins/{world.check_in.pk}", token(cast.member), {"value": 50})
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["value"] == 50 and corrected.json()["status"] == "on_track"
    retitled = call(client, "patch", f"/people/{cast.member.pk}", token(cast.owner), {"job_title": "Staff engineer"})
    assert retitled.status_code == 200, retitled.content
    assert retitled.json()["job_title"] == "Staff engineer"


def test_deletions_answer_204_and_the_rows_are_gone(client, world):
    cast = world.cast
    text = token(cast.member)
    comment = call(client, "post", "/comments", text, {"objective": world.objective.pk, "body": "Done soon"})
    assert comment.status_code == 201
    edited = call(client, "patch", f"/comments/{comment.json()['id']}", text, {"body": "Done today"})
    assert edited.status_code == 200 and edited.json()["body"] == "Done today"

    for path in (
        f"/comments/{comment.json()['id']}",
        f"/check-ins/{world.check_in.pk}",
        f"/kpis/{world.kpi.pk}/values/{world.kpi_value.pk}",
    ):
        deleted = call(client, "delete", path, text)
        assert (deleted.status_code, deleted.content) == (204, b""), path
    assert call(client, "get", f"/objectives/{world.objective.pk}", text).json()["progress"] == 0

    assert call(client, "delete", f"/key-results/{world.key_result.pk}", text).status_code == 204
    assert call(client, "delete", f"/objectives/{world.objective.pk}", text).status_code == 204
    assert call(client, "get", f"/objectives/{world.objective.pk}", text).status_code == 404
    assert not Objective.objects.filter(pk=world.objective.pk).exists()
    assert not CheckIn.objects.filter(pk=world.check_in.pk).exists()


# --- a read-only token ---------------------------------------------------------------------------


def test_a_read_only_token_is_refused_every_write_and_nothing_changes(client, world):
    cast = world.cast
    text = token(cast.owner, scope="read")
    before = rows()
    writes = [
        (
            "post",
            "/objectives",
            {"timeframe": cast.quarter.pk, "title": "New", "level": "company", "lead": cast.owner.pk},
        ),
        ("patch", f"/objectives/{world.objective.pk}", {"title": "Renamed"}),
        ("delete", f"/objectives/{world.objective.pk}", None),
        (
            "post",
            "/key-results",
            {"objective": world.objective.pk, "title": "KR", "kind": "milestone", "owner": cast.member.pk},
        ),
        ("patch", f"/key-results/{world.key_result.pk}", {"title": "Renamed"}),
        ("delete", f"/key-results/{world.key_result.pk}", None),
        ("post", "/check-ins", {"key_result": world.key_result.pk, "value": 9, "status": "on_track"}),
        ("patch", f"/check-ins/{world.check_in.pk}", CHECK_IN_CHANGE),
        ("delete", f"/check-ins/{world.check_in.pk}", None),
        ("post", "/kpis", {"name": "Churn", "owner": cast.member.pk}),
        ("post", f"/kpis/{world.kpi.pk}/values", {"value": 1}),
        ("delete", f"/kpis/{world.kpi.pk}", None),
        ("post", "/comments", {"objective": world.objective.pk, "body": "Hello"}),
        ("patch", f"/comments/{world.comment.pk}", {"body": "Changed"}),
        ("delete", f"/comments/{world.comment.pk}", None),
        ("post", "/groups", {"name": "Design"}),
        ("delete", f"/groups/{cast.engineering.pk}", None),
        ("patch", f"/people/{cast.member.pk}", PERSON_CHANGE),
        ("post", "/timeframes", {"name": "Next", "starts_on": "2030-01-01", "ends_on": "2030-03-31"}),
        ("patch", "/organization", {"name": "Acme 2", "language": "en", "time_zone": "UTC", "check_in_weekday": 2}),
    ]
    for method, path, body in writes:
        response = call(client, method, path, text, body)
        assert response.status_code == 403, (method, path, response.content)
        assert "read" in response.json()["detail"]
    assert rows() == before


# --- another organization's token ----------------------------------------------------------------


@pytest.fixture
def beta_token(cast):
    return token(cast.beta_owner)


@pytest.fixture
def acme_paths(world):
    cast = world.cast
    return {
        f"/objectives/{world.objective.pk}": {"title": "Taken over"},
        f"/key-results/{world.key_result.pk}": {"title": "Taken over"},
        f"/check-ins/{world.check_in.pk}": CHECK_IN_CHANGE,
        f"/initiatives/{world.initiative.pk}": {"title": "Taken over"},
        f"/kpis/{world.kpi.pk}": {"name": "Taken over"},
        f"/comments/{world.comment.pk}": {"body": "Taken over"},
        f"/people/{cast.member.pk}": PERSON_CHANGE,
        f"/groups/{cast.engineering.pk}": {"name": "Taken over"},
        f"/timeframes/{cast.quarter.pk}": {"name": "Taken over"},
    }


def test_another_organizations_token_finds_no_acme_row_by_id(client, world, beta_token, acme_paths):
    paths = [*acme_paths, f"/kpis/{world.kpi.pk}/values"]
    for path in paths:
        response = call(client, "get", path, beta_token)
        assert (response.status_code, response.json()) == (404, {"detail": "Not found."}), path


def test_another_organizations_token_changes_and_deletes_no_acme_row_by_id(client, world, beta_token, acme_paths):
    cast = world.cast
    before = rows()
    for path, change in acme_paths.items():
        assert call(client, "patch", path, beta_token, change).status_code == 404, path
        assert call(client, "delete", path, beta_token).status_code == 404, path
    others = [
        ("post", f"/kpis/{world.kpi.pk}/values", {"value": 1}),
        ("delete", f"/kpis/{world.kpi.pk}/values/{world.kpi_value.pk}", None),
        ("put", f"/groups/{cast.engineering.pk}/members", {"person": cast.beta_member.pk}),
        ("delete", f"/groups/{cast.engineering.pk}/members/{cast.member.pk}", None),
    ]
    for method, path, body in others:
        assert call(client, method, path, beta_token, body).status_code == 404, (method, path)
    assert rows() == before


def test_another_organizations_token_cannot_name_acme_rows_in_a_payload(client, world, beta_token):
    cast = world.cast
    beta_objective = factories.objective(cast.beta_owner, timeframe=cast.beta_quarter, title="Beta's plan")
    own = {"timeframe": cast.beta_quarter.pk, "title": "Beta grows", "level": "company", "lead": cast.beta_owner.pk}
    metric = {"title": "KR", "kind": "metric", "owner": cast.beta_owner.pk, "start_value": 0, "target_value": 10}
    attempts = [
        ("post", "/objectives", {**own, "lead": cast.member.pk}, "lead"),
        ("post", "/objectives", {**own, "timeframe": cast.quarter.pk}, "timeframe"),
        ("post", "/objectives", {**own, "parent": world.objective.pk}, "parent"),
        ("post", "/objectives", {**own, "contributors": [cast.member.pk]}, "contributors"),
        ("post", "/objectives", {**own, "level": "group", "groups": [cast.engineering.pk]}, "groups"),
        ("patch", f"/objectives/{beta_objective.pk}", {"lead": cast.member.pk}, "lead"),
        ("post", "/key-results", {**metric, "objective": world.objective.pk}, "objective"),
        ("post", "/key-results", {**metric, "objective": beta_objective.pk, "owner": cast.member.pk}, "owner"),
        ("post", "/check-ins", {"key_result": world.key_result.pk, "value": 1, "status": "on_track"}, "key_result"),
        ("post", "/initiatives", {"title": "Help", "key_results": [world.key_result.pk]}, "key_results"),
        ("post", "/comments", {"objective": world.objective.pk, "body": "Hi"}, "objective"),
        ("post", "/comments", {"key_result": world.key_result.pk, "body": "Hi"}, "key_result"),
        ("post", "/comments", {"check_in": world.check_in.pk, "body": "Hi"}, "check_in"),
        ("post", "/comments", {"kpi": world.kpi.pk, "body": "Hi"}, "kpi"),
        ("post", "/kpis", {"name": "Churn", "owner": cast.member.pk}, "owner"),
        ("post", "/kpis", {"name": "Churn", "owner": cast.beta_owner.pk, "groups": [cast.engineering.pk]}, "groups"),
        ("post", "/groups", {"name": "Design", "parent": cast.engineering.pk}, "parent"),
        ("post", "/people", {"email": "new@beta.test", "full_name": "New", "manager": cast.owner.pk}, "manager"),
        ("put", f"/groups/{cast.beta_group.pk}/members", {"person": cast.member.pk}, "person"),
    ]
    before = rows()
    for method, path, body, field in attempts:
        response = call(client, method, path, beta_token, body)
        # The schema allows any id: one naming nothing the caller may see is refused by the rules (409).
        assert response.status_code == 409, (method, path, body, response.content)
        assert field in response.json()["detail"], (method, path, response.json())
    assert rows() == before


def test_another_organizations_token_cannot_filter_by_acme_ids(client, world, beta_token):
    cast = world.cast
    filters = [
        ("/key-results", {"objective": world.objective.pk}),
        ("/check-ins", {"key_result": world.key_result.pk}),
        ("/comments", {"objective": world.objective.pk}),
        ("/kpis", {"owner": cast.member.pk}),
        ("/people", {"group": cast.engineering.pk}),
        ("/groups", {"parent": cast.engineering.pk}),
        ("/initiatives", {"key_result": world.key_result.pk}),
    ]
    for path, query in filters:
        assert client.get(f"{API}{path}", query, headers=bearer(beta_token)).status_code == 404, path


def test_another_organizations_lists_hold_only_its_own_rows(client, world, beta_token):
    cast = world.cast
    beta_objective = factories.objective(cast.beta_owner, timeframe=cast.beta_quarter, title="Beta's plan")
    beta_key_result = factories.metric(cast.beta_owner, beta_objective)
    okrs.record_check_in(actor=cast.beta_owner, key_result=beta_key_result, value=3, status="on_track")
    beta_kpi = kpis.create_kpi(actor=cast.beta_owner, name="Beta revenue", owner=cast.beta_member)
    conversations.post_comment(actor=cast.beta_owner, target=beta_objective, body="Beta only")
    conversations.post_comment(actor=cast.beta_owner, target=beta_kpi, body="Beta only")
    lists = {
        "/objectives": Objective,
        "/key-results": KeyResult,
        "/check-ins": CheckIn,
        "/kpis": KPI,
        "/comments": Comment,
        "/people": Membership,
        "/groups": Group,
        "/timeframes": Timeframe,
    }
    for path, model in lists.items():
        beta_rows = set(model.objects.filter(organization=cast.beta).values_list("pk", flat=True))
        assert beta_rows and ids(call(client, "get", path, beta_token)) == beta_rows, path
    emails = {item["email"] for item in call(client, "get", "/people", beta_token).json()["items"]}
    assert emails == {"owner@beta.test", "member@beta.test"}


# --- private objectives --------------------------------------------------------------------------


@pytest.fixture
def private(world):
    """Sales' private objective with a key result, a check-in and a comment on each of them."""
    cast = world.cast
    objective = factories.objective(
        cast.sales,
        timeframe=cast.quarter,
        title="Sales reorganization",
        level="group",
        groups=[cast.sales_group],
        lead=cast.sales,
        visibility=Objective.Visibility.PRIVATE,
    )
    key_result = factories.metric(cast.sales, objective, owner=cast.sales, title="Teams merged")
    check_in = okrs.record_check_in(actor=cast.sales, key_result=key_result, value=10, status="on_track")
    comments = [
        conversations.post_comment(actor=cast.sales, target=target, body="Between us")
        for target in (objective, key_result, check_in)
    ]
    return SimpleNamespace(objective=objective, key_result=key_result, check_in=check_in, comments=comments)


def private_paths(private):
    return [
        f"/objectives/{private.objective.pk}",
        f"/key-results/{private.key_result.pk}",
        f"/check-ins/{private.check_in.pk}",
        *(f"/comments/{comment.pk}" for comment in private.comments),
    ]


def private_ids(private):
    return {
        "/objectives": {private.objective.pk},
        "/key-results": {private.key_result.pk},
        "/check-ins": {private.check_in.pk},
        "/comments": {comment.pk for comment in private.comments},
    }


def test_a_private_objective_is_absent_from_the_lists_of_someone_not_taking_part(client, world, private):
    text = token(world.cast.member, scope="read")
    for path, hidden in private_ids(private).items():
        listed = ids(call(client, "get", path, text))
        assert listed and not listed & hidden, path


def test_a_private_objective_and_all_about_it_is_not_found_by_id(client, world, private):
    text = token(world.cast.member, scope="read")
    for path in private_paths(private):
        assert call(client, "get", path, text).status_code == 404, path
    for path, query in [
        ("/key-results", {"objective": private.objective.pk}),
        ("/check-ins", {"key_result": private.key_result.pk}),
        ("/comments", {"check_in": private.check_in.pk}),
    ]:
        assert client.get(f"{API}{path}", query, headers=bearer(text)).status_code == 404, path


def test_an_admin_token_sees_the_private_objective(client, world, private):
    text = token(world.cast.admin, scope="read")
    for path, hidden in private_ids(private).items():
        assert hidden <= ids(call(client, "get", path, text)), path
    for path in private_paths(private):
        assert call(client, "get", path, text).status_code == 200, path


# --- the pages' permission rules -----------------------------------------------------------------


def test_a_viewer_makes_read_tokens_only_and_they_cannot_write(client, cast):
    with pytest.raises(ValidationError) as refused:
        services.create_token(actor=cast.viewer, name="Mine", scope="read_write")
    assert "scope" in refused.value.message_dict
    text = token(cast.viewer, scope="read")
    assert call(client, "get", "/objectives", text).status_code == 200
    assert call(client, "post", "/kpis", text, {"name": "Churn", "owner": cast.member.pk}).status_code == 403


def test_a_members_token_cannot_change_the_organization_or_make_timeframes_but_the_owners_can(client, cast):
    settings_change = {"name": "Acme Corp", "language": "de", "time_zone": "UTC", "check_in_weekday": 3}
    timeframe = {"name": "Next quarter", "starts_on": "2030-01-01", "ends_on": "2030-03-31"}
    member = token(cast.member)
    assert call(client, "patch", "/organization", member, settings_change).status_code == 403
    assert call(client, "post", "/timeframes", member, timeframe).status_code == 403
    assert Organization.objects.get(pk=cast.acme.pk).name == "Acme"
    assert not Timeframe.objects.filter(name="Next quarter").exists()

    owner = token(cast.owner)
    changed = call(client, "patch", "/organization", owner, settings_change)
    assert changed.status_code == 200 and changed.json()["name"] == "Acme Corp"
    made = call(client, "post", "/timeframes", owner, timeframe)
    assert made.status_code == 201 and made.json()["state"] == "planning"


def test_a_member_may_make_a_personal_objective_but_not_a_company_one(client, cast):
    text = token(cast.member)
    goal = {"timeframe": cast.quarter.pk, "title": "Learn Rust", "lead": cast.member.pk}
    assert call(client, "post", "/objectives", text, {**goal, "level": "company"}).status_code == 403
    assert call(client, "post", "/objectives", text, {**goal, "level": "personal"}).status_code == 201


# --- the UI's own calls with the browser session -------------------------------------------------


def test_a_signed_in_browser_calls_the_api_with_its_session(client, cast):
    signed_in(client, cast.member)
    me = client.get(f"{API}/me")
    assert me.status_code == 200
    assert (me.json()["email"], me.json()["token_scope"]) == ("member@acme.test", "session")


def test_a_session_write_needs_the_csrf_token(cast, world):
    browser = signed_in(Client(enforce_csrf_checks=True), cast.member)
    comment = {"objective": world.objective.pk, "body": "From the page"}
    refused = browser.post(f"{API}/comments", comment, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert not Comment.objects.filter(body="From the page").exists()

    browser.get("/acme/")
    csrf = browser.cookies[django_settings.CSRF_COOKIE_NAME].value
    accepted = browser.post(f"{API}/comments", comment, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 201 and accepted.json()["author_id"] == cast.member.pk


def test_a_person_in_two_organizations_names_one_with_the_organization_header(client, cast):
    in_beta = add_person(cast.beta_owner, "member@acme.test", "Max Member")
    signed_in(client, cast.member)
    assert client.get(f"{API}/me").status_code == 401
    beta = client.get(f"{API}/me", headers={"X-Lodestar-Organization": "beta"}).json()
    assert (beta["id"], beta["organization"]["slug"]) == (in_beta.pk, "beta")
    acme = client.get(f"{API}/me", headers={"X-Lodestar-Organization": "acme"}).json()
    assert (acme["id"], acme["organization"]["slug"]) == (cast.member.pk, "acme")
    assert client.get(f"{API}/me", headers={"X-Lodestar-Organization": "nowhere"}).status_code == 401


# --- rate limiting -------------------------------------------------------------------------------


def test_the_fourth_call_in_a_minute_is_429_and_each_token_counts_apart(client, cast, settings, monkeypatch):
    settings.LODESTAR_API_RATE = "3/min"
    moment = timezone.now()
    monkeypatch.setattr("lodestar.api.auth.timezone", SimpleNamespace(now=lambda: moment))
    first, second = token(cast.member, scope="read"), token(cast.member, scope="read_write")
    assert [call(client, "get", "/me", first).status_code for _ in range(3)] == [200, 200, 200]
    limited = call(client, "get", "/me", first)
    assert limited.status_code == 429 and limited.json()["detail"]
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert call(client, "get", "/me", second).status_code == 200


# --- errors --------------------------------------------------------------------------------------


def test_a_rule_the_schema_cannot_state_is_409_keyed_by_field(client, cast):
    text = token(cast.owner)
    backwards = {"name": "Backwards", "starts_on": "2030-03-31", "ends_on": "2030-01-01"}
    response = call(client, "post", "/timeframes", text, backwards)
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert list(detail) == ["ends_on"] and isinstance(detail["ends_on"], list) and detail["ends_on"][0]


def test_an_unknown_id_is_404_not_found(client, cast):
    text = token(cast.owner)
    for path in ("/objectives/999999", "/key-results/999999", "/people/999999", "/objectives/99999999999999999999"):
        response = call(client, "get", path, text)
        assert (response.status_code, response.json()) == (404, {"detail": "Not found."}), path


def test_an_impossible_updated_since_date_is_422(client, cast):
    text = token(cast.member, scope="read")
    for path in ("/objectives", "/check-ins", "/comments"):
        response = client.get(f"{API}{path}", {"updated_since": "2026-13-45T00:00:00Z"}, headers=bearer(text))
        assert response.status_code == 422, path
        assert "updated_since" in response.json()["detail"][0], path


def test_malformed_json_is_400(client, cast):
    text = token(cast.owner)
    response = client.post(
        f"{API}/timeframes", '{"name": "Broken", ', content_type="application/json", headers=bearer(text)
    )
    assert response.status_code == 400 and "detail" in response.json()


def test_a_body_the_schema_refuses_is_422(client, world):
    cast = world.cast
    text = token(cast.owner)
    bodies = [
        ("/check-ins", {"value": 5, "status": "on_track"}),
        ("/check-ins", {"key_result": world.key_result.pk, "value": "lots", "status": "on_track"}),
        ("/check-ins", f'{{"key_result": {world.key_result.pk}, "value": NaN, "status": "on_track"}}'),
        ("/check-ins", {"key_result": world.key_result.pk, "value": 5, "status": "sideways"}),
        ("/key-results", {"objective": 0, "title": "KR", "kind": "milestone", "owner": cast.owner.pk}),
        ("/key-results", {"objective": world.objective.pk, "title": "KR", "kind": "vibes", "owner": cast.owner.pk}),
        ("/comments", {"objective": world.objective.pk, "body": "Hi", "mood": "happy"}),  # an unknown field
        ("/comments", {"objective": world.objective.pk, "body": "\u0007"}),  # a control character
        ("/check-ins", {"key_result": world.key_result.pk, "value": True}),  # true is not a number
        ("/timeframes", {"name": "Q1", "starts_on": 0, "ends_on": "2030-03-31"}),  # a number is not a date
    ]
    before = rows()
    for path, body in bodies:
        response = call(client, "post", path, text, body)
        assert response.status_code == 422 and response.json()["detail"], (path, body, response.content)
    assert rows() == before


@pytest.mark.parametrize(
    "path, change",
    [
        ("/objectives/{objective}", {"title": None}),
        ("/objectives/{objective}", {"timeframe": None}),
        ("/objectives/{objective}", {"lead": None}),
        ("/key-results/{key_result}", {"weight": None}),
        ("/check-ins/{check_in}", {**CHECK_IN_CHANGE, "value": None}),
        ("/kpis/{kpi}", {"cadence": None}),
        ("/timeframes/{timeframe}", {"starts_on": None}),
        ("/groups/{group}", {"name": None}),
        ("/people/{person}", {"manager": None, "role": None}),
        ("/people/{person}", {"manager": None, "is_active": None}),
        ("/people/{person}", {"manager": None, "is_okr_ambassador": None}),
    ],
)
def test_patching_a_required_field_to_null_is_a_client_error(client, world, path, change):
    cast = world.cast
    named = {
        "objective": world.objective.pk,
        "key_result": world.key_result.pk,
        "check_in": world.check_in.pk,
        "kpi": world.kpi.pk,
        "timeframe": cast.quarter.pk,
        "group": cast.engineering.pk,
        "person": cast.member.pk,
    }
    before = rows()
    response = call(client, "patch", path.format(**named), token(cast.owner), change)
    # 422 where the schema says the field is not nullable; 409 where null is a reading the key
    # result's kind refuses (a metric's value).
    assert response.status_code in (409, 422), response.content
    assert rows() == before


def test_a_check_in_dated_in_the_future_is_409_on_effective_on(client, world):
    tomorrow = world.cast.today + datetime.timedelta(days=1)
    body = {"key_result": world.key_result.pk, "value": 7, "status": "on_track", "effective_on": tomorrow.isoformat()}
    response = call(client, "post", "/check-ins", token(world.cast.member), body)
    assert response.status_code == 409 and "effective_on" in response.json()["detail"]


def test_a_member_patching_their_objectives_lead_to_null_gets_a_field_error(client, cast):
    own = factories.objective(
        cast.member, timeframe=cast.quarter, title="Learn Rust", level="personal", lead=cast.member
    )
    answer = call(client, "patch", f"/objectives/{own.pk}", token(cast.member), {"lead": None})
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == "lead"


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00"])
def test_an_updated_since_at_the_ends_of_time_means_the_first_or_last_moment(client, world, moment):
    # The schema's date-time allows every year: the server answers rather than refusing the ends.
    answer = client.get(f"{API}/objectives", {"updated_since": moment}, headers=bearer(token(world.cast.member)))
    assert answer.status_code == 200
    assert bool(answer.json()["items"]) == moment.startswith("0001")


def test_a_private_parent_and_a_private_key_result_of_an_initiative_stay_unnamed(client, world, private):
    cast = world.cast
    child = factories.objective(
        cast.sales, timeframe=cast.quarter, title="Open a Vienna office", level="personal", lead=cast.sales,
        parent=private.objective,
    )  # fmt: skip
    work = okrs.create_initiative(
        actor=cast.owner, title="Shared tooling", key_results=[private.key_result, world.key_result]
    )
    member = token(cast.member, scope="read")
    assert call(client, "get", f"/objectives/{child.pk}", member).json()["parent_id"] is None
    assert call(client, "get", f"/initiatives/{work.pk}", member).json()["key_result_ids"] == [world.key_result.pk]
    insider = token(cast.sales, scope="read")
    assert call(client, "get", f"/objectives/{child.pk}", insider).json()["parent_id"] == private.objective.pk


# --- the end of a cycle --------------------------------------------------------------------------


def _goal_writes(world):
    cast = world.cast
    return [
        ("patch", f"/objectives/{world.objective.pk}", {"title": "Renamed"}),
        ("delete", f"/objectives/{world.objective.pk}", None),
        ("post", f"/objectives/{world.objective.pk}/close", {"score": 0.5}),
        (
            "post",
            "/key-results",
            {"objective": world.objective.pk, "title": "KR", "kind": "milestone", "owner": cast.member.pk},
        ),
        ("patch", f"/key-results/{world.key_result.pk}", {"title": "Renamed"}),
        ("delete", f"/key-results/{world.key_result.pk}", None),
        ("post", "/check-ins", {"key_result": world.key_result.pk, "value": 9, "status": "on_track"}),
        ("patch", f"/check-ins/{world.check_in.pk}", CHECK_IN_CHANGE),
        ("delete", f"/check-ins/{world.check_in.pk}", None),
    ]


def test_a_closed_timeframe_refuses_every_goal_write_from_a_member_but_not_from_an_admin(client, world):
    Timeframe.objects.filter(pk=world.cast.quarter.pk).update(state=Timeframe.State.CLOSED)
    member_token, before = token(world.cast.member), rows()
    for method, path, body in _goal_writes(world):
        response = call(client, method, path, member_token, body)
        assert response.status_code == 403, (method, path, response.content)
    assert rows() == before
    response = call(client, "patch", f"/objectives/{world.objective.pk}", token(world.cast.admin), {"title": "Fixed"})
    assert response.status_code == 200, response.content


def test_closing_through_the_api_keeps_score_outcome_and_reflection(client, world):
    body = {"score": 0.8, "outcome": "accomplished", "reflection": {"What went well?": "Alerts route."}}
    response = call(client, "post", f"/objectives/{world.objective.pk}/close", token(world.cast.member), body)
    assert response.status_code == 200, response.content
    closed = response.json()
    assert (closed["state"], closed["score"], closed["outcome"]) == ("closed", 0.8, "accomplished")
    assert closed["reflection"] == {"What went well?": "Alerts route."}
    refused = call(client, "post", f"/objectives/{world.objective.pk}/close", token(world.cast.owner), {"score": 2})
    assert refused.status_code == 422


def test_an_objective_is_carried_over_and_an_estimate_converted_through_the_api(client, world):
    cast = world.cast
    following = okrs.create_timeframe(
        actor=cast.owner,
        name="Next",
        starts_on=cast.quarter.ends_on + datetime.timedelta(days=1),
        ends_on=cast.quarter.ends_on + datetime.timedelta(days=90),
    )
    member = token(cast.member)
    response = call(client, "post", f"/objectives/{world.objective.pk}/carry-over", member, {"timeframe": following.pk})
    assert response.status_code == 201, response.content
    carried = Objective.objects.get(pk=response.json()["id"])
    assert (carried.timeframe, carried.carried_over_from) == (following, world.objective)
    assert [kr["title"] for kr in response.json()["key_results"]] == [world.key_result.title]
    beta = call(
        client, "post", f"/objectives/{world.objective.pk}/carry-over", token(cast.beta_owner), {"timeframe": 1}
    )
    assert beta.status_code == 404

    estimate = factories.key_result(cast.owner, world.objective, KeyResult.Kind.ESTIMATE, owner=cast.member)
    path = f"/key-results/{estimate.pk}/convert-to-metric"
    response = call(client, "post", path, member, {"start_value": 40, "target_value": 20, "unit": "h"})
    assert response.status_code == 200, response.content
    assert (response.json()["kind"], response.json()["start_value"], response.json()["target_value"]) == (
        "metric",
        40,
        20,
    )
    assert call(client, "post", path, member, {"start_value": 40, "target_value": 20}).status_code == 409
