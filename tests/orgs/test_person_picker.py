"""The person picker's suggestions (orgs:people_options): the organization's active people matching
what is typed, for htmx to put into a field's datalist; never anyone else's, never a crash."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.orgs.models import Membership
from tests.conftest import add_person, signed_in


def options(client, **query):
    return client.get(
        reverse("orgs:people_options", kwargs={"org_slug": "acme"}), query, headers={"HX-Request": "true"}
    )


def test_suggestions_are_the_organizations_people_matching_name_e_mail_or_job_title(client, cast):
    Membership.objects.filter(pk=cast.sales.pk).update(job_title="Account executive")
    signed_in(client, cast.member)
    assert options(client, q="sam").text.strip() == (
        '<option value="sales@acme.test">Sam Sales · Account executive</option>'
    )
    assert "sales@acme.test" in options(client, q="SALES@ACME").text
    assert "sales@acme.test" in options(client, q="executive").text
    everyone = options(client).text
    assert everyone.index("Ada Admin") < everyone.index("Lea Lead") < everyone.index("Vic Viewer")  # by name


def test_suggestions_read_the_text_under_the_inputs_own_name(client, cast):
    response = options(signed_in(client, cast.member), field="lead", lead="lea")
    assert response.text.strip() == '<option value="lead@acme.test">Lea Lead</option>'


def test_people_who_may_not_hold_goals_or_are_deactivated_are_not_suggested(client, cast):
    Membership.objects.filter(pk=cast.sales.pk).update(is_active=False)
    signed_in(client, cast.member)
    assert "viewer@acme.test" in options(client, q="v").text
    assert "viewer@acme.test" not in options(client, q="v", holders="1").text
    assert "sales@acme.test" not in options(client, q="sales").text


def test_another_organizations_people_are_never_suggested(client, cast):
    page = options(signed_in(client, cast.member), q="beta").text
    assert "member@beta.test" not in page and "Bea" not in page
    assert options(signed_in(client, cast.beta_member), q="a").status_code == 404


def test_at_most_twenty_people_are_suggested_with_one_query_whatever_their_number(client, cast):
    for number in range(25):
        add_person(cast.owner, f"ann{number}@acme.test", f"Ann {number:02}")
    signed_in(client, cast.member)
    answers = {}
    for text in ("ann", "nobody"):
        with CaptureQueriesContext(connection) as queries:
            page = options(client, q=text).text
        answers[text] = (page, len(queries))
    page, queries_for_many = answers["ann"]
    assert page.count("<option") == 20
    assert "Ann 00" in page and "Ann 19" in page and "Ann 20" not in page
    assert queries_for_many == answers["nobody"][1]


@pytest.mark.parametrize("text", ["\x00", "%", "_", "'; DROP TABLE orgs_membership; --", "x" * 5000, "<script>", "🧭"])
def test_any_text_gets_an_answer_not_a_crash(client, cast, text):
    signed_in(client, cast.member)
    for query in ({"q": text}, {"field": text, text: text}, {"field": "lead", "lead": text, "holders": text}):
        response = options(client, **query)
        assert response.status_code == 200
        assert "<script>" not in response.text


def test_suggestions_answer_only_get(client, cast):
    url = reverse("orgs:people_options", kwargs={"org_slug": "acme"})
    assert signed_in(client, cast.member).post(url, {"q": "a"}).status_code == 405
