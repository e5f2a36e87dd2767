"""People and groups: admins manage them, with the rules that keep an organization sound."""

import pytest
from django.core.exceptions import ValidationError

from lodestar.core.errors import NotAllowed, NotFound
from lodestar.okrs import services as okrs
from lodestar.orgs import services
from lodestar.orgs.models import Group, GroupMembership, Role
from tests.conftest import reload


def test_only_owners_make_owners_and_the_last_owner_stays(cast):
    with pytest.raises(NotAllowed):
        services.update_membership(actor=cast.admin, membership=cast.member, role=Role.OWNER)
    with pytest.raises(ValidationError):
        services.update_membership(actor=cast.owner, membership=cast.owner, role=Role.ADMIN)
    assert reload(cast.owner).role == Role.OWNER


def test_reporting_lines_cannot_loop(cast):
    services.update_membership(actor=cast.owner, membership=cast.member, manager=cast.lead)
    with pytest.raises(ValidationError):
        services.update_membership(actor=cast.owner, membership=cast.lead, manager=cast.member)
    assert reload(cast.lead).manager is None


def test_groups_nest_but_never_inside_themselves(cast):
    platform = services.create_group(actor=cast.owner, name="Platform", parent=cast.engineering)
    with pytest.raises(ValidationError) as error:
        services.update_group(actor=cast.owner, group=cast.engineering, parent=platform)
    assert "parent" in error.value.message_dict
    assert reload(cast.engineering).parent is None


def test_group_short_names_are_unique_within_an_organization_only(cast):
    with pytest.raises(ValidationError):
        services.create_group(actor=cast.owner, name="engineering")
    assert Group.objects.filter(slug="engineering").count() == 2  # Acme's and Beta's


def test_people_and_groups_of_another_organization_cannot_be_linked(cast):
    with pytest.raises(NotFound):
        services.set_group_member(actor=cast.owner, group=cast.engineering, membership=cast.beta_member)
    with pytest.raises(NotFound):
        services.create_group(actor=cast.owner, name="Spies", parent=cast.beta_group)
    assert not GroupMembership.objects.filter(membership=cast.beta_member).exists()


def test_organizations_cannot_take_the_short_names_of_site_urls(db):
    from tests.conftest import make_user

    owner = make_user("founder@new.test", "Founder")
    for slug in ("admin", "accounts", "api"):
        with pytest.raises(ValidationError):
            services.create_organization(name="Sneaky", slug=slug, owner=owner)


def test_a_group_that_owns_objectives_is_not_deleted(cast):
    okrs.create_objective(
        actor=cast.admin, timeframe=cast.quarter, title="Close more deals", level="group", lead=cast.admin,
        groups=[cast.sales_group],
    )  # fmt: skip
    with pytest.raises(ValidationError, match="owns objectives"):
        services.delete_group(actor=cast.admin, group=cast.sales_group)
    assert Group.objects.filter(pk=cast.sales_group.pk).exists()
    assert GroupMembership.objects.filter(group=cast.sales_group).exists()


def test_a_group_without_objectives_is_deleted_with_its_memberships(cast):
    services.delete_group(actor=cast.admin, group=cast.sales_group)
    assert not Group.objects.filter(pk=cast.sales_group.pk).exists()
    assert not GroupMembership.objects.filter(organization=cast.acme, group_id=cast.sales_group.pk).exists()
