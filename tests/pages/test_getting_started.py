"""The getting-started checklist on an admin's home page: each step ticks from the organization's
own data, members never see it, it goes once everything is done or when an admin hides it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.okrs import services as okrs
from lodestar.orgs import services as orgs
from lodestar.orgs.models import Membership, Role
from lodestar.pages.checklist import getting_started
from lodestar.rollout import services as rollout
from lodestar.strategy import services as strategy
from tests.conftest import add_person, make_organization, make_user, signed_in

CHECKLIST = 'id="getting-started"'


@pytest.fixture
def new(db):
    """A brand-new organization: its first owner and nothing else."""
    _organization, owner = make_organization("Nova", "nova", "owner@nova.test")
    return owner


def done(membership) -> set[str]:
    checklist = getting_started(membership)
    return {step.key for step in checklist.steps if step.done} if checklist else {"everything"}


# Each step, done through the services the pages call.
def save_settings(owner):
    orgs.update_organization_settings(
        actor=owner, name="Nova GmbH", language="en", time_zone="Europe/Berlin", check_in_weekday=1
    )


def write_strategy(owner):
    strategy.update_strategy(actor=owner, vision="Every machine connected.", mission="We build the devices.")


def lead_a_group(owner):
    group = orgs.create_group(actor=owner, name="Engineering")
    lead = add_person(owner, f"lead.{owner.organization.slug}@example.test", "Lea Lead")
    orgs.set_group_member(actor=owner, group=group, membership=lead, is_lead=True)


def invite_someone(owner):
    add_person(owner, f"colleague.{owner.organization.slug}@example.test", "Cole League")


def open_a_timeframe(owner):
    okrs.create_timeframe(
        actor=owner, name="Q1", starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 3, 31)
    )


def start_the_rollout(owner):
    rollout.start_rollout(actor=owner, starts_on=datetime.date(2027, 1, 1))


STEPS = {
    "settings": save_settings,
    "strategy": write_strategy,
    "groups": lead_a_group,
    "people": invite_someone,
    "timeframe": open_a_timeframe,
    "rollout": start_the_rollout,
}


def test_a_new_organization_has_every_step_open(new):
    checklist = getting_started(new)
    assert [step.key for step in checklist.steps] == list(STEPS)
    assert checklist.done_count == 0


@pytest.mark.parametrize("step", list(STEPS))
def test_each_step_ticks_from_its_data(new, step):
    STEPS[step](new)
    expected = {step, "people"} if step == "groups" else {step}  # the group's lead joined as a colleague too
    assert done(new) == expected


@pytest.mark.parametrize("step", list(STEPS))
def test_another_organizations_data_never_ticks_a_step(new, step):
    _other, other_owner = make_organization("Beta", "beta", "owner@beta.test")
    STEPS[step](other_owner)
    assert done(new) == set()


def test_a_language_and_time_zone_chosen_when_the_organization_was_created_count_as_set(db):
    user = make_user("owner@nova.test", "Nova Owner")
    organization = orgs.create_organization(name="Nova", slug="nova", owner=user, language="de")
    assert "settings" in done(Membership.objects.get(organization=organization, user=user))


def test_the_default_language_and_time_zone_alone_are_not_set_yet(new):
    assert (new.organization.language, new.organization.time_zone) == ("en", "Europe/Berlin")
    assert "settings" not in done(new)


def test_a_vision_without_a_mission_is_not_done_yet(new):
    strategy.update_strategy(actor=new, vision="Every machine connected.", mission="")
    assert "strategy" not in done(new)


def test_a_group_without_a_lead_is_not_done_yet(new):
    group = orgs.create_group(actor=new, name="Engineering")
    orgs.set_group_member(actor=new, group=group, membership=add_person(new, "m@nova.test", "Max Member"))
    assert done(new) == {"people"}


def test_a_deactivated_colleague_does_not_count_as_invited(new):
    colleague = add_person(new, "gone@nova.test", "Gone Person")
    orgs.update_membership(actor=new, membership=colleague, is_active=False)
    assert "people" not in done(new)


def test_the_checklist_shows_on_an_admins_home_page_with_a_link_to_each_step(client, new):
    body = signed_in(client, new).get("/nova/").content.decode()
    assert CHECKLIST in body and "0 of 6 done" in body
    for path in ("/nova/settings/", "/nova/strategy/edit/", "/nova/groups/", "/nova/people/invite/",
                 "/nova/timeframes/new/", "/nova/rollout/"):  # fmt: skip
        assert f'href="{path}"' in body, path


def test_a_done_step_is_marked_done(client, new):
    write_strategy(new)
    body = signed_in(client, new).get("/nova/").content.decode()
    assert "1 of 6 done" in body
    assert 'Write the vision and mission</a><span class="visually-hidden"> (done)' in body


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_members_and_viewers_do_not_see_it(client, new, role):
    person = add_person(new, "person@nova.test", "Pat Person", role)
    assert getting_started(person) is None
    assert CHECKLIST not in signed_in(client, person).get("/nova/").content.decode()


def test_an_admin_who_is_not_the_owner_sees_it_too(client, new):
    admin = add_person(new, "admin@nova.test", "Ada Admin", Role.ADMIN)
    assert CHECKLIST in signed_in(client, admin).get("/nova/").content.decode()


def test_it_is_gone_once_every_step_is_done(client, new):
    for step in STEPS.values():
        step(new)
    assert getting_started(new) is None
    assert CHECKLIST not in signed_in(client, new).get("/nova/").content.decode()


def test_an_admin_hides_it_for_themself_only(client, new):
    admin = add_person(new, "admin@nova.test", "Ada Admin", Role.ADMIN)
    response = signed_in(client, new).post("/nova/getting-started/hide/")
    assert response.status_code == 302 and response["Location"] == "/nova/"
    assert CHECKLIST not in client.get("/nova/").content.decode()
    assert CHECKLIST in signed_in(client, admin).get("/nova/").content.decode()


def test_hiding_with_htmx_answers_an_empty_fragment(client, new):
    response = signed_in(client, new).post("/nova/getting-started/hide/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""
    assert getting_started(new) is None


def test_a_member_cannot_hide_it(client, new):
    member = add_person(new, "member@nova.test", "Max Member")
    assert signed_in(client, member).post("/nova/getting-started/hide/").status_code == 403


def _queries(membership) -> int:
    with CaptureQueriesContext(connection) as queries:
        getting_started(membership)
    return len(queries)


def test_the_checklist_costs_admins_one_query_whatever_is_done_and_members_none(new):
    member = add_person(new, "member@nova.test", "Max Member")
    assert _queries(new) == 1
    for step in STEPS.values():
        step(new)
    assert _queries(new) == 1
    assert _queries(member) == 0


def test_the_home_page_of_an_admin_costs_the_same_with_the_checklist_open_or_done(client, new):
    """An admin's home page draws the checklist with the same queries in an empty organization and a
    set-up one (the member's home page runs no checklist query at all: see the test above)."""
    signed_in(client, new)
    client.get("/nova/")  # the session and the welcome settle
    with CaptureQueriesContext(connection) as empty:
        assert CHECKLIST in client.get("/nova/").content.decode()
    for step in ("settings", "strategy", "groups", "people", "rollout"):  # no timeframe: the same page
        STEPS[step](new)
    with CaptureQueriesContext(connection) as nearly:
        assert "5 of 6 done" in client.get("/nova/").content.decode()
    assert len(empty) == len(nearly), [q["sql"] for q in nearly.captured_queries]
