"""The REST API with personal tokens: made once and stored hashed, refused when revoked, expired
or another organization's, and reading exactly what the token's person may see."""

import datetime

import pytest

from lodestar.api import services
from lodestar.api.models import ApiToken
from lodestar.okrs.models import Objective
from tests import factories
from tests.conftest import signed_in


def bearer(text):
    return {"Authorization": f"Bearer {text}"}


@pytest.fixture
def member_token(cast):
    _, text = services.create_token(actor=cast.member, name="Dashboard", scope="read")
    return text


def test_a_token_is_shown_once_and_stored_only_as_a_fingerprint(client, cast):
    signed_in(client, cast.member)
    response = client.post("/acme/settings/api-tokens/", {"name": "Finance import", "scope": "read"}, follow=True)
    body = response.content.decode()
    token = ApiToken.objects.get(membership=cast.member)
    text = response.context["new_token"]
    assert text.startswith(f"lsk_{token.prefix}_") and text in body
    assert text.split("_", 2)[2] not in token.secret_hash and len(token.secret_hash) == 64
    assert text not in client.get("/acme/settings/api-tokens/").content.decode()  # never again
    assert client.get("/api/v1/me", headers=bearer(text)).json()["email"] == "member@acme.test"


def test_the_api_refuses_no_token_a_wrong_one_a_revoked_one_and_an_expired_one(client, cast, member_token):
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers=bearer(member_token + "x")).status_code == 401
    assert client.get("/api/v1/me", headers=bearer("lsk_nothing")).status_code == 401
    token = ApiToken.objects.get(membership=cast.member)
    signed_in(client, cast.member).post(f"/acme/settings/api-tokens/{token.pk}/revoke/")
    client.logout()
    assert client.get("/api/v1/me", headers=bearer(member_token)).status_code == 401
    _, expiring = services.create_token(
        actor=cast.member, name="Short", scope="read", expires_on=cast.today + datetime.timedelta(days=1)
    )
    assert client.get("/api/v1/me", headers=bearer(expiring)).status_code == 200
    ApiToken.objects.filter(name="Short").update(expires_on=cast.today - datetime.timedelta(days=1))
    assert client.get("/api/v1/me", headers=bearer(expiring)).status_code == 401


def test_a_deactivated_persons_token_stops_working(client, cast, member_token):
    from lodestar.orgs import services as orgs

    orgs.update_membership(actor=cast.owner, membership=cast.member, is_active=False)
    assert client.get("/api/v1/me", headers=bearer(member_token)).status_code == 401


def test_a_token_reads_its_own_organization_only_and_never_a_private_objective_of_others(client, cast, member_token):
    factories.objective(cast.owner, timeframe=cast.quarter, title="Acme grows")
    factories.objective(cast.beta_owner, timeframe=cast.beta_quarter, title="Beta's plan")
    factories.objective(
        cast.sales,
        timeframe=cast.quarter,
        title="Sales reorganization",
        level="group",
        groups=[cast.sales_group],
        lead=cast.sales,
        visibility=Objective.Visibility.PRIVATE,
    )
    titles = {item["title"] for item in client.get("/api/v1/objectives", headers=bearer(member_token)).json()["items"]}
    assert titles == {"Acme grows"}
    _, beta = services.create_token(actor=cast.beta_member, name="Beta", scope="read")
    beta_titles = {item["title"] for item in client.get("/api/v1/objectives", headers=bearer(beta)).json()["items"]}
    assert beta_titles == {"Beta's plan"}
    foreign = client.get("/api/v1/objectives", {"timeframe": cast.beta_quarter.pk}, headers=bearer(member_token))
    assert foreign.status_code == 404 and foreign.json() == {"detail": "Not found."}


def test_objectives_come_with_key_results_filtered_and_paged_at_a_fixed_cost(client, cast, member_token):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def read():
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(
                "/api/v1/objectives", {"status": "none", "timeframe": cast.quarter.pk}, headers=bearer(member_token)
            )
        return answer.json(), len(queries)

    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="First")
    factories.metric(cast.owner, objective, owner=cast.member, title="Weekly active users")
    read()  # the token's first call of the minute also records when it was last used
    few, few_queries = read()
    for index in range(8):
        more = factories.objective(cast.owner, timeframe=cast.quarter, title=f"More {index}")
        factories.metric(cast.owner, more, title=f"KR {index}")
    many, many_queries = read()
    assert few["count"] == 1 and few["items"][0]["key_results"][0]["title"] == "Weekly active users"
    assert many["count"] == 9 and many_queries == few_queries
    assert client.get("/api/v1/objectives", {"status": "sideways"}, headers=bearer(member_token)).status_code == 422
    late = client.get("/api/v1/objectives", {"updated_since": "0.5"}, headers=bearer(member_token))
    assert late.status_code == 422 and "updated_since" in late.json()["detail"][0]
    later = client.get("/api/v1/objectives", {"updated_since": "2999-01-01T00:00:00Z"}, headers=bearer(member_token))
    assert later.json()["count"] == 0


def test_viewers_make_read_only_tokens_only(client, cast):
    signed_in(client, cast.viewer)
    response = client.post("/acme/settings/api-tokens/", {"name": "Mine", "scope": "read_write"})
    assert response.status_code == 422 and 'class="field-error"' in response.content.decode()
    assert not ApiToken.objects.filter(membership=cast.viewer).exists()


def test_the_schema_and_the_docs_are_published_without_a_token(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Lodestar API" and "/api/v1/objectives" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200
