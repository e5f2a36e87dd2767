"""Adding several people to a group at once: typed into one box (commas, semicolons or lines), or
everyone of whole groups; the message says who was added and who already was in it; an unknown,
foreign, ambiguous or deactivated entry adds no one; non-admins are refused."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lodestar.orgs import services
from lodestar.orgs.models import GroupMembership, Membership
from lodestar.orgs.pickers import PeopleInput
from tests.conftest import add_person, signed_in


def members_url(group):
    return reverse("orgs:group_members", kwargs={"org_slug": "acme", "group_id": group.pk})


def shown(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def in_group(group) -> dict[str, bool]:
    rows = GroupMembership.objects.filter(group=group).select_related("membership__user")
    return {row.membership.user.email: row.is_lead for row in rows}


def add(client, group, **data):
    return client.post(members_url(group), {"role": "member", **data})


@pytest.fixture
def platform(cast):
    """An empty group to fill."""
    return services.create_group(actor=cast.owner, name="Platform")


# --- one box, several people ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("posted", "entries"),
    [
        ("a@acme.test, b@acme.test; c@acme.test", ["a@acme.test", "b@acme.test", "c@acme.test"]),
        ("a@acme.test\r\n\r\n  b@acme.test \n", ["a@acme.test", "b@acme.test"]),
        (
            '"Doe, Jane" <jane@acme.test>, Max Member <max@acme.test>',
            ['"Doe, Jane" <jane@acme.test>', "Max Member <max@acme.test>"],
        ),
        ("Sam Sales", ["Sam Sales"]),
        (' , ;\n"unclosed, quote', ['"unclosed', "quote"]),
    ],
)
def test_one_box_holds_several_entries(posted, entries):
    assert PeopleInput().value_from_datadict({"people": posted}, None, "people") == entries


def test_several_people_typed_into_one_box_join_in_one_step(client, cast, platform):
    response = add(
        signed_in(client, cast.admin),
        platform,
        people="sales@acme.test, Max Member\nLea Lead <lead@acme.test>; VIEWER@acme.test",
    )
    assert response.status_code == 302
    assert in_group(platform) == {
        "sales@acme.test": False,
        "member@acme.test": False,
        "lead@acme.test": False,
        "viewer@acme.test": False,
    }
    assert shown(response) == ["Added 4 people to Platform: Lea Lead, Max Member, Sam Sales, Vic Viewer."]


def test_ticked_people_and_typed_ones_are_posted_under_one_name(client, cast, platform):
    response = add(signed_in(client, cast.admin), platform, people=["sales@acme.test", "lead@acme.test, Max Member"])
    assert response.status_code == 302
    assert set(in_group(platform)) == {"sales@acme.test", "lead@acme.test", "member@acme.test"}


def test_several_leads_at_once(client, cast, platform):
    response = signed_in(client, cast.admin).post(
        members_url(platform), {"people": "sales@acme.test\nmember@acme.test", "role": "lead"}
    )
    assert in_group(platform) == {"sales@acme.test": True, "member@acme.test": True}
    assert shown(response) == ["Added 2 people to Platform as leads: Max Member, Sam Sales."]


def test_those_already_in_the_group_are_named_and_keep_their_place(client, cast):
    response = signed_in(client, cast.admin).post(
        members_url(cast.engineering), {"people": "sales@acme.test, lead@acme.test, member@acme.test", "role": "lead"}
    )
    assert response.status_code == 302
    assert shown(response) == ["Added 1 person to Engineering as lead: Sam Sales. Already in it: Lea Lead, Max Member."]
    assert in_group(cast.engineering) == {"lead@acme.test": True, "member@acme.test": False, "sales@acme.test": True}


def test_a_long_list_names_the_first_and_counts_the_rest(client, cast, platform):
    for number in range(14):
        add_person(cast.owner, f"ann{number}@acme.test", f"Ann {number:02}")
    response = add(signed_in(client, cast.admin), platform, people=",".join(f"ann{n}@acme.test" for n in range(14)))
    names = ", ".join(f"Ann {number:02}" for number in range(12))
    assert shown(response) == [f"Added 14 people to Platform: {names} and 2 more."]


# --- whole groups --------------------------------------------------------------------------------


def test_everyone_active_in_a_whole_group_joins(client, cast, platform):
    gone = add_person(cast.owner, "gone@acme.test", "Gus Gone")
    services.set_group_member(actor=cast.owner, group=cast.engineering, membership=gone)
    Membership.objects.filter(pk=gone.pk).update(is_active=False)
    response = add(signed_in(client, cast.admin), platform, people_groups="engineering")
    assert response.status_code == 302
    assert in_group(platform) == {"lead@acme.test": False, "member@acme.test": False}
    assert shown(response) == ["Added 2 people to Platform: Lea Lead, Max Member."]


def test_a_whole_group_with_its_sub_groups(client, cast, platform):
    backend = services.create_group(actor=cast.owner, name="Backend", parent=cast.engineering)
    database = services.create_group(actor=cast.owner, name="Database", parent=backend)
    dana = add_person(cast.owner, "dana@acme.test", "Dana Data")
    services.set_group_member(actor=cast.owner, group=database, membership=dana)
    signed_in(client, cast.admin)

    add(client, platform, people_groups="Engineering")
    assert "dana@acme.test" not in in_group(platform)
    response = add(client, platform, people_groups="Engineering", people_subgroups="on")
    assert shown(response)[-1] == "Added 1 person to Platform: Dana Data. Already in it: Lea Lead, Max Member."
    assert set(in_group(platform)) == {"lead@acme.test", "member@acme.test", "dana@acme.test"}


def test_typed_people_and_whole_groups_together(client, cast, platform):
    response = add(signed_in(client, cast.admin), platform, people="sales@acme.test", people_groups=["engineering"])
    assert set(in_group(platform)) == {"sales@acme.test", "lead@acme.test", "member@acme.test"}
    assert shown(response) == ["Added 3 people to Platform: Lea Lead, Max Member, Sam Sales."]


def test_a_group_with_no_one_active_adds_no_one(client, cast, platform):
    response = add(signed_in(client, cast.admin), cast.sales_group, people_groups="platform")
    assert response.status_code == 422
    assert "No one in Platform can be added here." in response.text
    assert in_group(cast.sales_group) == {"sales@acme.test": True}


def test_nothing_chosen_asks_for_someone(client, cast, platform):
    response = add(signed_in(client, cast.admin), platform, people="  ,\n ")
    assert response.status_code == 422
    assert "Type at least one person, or choose a group." in response.text


# --- refusals: nothing is added ------------------------------------------------------------------


def test_an_unknown_entry_is_named_and_no_one_is_added(client, cast, platform):
    response = add(signed_in(client, cast.admin), platform, people="sales@acme.test, ghost@acme.test\nNobody Known")
    assert response.status_code == 422
    assert "No active person with the e-mail address “ghost@acme.test” in the organization." in response.text
    assert "No one called “Nobody Known” in the organization: enter their e-mail address." in response.text
    assert in_group(platform) == {}
    # Shown again: the person found ticked, what named no one back in the box to be corrected.
    assert 'value="sales@acme.test" id="id_people_0" checked' in response.text
    assert "data-picker-text>ghost@acme.test\nNobody Known</textarea>" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"people": "member@beta.test"}, "No active person with the e-mail address “member@beta.test”"),
        ({"people": "Bea Beta"}, "No one called “Bea Beta” in the organization"),
        ({"people_groups": "beta-ops"}, "No group called “beta-ops” in the organization."),
        ({"people_groups": "Beta Ops"}, "No group called “Beta Ops” in the organization."),
    ],
)
def test_another_organizations_person_or_group_is_refused_like_an_unknown_one(client, cast, platform, data, message):
    services.create_group(actor=cast.beta_owner, name="Beta Ops")
    response = add(signed_in(client, cast.admin), platform, **{"people": "sales@acme.test", **data})
    assert response.status_code == 422
    assert message in response.text
    assert in_group(platform) == {}


def test_an_ambiguous_name_asks_for_the_address(client, cast, platform):
    add_person(cast.owner, "max.two@acme.test", "Max Member")
    response = add(signed_in(client, cast.admin), platform, people="Max Member, sales@acme.test")
    assert response.status_code == 422
    assert "Several people are called “Max Member”: enter the e-mail address of the one you mean." in response.text
    assert in_group(platform) == {}


def test_deactivated_people_are_refused_by_name_and_no_one_is_added(client, cast, platform):
    Membership.objects.filter(pk__in=[cast.sales.pk, cast.lead.pk]).update(is_active=False)
    response = add(signed_in(client, cast.admin), platform, people="sales@acme.test, Lea Lead, member@acme.test")
    assert response.status_code == 422
    assert "Deactivated people cannot be chosen: Lea Lead, Sam Sales." in response.text
    assert in_group(platform) == {}


def test_the_service_refuses_deactivated_people_by_name_too(cast, platform):
    from django.core.exceptions import ValidationError

    gone = Membership.objects.get(pk=cast.sales.pk)
    gone.is_active = False
    with pytest.raises(ValidationError) as refused:
        services.add_group_members(actor=cast.admin, group=platform, people=[cast.member, gone])
    assert refused.value.message_dict == {"people": ["Deactivated people cannot join a group: Sam Sales."]}
    assert in_group(platform) == {}


@pytest.mark.parametrize("role", ["lead", "member", "viewer"])
def test_only_admins_add_people(client, cast, platform, role):
    response = add(signed_in(client, getattr(cast, role)), platform, people="sales@acme.test", people_groups="sales")
    assert response.status_code == 403
    assert in_group(platform) == {}


def test_another_organization_cannot_add_to_the_group(client, cast, platform):
    response = add(signed_in(client, cast.beta_owner), platform, people="member@beta.test")
    assert response.status_code == 404
    assert in_group(platform) == {}


# --- the page and the cost -------------------------------------------------------------------------


def test_the_form_offers_a_box_a_whole_group_and_its_sub_groups_without_inline_code(client, cast, platform):
    page = signed_in(client, cast.admin).get(members_url(platform)).text
    options = reverse("orgs:people_options", kwargs={"org_slug": "acme"})
    assert '<textarea name="people" id="id_people"' in page
    assert (
        f'<input type="text" name="people" id="id_people_search" list="id_people-options" hx-get="{options}?field=people"'
        in page
    )
    assert 'name="people_groups"' in page and 'name="people_subgroups"' in page
    assert "hx-on" not in page and "<script>" not in page and "style=" not in page


def test_adding_twenty_people_takes_as_many_queries_as_adding_one(client, cast, platform):
    people = [add_person(cast.owner, f"p{number}@acme.test", f"Person {number:02}") for number in range(21)]
    team = services.create_group(actor=cast.owner, name="Team")
    for person in people[1:]:
        services.set_group_member(actor=cast.owner, group=team, membership=person)
    other = services.create_group(actor=cast.owner, name="Other")
    signed_in(client, cast.admin)
    counts = {}
    for label, group, data in (
        ("one typed", platform, {"people": "p0@acme.test"}),
        ("twenty typed", other, {"people": "\n".join(f"p{n}@acme.test" for n in range(1, 21))}),
        ("a group of one", services.create_group(actor=cast.owner, name="Solo"), {"people_groups": "sales"}),
        ("a group of twenty", services.create_group(actor=cast.owner, name="All"), {"people_groups": "team"}),
    ):
        with CaptureQueriesContext(connection) as queries:
            response = add(client, group, **data)
        assert response.status_code == 302, response.text
        counts[label] = len(queries)
    assert len(in_group(other)) == 20
    assert counts["one typed"] == counts["twenty typed"], counts
    assert counts["a group of one"] == counts["a group of twenty"], counts
