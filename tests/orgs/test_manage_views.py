"""Admins manage groups and people from the web: clear messages, 403 for everyone else."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from lodestar.orgs.models import Group, GroupMembership, Membership
from tests.conftest import reload, signed_in


def url(name, **kwargs):
    return reverse(f"orgs:{name}", kwargs={"org_slug": "acme", **kwargs})


def shown(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def in_group(group) -> dict[str, bool]:
    rows = GroupMembership.objects.filter(group=group).select_related("membership__user")
    return {row.membership.user.email: row.is_lead for row in rows}


# --- groups ------------------------------------------------------------------------------------


def test_admin_creates_a_group_nested_in_another(client, cast):
    response = signed_in(client, cast.admin).post(
        url("group_create"), {"name": "Platform", "slug": "", "description": "Runs it", "parent": " ENGINEERING "}
    )
    group = Group.objects.get(organization=cast.acme, name="Platform")
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:group", kwargs={"org_slug": "acme", "group_id": group.pk})
    assert (group.slug, group.description, group.parent) == ("platform", "Runs it", cast.engineering)
    assert shown(response) == ["Created the group “Platform”."]


def test_the_new_group_form_has_the_parent_typed_with_suggestions_not_a_list_of_every_group(client, cast):
    page = signed_in(client, cast.admin).get(url("group_create")).content.decode()
    assert '<input type="text" name="parent"' in page
    assert f'hx-get="{url("group_options")}?field=parent"' in page
    assert "Sales" not in page


def test_a_link_may_preselect_the_parent_of_a_new_group(client, cast):
    signed_in(client, cast.admin)
    page = client.get(url("group_create"), {"parent": cast.engineering.pk}).content.decode()
    assert 'name="parent" value="Engineering"' in page
    for foreign in (cast.beta_group.pk, "x", "9" * 40):
        assert 'name="parent" value=' not in client.get(url("group_create"), {"parent": foreign}).content.decode()


def test_a_group_needs_a_name(client, cast):
    response = signed_in(client, cast.admin).post(url("group_create"), {"name": "  ", "slug": ""})
    assert response.status_code == 422
    assert 'class="field-error"' in response.content.decode()
    assert Group.objects.filter(organization=cast.acme).count() == 2


def test_a_taken_short_name_gets_a_message_next_to_the_field(client, cast):
    response = signed_in(client, cast.admin).post(url("group_create"), {"name": "Engineering"})
    assert response.status_code == 422
    assert "Another group already uses this short name." in response.content.decode()


def test_admin_edits_a_group(client, cast):
    response = signed_in(client, cast.admin).post(
        url("group_edit", group_id=cast.sales_group.pk),
        {"name": "Sales & Marketing", "slug": "sales-marketing", "description": "", "parent": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "directory:group", kwargs={"org_slug": "acme", "group_id": cast.sales_group.pk}
    )
    assert (reload(cast.sales_group).name, reload(cast.sales_group).slug) == ("Sales & Marketing", "sales-marketing")


def test_the_edit_form_shows_the_group_as_it_is(client, cast):
    page = signed_in(client, cast.admin).get(url("group_edit", group_id=cast.engineering.pk)).content.decode()
    assert 'value="Engineering"' in page
    assert 'value="engineering"' in page


def test_nesting_a_group_inside_its_own_sub_group_gets_a_message(client, cast):
    Group.objects.create(organization=cast.acme, name="Platform", slug="platform", parent=cast.engineering)
    response = signed_in(client, cast.admin).post(
        url("group_edit", group_id=cast.engineering.pk), {"name": "Engineering", "parent": "platform"}
    )
    assert response.status_code == 422
    assert "A group cannot be nested inside itself or its own sub-groups." in response.content.decode()
    assert reload(cast.engineering).parent is None


def test_a_group_cannot_be_its_own_parent(client, cast):
    response = signed_in(client, cast.admin).post(
        url("group_edit", group_id=cast.engineering.pk), {"name": "Engineering", "parent": "Engineering"}
    )
    assert response.status_code == 422
    assert "A group cannot be nested inside itself or its own sub-groups." in response.content.decode()
    assert reload(cast.engineering).parent is None


@pytest.mark.parametrize(
    "parent", [lambda cast: str(cast.beta_group.pk), lambda cast: "Nowhere", lambda cast: "9" * 40]
)
def test_another_organizations_or_an_unknown_group_cannot_be_a_parent(client, cast, parent):
    response = signed_in(client, cast.admin).post(
        url("group_edit", group_id=cast.sales_group.pk), {"name": "Sales", "parent": parent(cast)}
    )
    assert response.status_code == 422
    assert "No group of this name or short name in the organization." in response.content.decode()
    assert reload(cast.sales_group).parent is None


# --- group members -----------------------------------------------------------------------------


def test_the_members_page_lists_people_with_their_lead_flag(client, cast):
    page = signed_in(client, cast.admin).get(url("group_members", group_id=cast.engineering.pk)).content.decode()
    assert "Lea Lead" in page and "Max Member" in page
    assert "Make member" in page  # for the lead
    assert "Make lead" in page  # for the member


def test_the_add_form_asks_for_people_without_listing_everyone(client, cast):
    page = signed_in(client, cast.admin).get(url("group_members", group_id=cast.engineering.pk)).content.decode()
    add_form = page[page.index('id="add-people-heading"') :]
    assert '<textarea name="people"' in add_form
    assert f'hx-get="{url("people_options")}?field=people"' in add_form
    assert "<select" not in add_form
    assert "sales@acme.test" not in add_form and "member@beta.test" not in add_form


def test_admin_adds_a_lead_to_a_group(client, cast):
    response = signed_in(client, cast.admin).post(
        url("group_members", group_id=cast.engineering.pk), {"people": "sales@acme.test", "role": "lead"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("group_members", group_id=cast.engineering.pk)
    assert in_group(cast.engineering)["sales@acme.test"] is True
    assert shown(response) == ["Added 1 person to Engineering as lead: Sam Sales."]


def test_admin_adds_a_member_to_a_group(client, cast):
    signed_in(client, cast.admin).post(
        url("group_members", group_id=cast.sales_group.pk), {"people": "Max Member", "role": "member"}
    )
    assert in_group(cast.sales_group) == {"sales@acme.test": True, "member@acme.test": False}


def test_adding_someone_already_in_the_group_says_so_and_leaves_their_place(client, cast):
    response = signed_in(client, cast.admin).post(
        url("group_members", group_id=cast.engineering.pk), {"people": "member@acme.test", "role": "lead"}
    )
    assert response.status_code == 302
    assert shown(response) == ["No one new to add to Engineering. Already in it: Max Member."]
    assert in_group(cast.engineering)["member@acme.test"] is False


def test_a_deactivated_person_cannot_join_a_group(client, cast):
    Membership.objects.filter(pk=cast.sales.pk).update(is_active=False)
    response = signed_in(client, cast.admin).post(
        url("group_members", group_id=cast.engineering.pk), {"people": "sales@acme.test", "role": "member"}
    )
    assert response.status_code == 422
    assert "Deactivated people cannot be chosen: Sam Sales." in response.content.decode()
    assert "sales@acme.test" not in in_group(cast.engineering)


def test_admin_makes_a_member_the_lead_and_back(client, cast):
    role_url = url("group_member_role", group_id=cast.engineering.pk, membership_id=cast.member.pk)
    signed_in(client, cast.admin).post(role_url, {"role": "lead"})
    assert in_group(cast.engineering)["member@acme.test"] is True
    client.post(role_url, {"role": "member"})
    assert in_group(cast.engineering)["member@acme.test"] is False


def test_admin_removes_a_member_from_a_group(client, cast):
    response = signed_in(client, cast.admin).post(
        url("group_member_remove", group_id=cast.engineering.pk, membership_id=cast.member.pk)
    )
    assert response.status_code == 302
    assert in_group(cast.engineering) == {"lead@acme.test": True}
    assert shown(response) == ["Removed Max Member from Engineering."]


def test_removing_someone_who_is_not_in_the_group_is_not_found(client, cast):
    response = signed_in(client, cast.admin).post(
        url("group_member_remove", group_id=cast.engineering.pk, membership_id=cast.sales.pk)
    )
    assert response.status_code == 404


def test_group_member_actions_refuse_get(client, cast):
    signed_in(client, cast.admin)
    kwargs = {"group_id": cast.engineering.pk, "membership_id": cast.member.pk}
    assert client.get(url("group_member_remove", **kwargs)).status_code == 405
    assert client.get(url("group_member_role", **kwargs)).status_code == 405


# --- people ------------------------------------------------------------------------------------


def test_admin_edits_a_persons_role_title_manager_and_flags(client, cast):
    response = signed_in(client, cast.admin).post(
        url("person_edit", membership_id=cast.member.pk),
        {"role": "viewer", "job_title": "Tester", "manager": "lead@acme.test", "is_okr_ambassador": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "directory:person", kwargs={"org_slug": "acme", "membership_id": cast.member.pk}
    )
    member = reload(cast.member)
    assert (member.role, member.job_title, member.manager, member.is_active, member.is_okr_ambassador) == (
        "viewer",
        "Tester",
        cast.lead,
        False,
        True,
    )


def test_the_edit_form_shows_the_person_as_they_are(client, cast):
    page = signed_in(client, cast.admin).get(url("person_edit", membership_id=cast.member.pk)).content.decode()
    assert "member@acme.test" in page
    assert 'id="id_is_active" checked' in page
    assert 'id="id_is_okr_ambassador" checked' not in page


def test_a_reporting_loop_gets_a_message(client, cast):
    signed_in(client, cast.admin).post(
        url("person_edit", membership_id=cast.member.pk),
        {"role": "member", "manager": "lead@acme.test", "is_active": "on"},
    )
    response = client.post(
        url("person_edit", membership_id=cast.lead.pk),
        {"role": "member", "manager": "member@acme.test", "is_active": "on"},
    )
    assert response.status_code == 422
    assert "This would make people each other&#x27;s managers." in response.content.decode()


def test_a_group_member_from_another_organization_is_a_field_error(client, cast):
    for person in ("member@beta.test", "Bea Beta", "nobody@acme.test", ""):
        response = signed_in(client, cast.admin).post(
            url("group_members", group_id=cast.engineering.pk), {"people": person, "role": "member"}
        )
        assert response.status_code == 422
        assert 'class="field-error"' in response.content.decode()
    assert in_group(cast.engineering) == {"lead@acme.test": True, "member@acme.test": False}


@pytest.mark.parametrize(
    ("manager", "message"),
    [
        ("member@beta.test", "No active person with this e-mail address in the organization."),
        ("Bea Beta", "No one of this name in the organization: enter their e-mail address."),
        ("member@acme.test", "A person cannot be their own manager."),
    ],
)
def test_a_manager_from_elsewhere_or_oneself_is_a_field_error(client, cast, manager, message):
    response = signed_in(client, cast.admin).post(
        url("person_edit", membership_id=cast.member.pk), {"role": "member", "manager": manager, "is_active": "on"}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert reload(cast.member).manager is None


def test_the_edit_form_shows_the_manager_and_keeps_them_when_saved_unchanged(client, cast):
    signed_in(client, cast.admin).post(
        url("person_edit", membership_id=cast.member.pk),
        {"role": "member", "manager": "lead@acme.test", "is_active": "on"},
    )
    Membership.objects.filter(pk=cast.lead.pk).update(is_active=False)  # a deactivated manager stays
    page = client.get(url("person_edit", membership_id=cast.member.pk)).content.decode()
    assert 'name="manager" value="Lea Lead &lt;lead@acme.test&gt;"' in page
    assert '<option value="lead@acme.test">Lea Lead</option>' in page
    response = client.post(
        url("person_edit", membership_id=cast.member.pk),
        {"role": "member", "job_title": "Tester", "manager": "lead@acme.test", "is_active": "on"},
    )
    assert response.status_code == 302
    assert (reload(cast.member).job_title, reload(cast.member).manager) == ("Tester", cast.lead)


def test_an_admin_edits_an_owners_title_but_not_their_role(client, cast):
    response = signed_in(client, cast.admin).post(
        url("person_edit", membership_id=cast.owner.pk), {"role": "viewer", "job_title": "CEO", "is_active": "on"}
    )
    assert response.status_code == 302
    owner = reload(cast.owner)
    assert (owner.role, owner.job_title) == ("owner", "CEO")


def test_the_last_owner_cannot_be_demoted(client, cast):
    response = signed_in(client, cast.owner).post(
        url("person_edit", membership_id=cast.owner.pk), {"role": "admin", "is_active": "on"}
    )
    assert response.status_code == 422
    assert "An organization needs at least one active owner." in response.content.decode()


def test_admins_cannot_deactivate_themselves_from_the_form(client, cast):
    response = signed_in(client, cast.admin).post(url("person_edit", membership_id=cast.admin.pk), {"role": "admin"})
    assert response.status_code == 302
    assert reload(cast.admin).is_active


# --- who may ---------------------------------------------------------------------------------


def management_urls(cast):
    return [
        url("group_create"),
        url("group_edit", group_id=cast.engineering.pk),
        url("group_members", group_id=cast.engineering.pk),
        url("person_edit", membership_id=cast.member.pk),
    ]


@pytest.mark.parametrize("role", ["lead", "member", "viewer"])
def test_people_who_are_not_admins_get_403_on_every_management_page(client, cast, role):
    signed_in(client, getattr(cast, role))
    for page in management_urls(cast):
        response = client.get(page)
        assert response.status_code == 403, page
        assert "Only admins can manage people and groups." in response.content.decode()


def test_admins_and_owners_open_every_management_page(client, cast):
    for person in (cast.admin, cast.owner):
        signed_in(client, person)
        for page in management_urls(cast):
            assert client.get(page).status_code == 200, page


def test_another_organizations_group_or_person_is_not_found(client, cast):
    signed_in(client, cast.admin)
    assert client.get(url("group_edit", group_id=cast.beta_group.pk)).status_code == 404
    assert client.get(url("group_members", group_id=cast.beta_group.pk)).status_code == 404
    assert client.get(url("person_edit", membership_id=cast.beta_member.pk)).status_code == 404
    response = client.post(url("group_member_remove", group_id=cast.engineering.pk, membership_id=cast.beta_member.pk))
    assert response.status_code == 404
