"""Checking in from the web: a plain form post, clear errors, nothing saved on bad input."""

import pytest
from django.urls import reverse

from lodestar.okrs.models import CheckIn, KeyResult
from tests import factories
from tests.conftest import reload, signed_in


@pytest.fixture
def key_result(cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Fleet managers trust our alerts")
    return factories.metric(cast.owner, objective, owner=cast.member, title="Alerts acknowledged", target=200)


def url(key_result, slug="acme"):
    return reverse("okrs:check_in", kwargs={"org_slug": slug, "key_result_id": key_result.pk})


def post(client, key_result, **fields):
    return client.post(url(key_result), {f"kr{key_result.pk}-{name}": value for name, value in fields.items()})


def test_my_goals_offers_an_inline_check_in_for_my_key_results(client, cast, key_result):
    page = signed_in(client, cast.member).get("/acme/").content.decode()
    assert f'action="{url(key_result)}"' in page
    assert f'name="kr{key_result.pk}-value"' in page


def test_a_check_in_posted_from_my_goals_is_saved_and_rolls_up(client, cast, key_result):
    response = post(signed_in(client, cast.member), key_result, value="50", status="on_track", comment="Good week")
    assert response.status_code == 302
    assert response["Location"] == f"/acme/#key-result-{key_result.pk}"
    check_in = CheckIn.objects.get()
    assert (check_in.value, check_in.status, check_in.comment, check_in.author) == (
        50,
        "on_track",
        "Good week",
        cast.member,
    )
    assert reload(key_result).progress == 0.25
    assert reload(key_result.objective).progress == 0.25
    page = client.get("/acme/").content.decode()
    assert "Checked in on “Alerts acknowledged”." in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": "lots", "status": "on_track"}, "Enter a number."),
        ({"value": "", "status": "on_track"}, "This field is required."),
        ({"value": "5", "status": ""}, "This field is required."),
        ({"value": "5", "status": "on_track", "confidence": "11"}, "Select a valid choice."),
        ({"value": "1e400", "status": "on_track"}, "Enter a number smaller than"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(client, cast, key_result, fields, message):
    response = post(signed_in(client, cast.member), key_result, **fields)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_milestone_is_checked_in_with_a_tick(client, cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter)
    milestone = factories.key_result(cast.owner, objective, KeyResult.Kind.MILESTONE, owner=cast.member)
    post(signed_in(client, cast.member), milestone, done="on", status="on_track")
    assert reload(milestone).progress == 1.0


def test_a_viewer_is_refused(client, cast, key_result):
    response = post(signed_in(client, cast.viewer), key_result, value="5", status="on_track")
    assert response.status_code == 403
    assert not CheckIn.objects.exists()


def test_another_organizations_key_result_is_not_found(client, cast, key_result):
    response = post(signed_in(client, cast.beta_member), key_result, value="5", status="on_track")
    assert response.status_code == 404
    beta_url = url(key_result, slug="beta")
    assert signed_in(client, cast.beta_member).post(beta_url, {}).status_code == 404
    assert not CheckIn.objects.exists()


def test_the_check_in_page_works_without_javascript(client, cast, key_result):
    page = signed_in(client, cast.member).get(url(key_result)).content.decode()
    assert "Save check-in" in page
    assert 'name="kr' in page
