"""A personal API token works only while its person may sign in: a disabled account (the user's
is_active off, by an instance administrator) and a deactivated membership both stop it, with a
message that says why; the browser's session calls stop as well."""

import pytest
from django.contrib.auth import get_user_model

from lodestar.api import services as api_tokens
from lodestar.orgs import services as orgs
from tests.conftest import signed_in


def bearer(text):
    return {"Authorization": f"Bearer {text}"}


@pytest.fixture
def member_token(cast):
    _, text = api_tokens.create_token(actor=cast.member, name="Dashboard", scope="read_write")
    return text


def disable_account(membership):
    get_user_model().objects.filter(pk=membership.user_id).update(is_active=False)


def test_a_disabled_accounts_token_is_refused_with_a_reason(client, cast, member_token):
    assert client.get("/api/v1/me", headers=bearer(member_token)).status_code == 200
    disable_account(cast.member)
    response = client.get("/api/v1/me", headers=bearer(member_token))
    assert response.status_code == 401
    assert response.json()["detail"] == "The account of this token is disabled or no longer a member here."
    # Writing is refused just the same.
    response = client.post(
        "/api/v1/objectives", {"title": "Sneaked in"}, content_type="application/json", headers=bearer(member_token)
    )
    assert response.status_code == 401


def test_a_deactivated_members_token_is_refused_with_a_reason(client, cast, member_token):
    orgs.update_membership(actor=cast.owner, membership=cast.member, is_active=False)
    response = client.get("/api/v1/me", headers=bearer(member_token))
    assert response.status_code == 401
    assert response.json()["detail"] == "The account of this token is disabled or no longer a member here."


def test_a_disabled_accounts_browser_session_no_longer_calls_the_api(client, cast):
    signed_in(client, cast.member)
    assert client.get("/api/v1/me").status_code == 200
    disable_account(cast.member)
    assert client.get("/api/v1/me").status_code == 401


def test_a_wrong_token_still_says_only_unauthorized(client, cast, member_token):
    response = client.get("/api/v1/me", headers=bearer(member_token + "x"))
    assert response.status_code == 401
    assert "disabled" not in response.content.decode()
