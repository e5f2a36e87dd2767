"""A private objective linked to things others may see: an initiative that also serves a public key
result, a public draft in a challenge round aligned to it, a public parent whose progress comes from
its aligned objectives. Those others see the public thing and nothing of the private one — not its
title, its key results, nor (through the parent's progress and status) how it is doing."""

import pytest

from lodestar.core.errors import NotFound
from lodestar.okrs import rollup, services
from lodestar.okrs.models import InitiativeKeyResult, Objective
from lodestar.rollout import services as rollout
from lodestar.rollout.models import RoundObjective
from tests import factories
from tests.conftest import reload, signed_in

SECRET = "Zephyr takeover"


@pytest.fixture
def private(cast):
    """The lead's private Engineering objective with a key result, aligned to a public company
    objective that takes its progress from its aligned objectives. Sam from Sales may not see it."""
    parent = factories.objective(cast.owner, timeframe=cast.quarter, title="Grow", progress_driver="children")
    objective = factories.objective(
        cast.owner, timeframe=cast.quarter, title=SECRET, level="group", groups=[cast.engineering],
        lead=cast.lead, visibility="private", parent=parent,
    )  # fmt: skip
    key_result = factories.metric(cast.owner, objective, owner=cast.lead, title=f"{SECRET}: term sheet")
    return parent, objective, key_result


@pytest.fixture
def shared_work(cast, private):
    """Sam's initiative serving his public key result and the private one."""
    _parent, _objective, secret_kr = private
    public = factories.objective(cast.owner, timeframe=cast.quarter, title="Sales pipeline", lead=cast.sales)
    public_kr = factories.metric(cast.owner, public, owner=cast.sales, title="Qualified leads")
    initiative = services.create_initiative(
        actor=cast.owner, title="Trade fair", key_results=[secret_kr, public_kr], owner=cast.sales
    )
    return initiative, public, public_kr, secret_kr


# --- 1. initiatives -------------------------------------------------------------------------------


def test_the_initiative_edit_page_shows_only_the_key_results_the_reader_may_see(client, cast, shared_work):
    initiative, public, public_kr, secret_kr = shared_work
    body = signed_in(client, cast.sales).get(f"/acme/initiatives/{initiative.pk}/edit/").content.decode()
    assert SECRET not in body
    assert f'name="key_results" value="{secret_kr.pk}"' not in body
    assert public_kr.title in body
    assert public.title in body  # the breadcrumb names the objective the reader may see


def test_the_initiative_delete_page_returns_to_an_objective_the_reader_may_see(client, cast, shared_work, private):
    initiative, public, _public_kr, _secret_kr = shared_work
    body = signed_in(client, cast.sales).get(f"/acme/initiatives/{initiative.pk}/delete/").content.decode()
    assert SECRET not in body
    assert f"/objectives/{private[1].pk}/" not in body
    assert f"/objectives/{public.pk}/" in body


def test_saving_the_initiative_keeps_the_links_the_reader_could_not_see(client, cast, shared_work):
    initiative, _public, public_kr, secret_kr = shared_work
    response = signed_in(client, cast.sales).post(
        f"/acme/initiatives/{initiative.pk}/edit/",
        {"title": "Trade fair 2027", "key_results": [public_kr.pk], "owner": cast.sales.user.email,
         "state": "in_progress"},
    )  # fmt: skip
    assert response.status_code == 302
    assert reload(initiative).title == "Trade fair 2027"
    linked = set(InitiativeKeyResult.objects.filter(initiative=initiative).values_list("key_result_id", flat=True))
    assert linked == {public_kr.pk, secret_kr.pk}


def test_the_reader_cannot_link_the_initiative_to_a_key_result_they_may_not_see(cast, private):
    _parent, _objective, secret_kr = private
    public = factories.objective(cast.owner, timeframe=cast.quarter, title="Sales pipeline", lead=cast.sales)
    public_kr = factories.metric(cast.owner, public, owner=cast.sales, title="Qualified leads")
    initiative = services.create_initiative(actor=cast.sales, title="Trade fair", key_results=[public_kr])
    with pytest.raises(NotFound):
        services.update_initiative(actor=cast.sales, initiative=initiative, key_results=[public_kr, secret_kr])
    assert list(InitiativeKeyResult.objects.filter(initiative=initiative).values_list("key_result_id", flat=True)) == [
        public_kr.pk
    ]


def test_a_reader_posting_a_hidden_key_result_in_the_form_changes_nothing(client, cast, shared_work):
    initiative, _public, public_kr, secret_kr = shared_work
    response = signed_in(client, cast.sales).post(
        f"/acme/initiatives/{initiative.pk}/edit/",
        {"title": "Trade fair", "key_results": [public_kr.pk, secret_kr.pk], "state": "in_progress"},
    )
    assert response.status_code in (404, 422)
    assert SECRET not in response.content.decode()


# --- 2. challenge rounds --------------------------------------------------------------------------


@pytest.fixture
def round_on_a_child(cast, private):
    """A public draft aligned to the private objective, challenged by Sam."""
    _parent, objective, _kr = private
    draft = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Partner channel", level="personal", lead=cast.sales,
        parent=objective, state=Objective.State.DRAFT,
    )  # fmt: skip
    challenge = rollout.open_round(
        actor=cast.owner, title="Drafts", deadline=cast.today, objectives=[draft], reviewers=[cast.sales]
    )
    return challenge, draft


def test_a_reviewer_does_not_see_the_private_parent_of_a_round_objective(client, cast, round_on_a_child):
    challenge, draft = round_on_a_child
    body = signed_in(client, cast.sales).get(f"/acme/rollout/rounds/{challenge.pk}/").content.decode()
    assert draft.title in body
    assert SECRET not in body


def test_after_the_round_closes_nobody_outside_sees_the_private_parent(client, cast, round_on_a_child, private):
    challenge, draft = round_on_a_child
    entry = RoundObjective.objects.get(round=challenge)
    rollout.close_round(actor=cast.owner, challenge=challenge, decisions={}, publish=[entry.pk])
    for person in (cast.sales, cast.viewer):
        body = signed_in(client, person).get(f"/acme/rollout/rounds/{challenge.pk}/").content.decode()
        assert draft.title in body
        assert SECRET not in body
    assert SECRET in signed_in(client, cast.lead).get(f"/acme/rollout/rounds/{challenge.pk}/").content.decode()


# --- 3. roll-up: a private objective never drives its parent -------------------------------------


def test_a_private_child_does_not_drive_its_public_parents_progress_or_status(cast, private):
    parent, _objective, secret_kr = private
    public_child = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Open channel", level="group", groups=[cast.sales_group],
        lead=cast.sales, parent=parent,
    )  # fmt: skip
    public_kr = factories.metric(cast.owner, public_child, owner=cast.sales)
    services.record_check_in(actor=cast.sales, key_result=public_kr, value=60, status="on_track")
    services.record_check_in(actor=cast.lead, key_result=secret_kr, value=10, status="off_track")
    assert (reload(parent).progress, reload(parent).status) == (0.6, "on_track")
    assert rollup.recompute_organization(cast.acme.pk, write=False) == {"key_results": 0, "objectives": 0}


def test_a_parent_of_only_private_children_shows_no_progress(cast, private):
    parent, _objective, secret_kr = private
    services.record_check_in(actor=cast.lead, key_result=secret_kr, value=80, status="on_track")
    assert (reload(parent).progress, reload(parent).status) == (0.0, "none")


def test_turning_a_child_private_or_public_recomputes_its_parent_at_once(cast, private):
    parent, objective, secret_kr = private
    services.record_check_in(actor=cast.lead, key_result=secret_kr, value=80, status="needs_attention")
    services.update_objective(actor=cast.owner, objective=objective, visibility="public")
    assert (reload(parent).progress, reload(parent).status) == (0.8, "needs_attention")
    services.update_objective(actor=cast.owner, objective=objective, visibility="private")
    assert (reload(parent).progress, reload(parent).status) == (0.0, "none")


def test_a_private_child_does_not_drive_a_private_parent_either(cast, private):
    """The rule needs no audience maths: those who may see a private parent are not always those who
    may see its private child, so a private objective drives no parent at all (like a draft)."""
    _parent, objective, _kr = private
    services.update_objective(actor=cast.owner, objective=objective, progress_driver="children")
    inner = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Due diligence", level="group", groups=[cast.engineering],
        lead=cast.lead, visibility="private", parent=objective,
    )  # fmt: skip
    inner_kr = factories.metric(cast.owner, inner, owner=cast.lead)
    services.record_check_in(actor=cast.lead, key_result=inner_kr, value=50, status="on_track")
    assert (reload(inner).progress, reload(inner).status) == (0.5, "on_track")
    assert (reload(objective).progress, reload(objective).status) == (0.0, "none")


def test_the_data_migration_recomputes_parents_that_counted_private_children(cast, private):
    from importlib import import_module

    from django.apps import apps

    from lodestar.okrs.models import ProgressSnapshot

    migration = import_module("lodestar.okrs.migrations.0012_private_objectives_drive_no_parent")
    parent, _objective, secret_kr = private
    services.record_check_in(actor=cast.lead, key_result=secret_kr, value=80, status="on_track")
    Objective.objects.filter(pk=parent.pk).update(progress=0.8, status="on_track")  # as the old rule left it
    migration.recompute(apps, None)
    assert (reload(parent).progress, reload(parent).status) == (0.0, "none")
    assert ProgressSnapshot.objects.get(objective=parent, on=cast.acme.today()).progress == 0.0
    assert rollup.recompute_organization(cast.acme.pk, write=False) == {"key_results": 0, "objectives": 0}
