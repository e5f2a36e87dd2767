"""Inputs and sequences that once slipped past validation (found in review), pinned."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lodestar.core.errors import NotAllowed, NotFound
from lodestar.okrs import services
from lodestar.okrs.models import CheckIn, KeyResult, Objective
from lodestar.orgs.services import update_membership
from tests import factories
from tests.conftest import reload, signed_in


def test_a_value_that_rounds_past_the_column_limit_is_refused(cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter)
    with pytest.raises(ValidationError) as error:
        factories.metric(cast.owner, objective, start="9999999999999999.99995", target=1)
    assert "start_value" in error.value.message_dict
    assert not KeyResult.objects.exists()


def test_a_weight_that_rounds_to_zero_is_refused_with_a_message(cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter)
    with pytest.raises(ValidationError) as error:
        factories.metric(cast.owner, objective, weight=Decimal("0.001"))
    assert "weight" in error.value.message_dict


def test_missing_timeframe_or_lead_gets_a_message_not_a_crash(cast):
    for missing in ({"timeframe": None}, {"lead": None}):
        fields = {"timeframe": cast.quarter, "lead": cast.owner, **missing}
        with pytest.raises(ValidationError) as error:
            services.create_objective(actor=cast.owner, title="Goal", level="company", **fields)
        assert set(missing) <= set(error.value.message_dict)


def test_timeframe_dates_must_be_dates_not_timestamps(cast):
    with pytest.raises(ValidationError):
        services.update_timeframe(actor=cast.owner, timeframe=cast.quarter, starts_on=datetime.datetime(2026, 1, 1))


def test_a_private_parents_title_does_not_appear_on_a_childs_page(client, cast):
    secret = factories.objective(cast.owner, timeframe=cast.quarter, title="Secret acquisition", visibility="private")
    factories.objective(cast.owner, timeframe=cast.quarter, level="personal", lead=cast.member, parent=secret)
    page = signed_in(client, cast.member).get("/acme/").content.decode()
    assert "Secret acquisition" not in page


def test_a_child_of_an_invisible_private_parent_can_still_be_renamed(cast):
    secret = factories.objective(cast.owner, timeframe=cast.quarter, title="Secret", visibility="private")
    mine = factories.objective(cast.owner, timeframe=cast.quarter, level="personal", lead=cast.member, parent=secret)
    services.update_objective(actor=cast.member, objective=mine, title="Renamed")
    assert reload(mine).title == "Renamed"


def test_a_deactivated_contributor_does_not_block_other_edits(cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, contributors=[cast.sales])
    update_membership(actor=cast.owner, membership=cast.sales, is_active=False)
    services.update_objective(actor=cast.owner, objective=objective, title="Still editable")
    assert reload(objective).title == "Still editable"


def test_changing_a_parents_level_may_not_strand_its_children(cast):
    team = factories.objective(cast.owner, timeframe=cast.quarter, level="group", groups=[cast.engineering])
    factories.objective(cast.member, timeframe=cast.quarter, level="personal", parent=team, title="Mine")
    with pytest.raises(ValidationError) as error:
        services.update_objective(actor=cast.owner, objective=team, level="personal", groups=[], lead=cast.lead)
    assert "Mine" in str(error.value)
    assert reload(team).level == "group"


def test_a_check_in_on_a_deleted_key_result_is_not_found(cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter)
    key_result = factories.metric(cast.owner, objective, owner=cast.member)
    services.delete_key_result(actor=cast.owner, key_result=key_result)
    with pytest.raises(NotFound):
        services.record_check_in(actor=cast.member, key_result=key_result, value=1, status="on_track")


def test_editing_an_automatic_check_in_after_the_setting_is_turned_off_keeps_its_status(cast):
    cast.acme.automatic_status = True
    cast.acme.save()
    objective = factories.objective(cast.owner, timeframe=cast.quarter)
    key_result = factories.metric(cast.owner, objective, owner=cast.member)
    check_in = services.record_check_in(actor=reload(cast.member), key_result=key_result, value=45)
    cast.acme.automatic_status = False
    cast.acme.save()
    services.update_check_in(actor=reload(cast.member), check_in=check_in, comment="Checked the numbers")
    assert reload(check_in).status == "on_track"


def test_a_manager_cannot_edit_a_private_objective_they_cannot_see(cast):
    update_membership(actor=cast.owner, membership=cast.member, manager=cast.sales)
    private = factories.objective(cast.member, timeframe=cast.quarter, level="personal", visibility="private")
    with pytest.raises(NotAllowed):
        services.update_objective(actor=cast.sales, objective=private, title="Peeked")
    assert reload(private).title != "Peeked"
    assert CheckIn.objects.count() == 0
    assert Objective.objects.filter(title="Peeked").count() == 0
