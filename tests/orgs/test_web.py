"""Signing in, the home page, and what other organizations see (nothing)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.okrs import services
from tests import factories
from tests.conftest import PASSWORD, signed_in


def home_url(slug="acme"):
    return reverse("okrs:home", kwargs={"org_slug": slug})


def test_signing_in_with_email_and_password_leads_to_my_goals(client, cast):
    response = client.post(reverse("account_login"), {"login": "member@acme.test", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == home_url()
    assert "My goals" in response.content.decode()


def test_a_wrong_password_is_refused_with_a_message(client, cast):
    response = client.post(reverse("account_login"), {"login": "member@acme.test", "password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    response = client.get(home_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_home_lists_my_objectives_and_key_results_with_progress(client, cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Delight fleet managers")
    key_result = factories.metric(cast.owner, objective, owner=cast.member, title="Alerts answered within a day")
    factories.objective(cast.owner, timeframe=cast.quarter, title="Someone else's goal")
    services.record_check_in(actor=cast.member, key_result=key_result, value=40, status="needs_attention")

    page = signed_in(client, cast.member).get(home_url()).content.decode()

    assert "Delight fleet managers" in page
    assert "Alerts answered within a day" in page
    assert "40%" in page
    assert "Needs attention" in page
    assert "Someone else&#x27;s goal" not in page and "Someone else's goal" not in page


def test_home_shows_key_results_that_need_a_check_in(client, cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter)
    factories.metric(cast.owner, objective, owner=cast.member, title="Churned customers called back")
    page = signed_in(client, cast.member).get(home_url()).content.decode()
    assert "Needs your check-in this week" in page
    assert "no check-in yet" in page


def test_home_speaks_german_when_the_person_prefers_it(client, cast):
    cast.member.user.language = "de"
    cast.member.user.save()
    page = signed_in(client, cast.member).get(home_url()).content.decode()
    assert '<html lang="de">' in page
    assert "Meine Ziele" in page


def test_a_member_of_another_organization_gets_404(client, cast):
    response = signed_in(client, cast.beta_member).get(home_url())
    assert response.status_code == 404


def test_a_timeframe_of_another_organization_in_the_query_string_gets_404(client, cast):
    response = signed_in(client, cast.member).get(home_url(), {"timeframe": cast.beta_quarter.pk})
    assert response.status_code == 404
    assert signed_in(client, cast.member).get(home_url(), {"timeframe": "nonsense"}).status_code == 404


def test_private_objectives_of_others_do_not_appear(client, cast):
    secret = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Secret reorganisation", visibility="private"
    )
    factories.metric(cast.owner, secret, owner=cast.admin)
    factories.objective(cast.owner, timeframe=cast.quarter, title="Public goal", contributors=[cast.member])
    page = signed_in(client, cast.member).get(home_url()).content.decode()
    assert "Public goal" in page
    assert "Secret reorganisation" not in page


def test_root_sends_people_to_their_organization(client, cast):
    response = signed_in(client, cast.member).get("/")
    assert response["Location"] == home_url()


def test_every_page_sends_a_strict_content_security_policy(client, cast):
    for url in (reverse("account_login"), home_url(), "/healthz"):
        header = signed_in(client, cast.member).get(url).headers["Content-Security-Policy"]
        assert "script-src 'self'" in header
        assert "default-src 'self'" in header
        assert "unsafe-inline" not in header


def _populate(cast, objectives: int) -> None:
    for index in range(objectives):
        objective = factories.objective(
            cast.owner, timeframe=cast.quarter, title=f"Goal {index}", lead=cast.member, contributors=[cast.lead]
        )
        for number in range(3):
            key_result = factories.metric(cast.owner, objective, owner=cast.member, title=f"KR {index}.{number}")
            services.record_check_in(actor=cast.member, key_result=key_result, value=number * 10, status="on_track")


def _queries_for_home(client, cast) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(home_url()).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_home_issues_the_same_number_of_queries_for_2_and_12_objectives(client, cast):
    signed_in(client, cast.member)
    _populate(cast, 2)
    small = _queries_for_home(client, cast)
    _populate(cast, 10)
    with CaptureQueriesContext(connection) as queries:
        client.get(home_url())
    large = len(queries)
    assert small == large, "\n".join(q["sql"] for q in queries.captured_queries)
    assert large <= 13  # 12 for the page, 1 for the bell's unread count


def test_a_german_speakers_language_does_not_stay_with_the_next_request(client, cast):
    from django.utils import translation

    cast.member.user.language = "de"
    cast.member.user.save()
    response = signed_in(client, cast.member).get("/acme/")
    assert "Meine Ziele" in response.content.decode() and response["Content-Language"] == "de"
    assert translation.get_language() != "de"
    assert "My goals" in signed_in(client, cast.lead).get("/acme/").content.decode()
