"""The role matrix of the brief: who may create, edit and check in, in one table.

Refused writes raise NotAllowed (may see, may not do) or NotFound (another
organization) and change nothing.
"""

import pytest

from lodestar.core.errors import NotAllowed, NotFound
from lodestar.okrs import services
from lodestar.okrs.models import CheckIn, KeyResult, Objective
from tests import factories
from tests.conftest import reload

OK, NO, GONE = "ok", NotAllowed, NotFound
ROLES = ["owner", "admin", "lead", "member", "sales", "viewer", "beta_member"]

# Engineering: lead leads the group, member belongs to it; sales leads Sales.
# The Engineering objective is led by member; its key result is owned by member.
MATRIX = {
    #                               owner admin lead member sales viewer beta_member
    "create company objective": [OK, OK, NO, NO, NO, NO, GONE],
    "create Engineering objective": [OK, OK, OK, OK, NO, NO, GONE],
    "create own personal objective": [OK, OK, OK, OK, OK, NO, GONE],
    "edit Engineering objective": [OK, OK, OK, OK, NO, NO, GONE],
    "edit member's personal objective": [OK, OK, NO, OK, NO, NO, GONE],
    "add key result to Engineering objective": [OK, OK, OK, OK, NO, NO, GONE],
    "check in on member's key result": [OK, OK, OK, OK, NO, NO, GONE],
    "correct member's check-in": [OK, OK, NO, OK, NO, NO, GONE],
}


@pytest.fixture
def goals(cast, world):
    personal = factories.objective(cast.member, timeframe=cast.quarter, level="personal", title="Learn Rust")
    return world.objective, world.key_result, personal, world.check_in


def attempt(action, actor, cast, goals):
    engineering, key_result, personal, check_in = goals
    timeframe = cast.quarter
    if action == "create company objective":
        factories.objective(actor, timeframe=timeframe, title="New company goal", lead=cast.owner)
    elif action == "create Engineering objective":
        factories.objective(actor, timeframe=timeframe, level="group", groups=[cast.engineering], lead=cast.member)
    elif action == "create own personal objective":
        factories.objective(actor, timeframe=timeframe, level="personal", lead=actor)
    elif action == "edit Engineering objective":
        services.update_objective(actor=actor, objective=engineering, title="Ship much faster")
    elif action == "edit member's personal objective":
        services.update_objective(actor=actor, objective=personal, title="Learn Rust well")
    elif action == "add key result to Engineering objective":
        factories.metric(actor, engineering, owner=cast.member, title="Lead time")
    elif action == "check in on member's key result":
        services.record_check_in(actor=actor, key_result=key_result, value=7, status="on_track")
    elif action == "correct member's check-in":
        services.update_check_in(actor=actor, check_in=check_in, value=6)


def state():
    return (
        list(Objective.objects.order_by("pk").values_list("pk", "title")),
        list(KeyResult.objects.order_by("pk").values_list("pk", "title", "progress")),
        list(CheckIn.objects.order_by("pk").values_list("pk", "value")),
    )


@pytest.mark.parametrize("action", MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(cast, goals, action, role):
    expected = MATRIX[action][ROLES.index(role)]
    actor = getattr(cast, role)
    if expected == OK:
        attempt(action, actor, cast, goals)
        return
    before = state()
    with pytest.raises(expected):
        attempt(action, actor, cast, goals)
    assert state() == before


def test_a_group_lead_may_check_in_on_key_results_of_their_groups_objectives(cast, goals):
    _, key_result, _, _ = goals
    services.record_check_in(actor=cast.lead, key_result=key_result, value=9, status="on_track")
    assert KeyResult.objects.get(pk=key_result.pk).current_value == 9


def test_contributors_may_check_in_but_not_edit(cast, goals):
    engineering, key_result, _, _ = goals
    services.update_objective(actor=cast.owner, objective=engineering, contributors=[cast.sales])
    services.record_check_in(actor=cast.sales, key_result=key_result, value=8, status="on_track")
    with pytest.raises(NotAllowed):
        services.update_objective(actor=cast.sales, objective=engineering, title="Mine now")


def test_a_manager_may_edit_their_reports_personal_objectives(cast, goals):
    from lodestar.orgs.services import update_membership

    _, _, personal, _ = goals
    update_membership(actor=cast.owner, membership=cast.member, manager=cast.lead)
    services.update_objective(actor=cast.lead, objective=personal, title="Learn Rust together")
    assert Objective.objects.get(pk=personal.pk).title == "Learn Rust together"


def test_deactivated_people_can_do_nothing(cast, goals):
    from lodestar.orgs.services import update_membership

    _, key_result, _, _ = goals
    update_membership(actor=cast.owner, membership=cast.member, is_active=False)
    with pytest.raises(NotAllowed):
        services.record_check_in(actor=reload(cast.member), key_result=key_result, value=9, status="on_track")
