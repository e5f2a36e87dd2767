"""Initiatives: the work that should move key results — created, edited, their status changed in
one step, overdue ones flagged — and never counted toward progress."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lodestar.core.errors import NotAllowed, NotFound
from lodestar.okrs import services
from lodestar.okrs.models import Initiative, Objective
from tests import factories
from tests.conftest import reload, signed_in

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def team(cast):
    objective = factories.objective(
        cast.lead, timeframe=cast.quarter, title="Alerts reach the right person", level="group",
        groups=[cast.engineering], lead=cast.lead,
    )  # fmt: skip
    key_result = factories.metric(cast.lead, objective, owner=cast.member, title="Alerts acknowledged")
    services.record_check_in(actor=cast.member, key_result=key_result, value=30, status="on_track")
    return objective, key_result


def test_an_initiative_done_changes_no_progress(cast, team):
    objective, key_result = team
    before = (reload(key_result).progress, reload(objective).progress, reload(objective).status)
    initiative = services.create_initiative(actor=cast.member, title="Alert router v2", key_results=[key_result])
    services.update_initiative(actor=cast.member, initiative=initiative, state="done", progress_percent=100)
    assert reload(initiative).state == "done"
    assert (reload(key_result).progress, reload(objective).progress, reload(objective).status) == before


def test_only_people_who_may_check_in_link_work_to_a_key_result(cast, team):
    _objective, key_result = team
    for outsider in (cast.sales, cast.viewer):
        with pytest.raises(NotAllowed):
            services.create_initiative(actor=outsider, title="Mine", key_results=[key_result])
    with pytest.raises(NotFound):
        services.create_initiative(actor=cast.beta_member, title="Theirs", key_results=[key_result])
    with pytest.raises(ValidationError) as refused:
        services.create_initiative(actor=cast.member, title="Floating", key_results=[])
    assert "key_results" in refused.value.message_dict
    assert not Initiative.objects.exists()


def test_its_owner_updates_an_initiative_even_without_the_right_to_check_in(cast, team):
    _objective, key_result = team
    initiative = services.create_initiative(
        actor=cast.member, title="Sales demo", key_results=[key_result], owner=cast.sales
    )
    services.update_initiative(actor=cast.sales, initiative=initiative, state="in_progress")
    with pytest.raises(NotAllowed):
        services.update_initiative(actor=cast.viewer, initiative=initiative, state="done")


def test_progress_percent_and_status_are_checked(cast, team):
    _objective, key_result = team
    for bad in ({"progress_percent": 101}, {"progress_percent": True}, {"state": "finished"}):
        with pytest.raises(ValidationError):
            services.create_initiative(actor=cast.member, title="Bad", key_results=[key_result], **bad)


def test_the_key_result_page_lists_its_initiatives_and_flags_overdue_ones(client, cast, team):
    objective, key_result = team
    services.create_initiative(
        actor=cast.member, title="Late work", key_results=[key_result], owner=cast.member,
        due_on=cast.today - datetime.timedelta(days=2),
    )  # fmt: skip
    services.create_initiative(
        actor=cast.member, title="Finished work", key_results=[key_result], state="done",
        due_on=cast.today - datetime.timedelta(days=2),
    )  # fmt: skip
    body = signed_in(client, cast.member).get(f"/acme/key-results/{key_result.pk}/").content.decode()
    assert body.count("Overdue") == 1 and "Late work" in body and "Finished work" in body
    assert "Add initiative" in body
    objective_page = client.get(f"/acme/objectives/{objective.pk}/").content.decode()
    assert objective_page.index("Alerts acknowledged</h3>") < objective_page.index("Late work")
    assert (
        "Add initiative"
        not in signed_in(client, cast.sales).get(f"/acme/key-results/{key_result.pk}/").content.decode()
    )


def test_my_goals_lists_my_unfinished_initiatives(client, cast, team):
    _objective, key_result = team
    services.create_initiative(actor=cast.member, title="Mine to do", key_results=[key_result], owner=cast.member)
    services.create_initiative(
        actor=cast.member, title="Mine done", key_results=[key_result], owner=cast.member, state="done"
    )
    body = signed_in(client, cast.member).get("/acme/").content.decode()
    assert "My initiatives" in body and "Mine to do" in body and "Mine done" not in body


def test_my_goals_shows_no_initiative_of_a_private_objective_i_may_not_see(client, cast, team):
    objective, key_result = team
    services.create_initiative(actor=cast.member, title="Secret work", key_results=[key_result], owner=cast.sales)
    services.update_objective(actor=cast.lead, objective=objective, visibility=Objective.Visibility.PRIVATE)
    assert "Secret work" not in signed_in(client, cast.sales).get("/acme/").content.decode()


def test_the_status_changes_in_one_step_with_htmx_or_a_plain_post(client, cast, team):
    _objective, key_result = team
    initiative = services.create_initiative(actor=cast.member, title="Alert router v2", key_results=[key_result])
    signed_in(client, cast.member)
    response = client.post(f"/acme/initiatives/{initiative.pk}/state/", {"state": "blocked"}, **HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<li class="initiative-row" id="initiative-{initiative.pk}">')
    assert reload(initiative).state == "blocked"
    back = f"/acme/key-results/{key_result.pk}/"
    response = client.post(f"/acme/initiatives/{initiative.pk}/state/", {"state": "done", "next": back})
    assert response["Location"] == back and reload(initiative).state == "done"
    response = client.post(f"/acme/initiatives/{initiative.pk}/state/", {"state": "done", "next": "https://evil.test/"})
    assert response["Location"].startswith("/acme/objectives/")


def test_creating_from_a_key_result_page_preselects_it_and_returns_there(client, cast, team):
    objective, key_result = team
    signed_in(client, cast.member)
    back = f"/acme/key-results/{key_result.pk}/"
    form = client.get(f"/acme/objectives/{objective.pk}/initiatives/new/?key_result={key_result.pk}&next={back}")
    assert f'value="{key_result.pk}"' in form.content.decode() and "checked" in form.content.decode()
    response = client.post(
        f"/acme/objectives/{objective.pk}/initiatives/new/",
        {"title": "Pager rota", "key_results": [key_result.pk], "state": "not_started", "next": back},
    )
    assert response["Location"] == back
    assert Initiative.objects.get().title == "Pager rota"
