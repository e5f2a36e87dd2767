"""The strategy page: vision, mission and the year's pillars with the company objectives that serve them."""

from lodestar.okrs import services as okrs
from lodestar.okrs.models import Objective
from lodestar.strategy import services
from tests import factories
from tests.conftest import signed_in


def page(client, membership, path="/acme/strategy/"):
    response = signed_in(client, membership).get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_strategy_page_shows_vision_mission_and_each_pillars_company_objectives(client, cast, today):
    services.update_strategy(actor=cast.owner, vision="Every machine connected", mission="We make data useful")
    pillar = services.create_pillar(actor=cast.owner, year=today.year, name="Data services")
    services.create_pillar(actor=cast.owner, year=today.year, name="Quality")
    factories.objective(cast.owner, timeframe=cast.quarter, title="OEMs buy our data services", pillar=pillar)
    body = page(client, cast.viewer)
    assert "Every machine connected" in body and "We make data useful" in body
    assert body.index("Data services") < body.index("OEMs buy our data services") < body.index("Quality")
    assert "No company objective serves this pillar yet" in body


def test_a_private_company_objective_is_not_listed_under_its_pillar_for_outsiders(client, cast, today):
    pillar = services.create_pillar(actor=cast.owner, year=today.year, name="Data services")
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Acquire a startup", pillar=pillar)
    okrs.update_objective(actor=cast.owner, objective=objective, visibility=Objective.Visibility.PRIVATE)
    assert "Acquire a startup" not in page(client, cast.member)
    assert "Acquire a startup" in page(client, cast.admin)


def test_other_years_are_a_click_away_and_odd_years_are_answered_calmly(client, cast, today):
    services.create_pillar(actor=cast.owner, year=today.year - 1, name="Last year's theme")
    assert "Last year&#x27;s theme" not in page(client, cast.member)
    assert "Last year&#x27;s theme" in page(client, cast.member, f"/acme/strategy/?year={today.year - 1}")
    for year in ("banana", "-5", "99999999999999999999", "\x00"):
        assert "Strategic pillars" in page(client, cast.member, f"/acme/strategy/?year={year}")


def test_an_admin_writes_the_vision_and_adds_a_pillar_from_the_strategy_page(client, cast, today):
    signed_in(client, cast.admin)
    response = client.post("/acme/strategy/edit/", {"vision": "Every machine connected", "mission": "Data, useful"})
    assert response.status_code == 302
    response = client.post(f"/acme/strategy/pillars/new/?year={today.year}", {"name": "Quality", "description": ""})
    assert response["Location"] == f"/acme/strategy/?year={today.year}"
    body = page(client, cast.admin)
    assert "Every machine connected" in body and "Quality" in body


def test_a_duplicate_pillar_gets_a_message_next_to_its_name(client, cast, today):
    services.create_pillar(actor=cast.owner, year=today.year, name="Quality")
    response = signed_in(client, cast.admin).post("/acme/strategy/pillars/new/", {"name": "quality"})
    assert response.status_code == 422
    assert 'class="field-error"' in response.content.decode()


def test_members_are_not_offered_to_edit_the_strategy_and_are_refused(client, cast):
    assert "Edit vision and mission" not in page(client, cast.member)
    assert signed_in(client, cast.member).get("/acme/strategy/edit/").status_code == 403


def test_an_admin_edits_reorders_and_removes_pillars_from_the_strategy_page(client, cast, today):
    growth = services.create_pillar(actor=cast.owner, year=today.year, name="Growth")
    quality = services.create_pillar(actor=cast.owner, year=today.year, name="Quality")
    factories.objective(cast.owner, timeframe=cast.quarter, title="Win ten OEMs", pillar=growth)
    signed_in(client, cast.admin)
    body = page(client, cast.admin)
    assert f"/acme/strategy/pillars/{growth.pk}/edit/" in body
    assert "1 company objective serves it: it stays as it is, without a pillar." in body  # the dialog

    response = client.post(f"/acme/strategy/pillars/{quality.pk}/move/", {"direction": "up"})
    assert response["Location"] == f"/acme/strategy/?year={today.year}#pillar-{quality.pk}"
    body = page(client, cast.admin)
    assert body.index("Quality") < body.index("Growth")

    response = client.post(f"/acme/strategy/pillars/{growth.pk}/edit/", {"name": "Growth markets", "description": ""})
    assert response.status_code == 302
    confirmation = client.get(f"/acme/strategy/pillars/{growth.pk}/delete/").content.decode()
    assert "1 company objective serves it" in confirmation
    assert client.post(f"/acme/strategy/pillars/{growth.pk}/delete/").status_code == 302
    body = page(client, cast.admin)
    assert "Removed the pillar “Growth markets”." in body
    assert f'id="pillar-{growth.pk}"' not in body and f'id="pillar-{quality.pk}"' in body


def test_moving_the_first_pillar_up_says_why_nothing_moved(client, cast, today):
    growth = services.create_pillar(actor=cast.owner, year=today.year, name="Growth")
    response = signed_in(client, cast.admin).post(f"/acme/strategy/pillars/{growth.pk}/move/", {"direction": "up"})
    assert response.status_code == 422
    assert "“Growth” is already the first pillar." in response.content.decode()


def test_members_see_no_pillar_controls_and_are_refused(client, cast, today):
    growth = services.create_pillar(actor=cast.owner, year=today.year, name="Growth")
    body = page(client, cast.member)
    assert "/edit/" not in body and "/move/" not in body
    assert signed_in(client, cast.member).get(f"/acme/strategy/pillars/{growth.pk}/edit/").status_code == 403
