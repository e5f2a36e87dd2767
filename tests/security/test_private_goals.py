"""A private objective leaks nowhere: not on any page a colleague outside it can open, and its ids
give 404 to them. Pages come from the URL resolver, so new pages are covered when they appear."""

import pytest

from lodestar.okrs import services
from tests import factories
from tests.conftest import signed_in
from tests.security.urls import ARGUMENTS, build, organization_patterns

SECRET = "Zephyr acquisition of Beta Corp"


@pytest.fixture
def secret(cast):
    objective = factories.objective(
        cast.owner, timeframe=cast.quarter, title=SECRET, visibility="private", contributors=[cast.lead]
    )
    key_result = factories.metric(cast.owner, objective, owner=cast.lead, title=f"{SECRET}: due diligence done")
    check_in = services.record_check_in(actor=cast.lead, key_result=key_result, value=40, status="on_track")
    # The outsider, Sam from Sales, has goals of his own to look at.
    visible = factories.objective(cast.owner, timeframe=cast.quarter, title="Public goal", lead=cast.sales)
    visible_kr = factories.metric(cast.owner, visible, owner=cast.sales)
    return objective, key_result, check_in, visible, visible_kr


def pages(values, slug):
    return [build(name, route, slug, values) for route, name in organization_patterns()]


def test_no_page_an_outsider_opens_shows_the_private_objective(client, cast, secret):
    _objective, key_result, _check_in, visible, visible_kr = secret
    signed_in(client, cast.sales)
    # Fill each page with objects the outsider may see (0 where there is none: that page is a 404).
    own = dict.fromkeys(ARGUMENTS, 0) | {
        "key_result_id": visible_kr.pk,
        "objective_id": visible.pk,
        "timeframe_id": cast.quarter.pk,
    }
    opened = 0
    for url in pages(own, cast.acme.slug):
        response = client.get(url)
        if response.status_code == 200:
            opened += 1
            body = response.content.decode()
            assert SECRET not in body, url
            assert f"/key-results/{key_result.pk}/" not in body, url
    assert opened >= 2


def test_the_private_objectives_ids_are_not_found_by_an_outsider(client, cast, secret):
    objective, key_result, check_in, *_ = secret
    signed_in(client, cast.sales)
    private = {"key_result_id": key_result.pk, "objective_id": objective.pk, "check_in_id": check_in.pk}
    for url in pages(dict.fromkeys(ARGUMENTS, 0) | private, cast.acme.slug):
        if any(str(value) in url for value in private.values()):
            assert client.get(url).status_code == 404, url


def test_people_inside_the_private_objective_see_it(client, cast, secret):
    assert SECRET in signed_in(client, cast.lead).get("/acme/").content.decode()
