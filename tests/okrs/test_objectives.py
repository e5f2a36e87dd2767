"""Creating and changing objectives and key results: validation and alignment rules."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lodestar.core.errors import NotAllowed, NotFound
from lodestar.okrs import services
from lodestar.okrs.models import KeyResult, Objective, ObjectiveGroup, Timeframe
from tests import factories
from tests.conftest import reload


def objective_rows():
    return list(Objective.objects.order_by("pk").values_list("pk", "title", "parent_id", "state"))


def test_a_metric_key_result_needs_a_target_different_from_its_start(cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter)
    with pytest.raises(ValidationError) as error:
        factories.metric(cast.owner, objective, start=50, target=50)
    assert error.value.message_dict == {"target_value": ["The target must differ from the start value."]}
    assert not KeyResult.objects.exists()


def test_the_database_also_refuses_a_metric_with_equal_start_and_target(cast):
    from django.db import IntegrityError, transaction

    objective = factories.objective(cast.owner, timeframe=cast.quarter)
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyResult.objects.create(
            organization=cast.acme,
            objective=objective,
            title="x",
            kind="metric",
            owner=cast.owner,
            start_value=Decimal(1),
            target_value=Decimal(1),
        )


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"weight": 0}, "weight"),
        ({"weight": -1}, "weight"),
        ({"weight": "lots"}, "weight"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"kind": "vibes"}, "kind"),
    ],
)
def test_bad_key_result_input_is_refused(cast, options, field):
    objective = factories.objective(cast.owner, timeframe=cast.quarter)
    fields = {"title": "Revenue", "kind": KeyResult.Kind.METRIC, "start_value": 0, "target_value": 10, **options}
    with pytest.raises(ValidationError) as error:
        services.create_key_result(actor=cast.owner, objective=objective, owner=cast.owner, **fields)
    assert field in error.value.message_dict
    assert not KeyResult.objects.exists()


def test_a_threshold_needs_a_direction(cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter)
    with pytest.raises(ValidationError) as error:
        services.create_key_result(
            actor=cast.owner, objective=objective, title="Uptime", kind="threshold", owner=cast.owner, target_value=99
        )
    assert "threshold_direction" in error.value.message_dict


def test_a_parent_that_would_create_a_cycle_is_refused(cast):
    top = factories.objective(cast.owner, timeframe=cast.quarter, title="Top", level="group", groups=[cast.engineering])
    middle = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Middle", level="group", groups=[cast.engineering], parent=top
    )
    bottom = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Bottom", level="group", groups=[cast.engineering], parent=middle
    )
    before = objective_rows()
    for parent in (bottom, top):
        with pytest.raises(ValidationError) as error:
            services.update_objective(actor=cast.owner, objective=top, parent=parent)
        assert "parent" in error.value.message_dict
    assert objective_rows() == before


def test_a_parent_from_another_organization_is_not_found(cast):
    foreign = factories.objective(cast.beta_owner, timeframe=cast.beta_quarter, title="Beta goal")
    with pytest.raises(NotFound):
        factories.objective(cast.lead, timeframe=cast.quarter, level="group", groups=[cast.engineering], parent=foreign)
    assert not Objective.objects.filter(organization=cast.acme).exists()


@pytest.mark.parametrize("field", ["timeframe", "lead", "groups", "contributors"])
def test_foreign_objects_in_any_field_are_not_found_and_nothing_is_saved(cast, field):
    foreign = {
        "timeframe": cast.beta_quarter,
        "lead": cast.beta_member,
        "groups": [cast.beta_group],
        "contributors": [cast.beta_member],
    }[field]
    fields = {"timeframe": cast.quarter, "lead": cast.lead, "groups": [cast.engineering], "contributors": []}
    fields[field] = foreign
    with pytest.raises(NotFound):
        services.create_objective(actor=cast.owner, title="Ship", level="group", **fields)
    assert not Objective.objects.filter(organization=cast.acme).exists()
    assert not ObjectiveGroup.objects.exists()


def test_a_parent_in_a_timeframe_that_does_not_overlap_is_refused(cast):
    old = factories.objective(cast.owner, timeframe=cast.closed, title="Old goal")
    with pytest.raises(ValidationError) as error:
        factories.objective(cast.owner, timeframe=cast.quarter, level="group", groups=[cast.engineering], parent=old)
    assert "does not overlap" in error.value.message_dict["parent"][0]


def test_company_objectives_align_only_to_company_objectives_of_a_longer_timeframe(cast):
    year = services.create_timeframe(
        actor=cast.owner,
        name="Year",
        kind=Timeframe.Kind.YEAR,
        starts_on=cast.quarter.starts_on - datetime.timedelta(days=100),
        ends_on=cast.quarter.ends_on + datetime.timedelta(days=100),
    )
    annual = factories.objective(cast.owner, timeframe=year, title="Annual")
    quarterly = factories.objective(cast.owner, timeframe=cast.quarter, title="Quarterly", parent=annual)
    assert quarterly.parent == annual
    with pytest.raises(ValidationError):
        factories.objective(cast.owner, timeframe=cast.quarter, title="Sideways", parent=quarterly)
    team = factories.objective(cast.owner, timeframe=cast.quarter, level="group", groups=[cast.engineering])
    with pytest.raises(ValidationError):
        factories.objective(cast.owner, timeframe=cast.quarter, title="Upside down", parent=team)


def test_personal_objectives_do_not_align_to_personal_objectives(cast):
    mine = factories.objective(cast.member, timeframe=cast.quarter, level="personal")
    with pytest.raises(ValidationError):
        factories.objective(cast.lead, timeframe=cast.quarter, level="personal", parent=mine)


def test_a_group_objective_needs_an_owning_group_and_others_have_none(cast):
    with pytest.raises(ValidationError) as error:
        factories.objective(cast.owner, timeframe=cast.quarter, level="group")
    assert "groups" in error.value.message_dict
    with pytest.raises(ValidationError):
        factories.objective(cast.owner, timeframe=cast.quarter, level="company", groups=[cast.engineering])


def test_a_shared_objective_has_several_owning_groups_and_key_results_owned_by_different_people(cast):
    shared = factories.objective(
        cast.lead, timeframe=cast.quarter, level="group", groups=[cast.engineering, cast.sales_group]
    )
    factories.metric(cast.lead, shared, owner=cast.member, title="Integrations shipped")
    factories.metric(cast.lead, shared, owner=cast.sales, title="Deals using integrations")
    assert set(shared.groups.all()) == {cast.engineering, cast.sales_group}
    assert set(shared.key_results.values_list("owner", flat=True)) == {cast.member.pk, cast.sales.pk}


def test_viewers_and_deactivated_people_cannot_lead_goals(cast):
    with pytest.raises(ValidationError) as error:
        factories.objective(cast.owner, timeframe=cast.quarter, lead=cast.viewer)
    assert "lead" in error.value.message_dict


def test_a_new_objective_cannot_start_closed(cast):
    with pytest.raises(ValidationError):
        factories.objective(cast.owner, timeframe=cast.quarter, state=Objective.State.CLOSED)


def test_the_type_of_a_key_result_with_check_ins_cannot_change(cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter)
    key_result = factories.metric(cast.owner, objective)
    services.record_check_in(actor=cast.owner, key_result=key_result, value=5, status="on_track")
    with pytest.raises(ValidationError):
        services.update_key_result(actor=cast.owner, key_result=key_result, kind=KeyResult.Kind.ESTIMATE)
    assert reload(key_result).kind == KeyResult.Kind.METRIC


def test_deleting_an_objective_unaligns_its_children_and_updates_its_parent(cast):
    parent = factories.objective(cast.owner, timeframe=cast.quarter, progress_driver="children")
    child = factories.objective(
        cast.owner, timeframe=cast.quarter, level="group", groups=[cast.engineering], parent=parent
    )
    grandchild = factories.objective(cast.member, timeframe=cast.quarter, level="personal", parent=child)
    key_result = factories.metric(cast.owner, child)
    services.record_check_in(actor=cast.owner, key_result=key_result, value=50, status="on_track")
    assert reload(parent).progress == pytest.approx(0.5)
    services.delete_objective(actor=cast.owner, objective=child)
    assert reload(parent).progress == 0.0
    assert reload(grandchild).parent is None


def test_members_cannot_turn_their_objective_into_a_company_objective(cast):
    mine = factories.objective(cast.member, timeframe=cast.quarter, level="personal")
    with pytest.raises(NotAllowed):
        services.update_objective(actor=cast.member, objective=mine, level="company")
    assert reload(mine).level == "personal"
