"""Presentation mode: vision, mission, pillars and one slide per company objective, for a kick-off."""

import pytest

from lodestar.okrs import services as okrs
from lodestar.okrs.models import Objective
from lodestar.strategy import services
from tests import factories
from tests.conftest import signed_in


@pytest.fixture
def kick_off(cast, today):
    services.update_strategy(actor=cast.owner, vision="Every machine connected", mission="We make data useful")
    data = services.create_pillar(actor=cast.owner, year=cast.quarter.starts_on.year, name="Data services")
    services.create_pillar(actor=cast.owner, year=cast.quarter.starts_on.year, name="Quality")
    company = factories.objective(cast.owner, timeframe=cast.quarter, title="OEMs buy our data", pillar=data)
    factories.metric(cast.owner, company, owner=cast.lead, title="Paying OEMs", start=0, target=10)
    team = factories.objective(
        cast.lead, timeframe=cast.quarter, title="Ship the data API", level="group", groups=[cast.engineering],
        lead=cast.lead, parent=company,
    )  # fmt: skip
    return {"company": company, "team": team}


def slides(client, membership, query=""):
    response = signed_in(client, membership).get(f"/acme/present/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_deck_walks_from_vision_to_each_company_objective_and_what_aligns_to_it(client, cast, kick_off):
    body = slides(client, cast.viewer)
    order = ["Current", "Every machine connected", "We make data useful", "Data services", "Quality",
             "OEMs buy our data", "Paying OEMs", "Ship the data API", "Engineering", "Your turn"]  # fmt: skip
    positions = [body.index(text) for text in order]
    assert positions == sorted(positions)
    assert body.count('aria-roledescription="slide"') == 6  # title, vision, mission, pillars, objective, last
    assert "Company objective 1 of 1 · Data services" in body


def test_private_objectives_are_left_out_of_the_deck_for_those_who_may_not_see_them(client, cast, kick_off):
    secret = factories.objective(cast.owner, timeframe=cast.quarter, title="Acquire a startup")
    okrs.update_objective(actor=cast.owner, objective=secret, visibility=Objective.Visibility.PRIVATE)
    okrs.update_objective(actor=cast.owner, objective=kick_off["team"], visibility=Objective.Visibility.PRIVATE)
    body = slides(client, cast.sales)
    assert "Acquire a startup" not in body and "Ship the data API" not in body
    assert "1 company objective ·" in body
    assert "Acquire a startup" in slides(client, cast.admin)


def test_a_timeframe_without_company_objectives_still_presents_the_strategy(client, cast, kick_off):
    body = slides(client, cast.member, f"?timeframe={cast.closed.pk}")
    assert "Every machine connected" in body and "No company objectives in this timeframe yet" in body


def test_leaving_the_presentation_returns_to_the_company_page_of_its_timeframe(client, cast, kick_off):
    body = slides(client, cast.member, f"?timeframe={cast.quarter.pk}")
    assert f'data-exit-url="/acme/company/?timeframe={cast.quarter.pk}"' in body
