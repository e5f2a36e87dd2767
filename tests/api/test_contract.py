"""What schemathesis found before the schema became the contract, one test each: a JSON array as a
PATCH body answered 200, a query enum that was another model's, a business rule answered 422 that
the schema did not state, a page number that broke the database, an undocumented status."""

import pytest

from lodestar.api import services
from lodestar.okrs.models import Objective
from tests import factories
from tests.api.test_writes_and_isolation import rows

API = "/api/v1"


@pytest.fixture
def owner_token(cast):
    _, text = services.create_token(actor=cast.owner, name="Contract", scope="read_write")
    return {"Authorization": f"Bearer {text}"}


@pytest.fixture
def schema(client):
    return client.get(f"{API}/openapi.json").json()


@pytest.mark.parametrize("body", ["[null, null]", "[]", '"text"', "42", "null"])
def test_a_json_body_that_is_not_an_object_is_422_and_changes_nothing(client, world, owner_token, body):
    before = rows()
    for path in (
        f"{API}/check-ins/{world.check_in.pk}",
        f"{API}/organization",
        f"{API}/objectives/{world.objective.pk}",
    ):
        response = client.patch(path, body, content_type="application/json", headers=owner_token)
        assert response.status_code == 422, (path, body, response.content)
    assert rows() == before


def test_an_unknown_field_or_null_for_a_field_that_cannot_be_empty_is_422(client, world, owner_token):
    path = f"{API}/objectives/{world.objective.pk}"
    unknown = client.patch(path, {"titel": "Typo"}, content_type="application/json", headers=owner_token)
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "titel"]
    empty = client.patch(path, {"title": None}, content_type="application/json", headers=owner_token)
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"] == ["body", "title"]


def test_a_query_enum_is_the_servers_own(client, cast, owner_token, schema):
    factories.objective(cast.owner, timeframe=cast.quarter, title="Acme grows")
    parameters = {item["name"]: item for item in schema["paths"][f"{API}/objectives"]["get"]["parameters"]}
    assert parameters["state"]["schema"]["anyOf"][0]["enum"] == list(Objective.State.values)
    assert client.get(f"{API}/objectives", {"state": "blocked"}, headers=owner_token).status_code == 422
    active = client.get(f"{API}/objectives", {"state": "active"}, headers=owner_token)
    assert [item["title"] for item in active.json()["items"]] == ["Acme grows"]


def test_deleting_a_timeframe_that_holds_objectives_is_a_documented_409(client, cast, owner_token, schema):
    factories.objective(cast.owner, timeframe=cast.quarter)
    response = client.delete(f"{API}/timeframes/{cast.quarter.pk}", headers=owner_token)
    assert response.status_code == 409 and list(response.json()["detail"]) == ["timeframe"]
    assert "409" in schema["paths"][f"{API}/timeframes/{{timeframe_id}}"]["delete"]["responses"]


def test_a_page_past_the_last_is_empty_and_an_absurd_one_is_422(client, cast, owner_token):
    assert client.get(f"{API}/groups", {"page": 99}, headers=owner_token).json()["items"] == []
    assert client.get(f"{API}/groups", {"page": 10**25}, headers=owner_token).status_code == 422


def test_every_operation_documents_the_shared_errors_and_every_body_refuses_unknown_fields(schema):
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = {str(status) for status in operation["responses"]}
            assert {"403", "404", "409", "422"} <= documented, (method, path, documented)
            if operation.get("security"):
                assert {"401", "429"} <= documented, (method, path)
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body is not None:
                ref = body["$ref"] if "$ref" in body else body["anyOf"][0]["$ref"]
                assert components[ref.rsplit("/", 1)[1]]["additionalProperties"] is False, (method, path)
