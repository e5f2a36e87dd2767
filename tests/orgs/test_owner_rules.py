"""Only owners decide who is an owner: not by changing a role, and not by switching an owner off
(or on again) through the people form, the API, or by withdrawing an owner's invitation."""

import pytest

from lodestar.core.errors import NotAllowed
from lodestar.onboarding import services as onboarding
from lodestar.orgs import services as orgs
from lodestar.orgs.models import Membership, Role
from tests.conftest import add_person, reload, signed_in


@pytest.fixture
def second_owner(cast):
    return add_person(cast.owner, "second.owner@acme.test", "Olga Owner", Role.OWNER)


def test_an_admin_cannot_deactivate_an_owner_through_the_people_form(client, cast, second_owner):
    signed_in(client, cast.admin)
    url = f"/acme/people/{second_owner.pk}/edit/"
    page = client.get(url).content.decode()
    assert "Only owners can deactivate or reactivate an owner." in page
    # "Active" unticked, a new title: the title is saved, the owner stays active.
    response = client.post(url, {"role": Role.OWNER, "job_title": "Founder", "manager": ""})
    assert response.status_code == 302
    assert reload(second_owner).is_active
    assert reload(second_owner).job_title == "Founder"


def test_an_admin_cannot_deactivate_an_owner_through_the_api(client, cast, second_owner):
    from lodestar.api import services as api_tokens

    _, token = api_tokens.create_token(actor=cast.admin, name="People sync", scope="read_write")
    headers = {"Authorization": f"Bearer {token}"}
    response = client.delete(f"/api/v1/people/{second_owner.pk}", headers=headers)
    assert response.status_code == 403
    assert "Only owners can deactivate or reactivate an owner." in response.json()["detail"]
    response = client.patch(
        f"/api/v1/people/{second_owner.pk}", {"is_active": False}, content_type="application/json", headers=headers
    )
    assert response.status_code == 403
    assert reload(second_owner).is_active


def test_an_admin_cannot_reactivate_a_deactivated_owner(cast, second_owner):
    orgs.update_membership(actor=cast.owner, membership=second_owner, is_active=False)
    with pytest.raises(NotAllowed):
        orgs.update_membership(actor=cast.admin, membership=second_owner, is_active=True)
    assert not reload(second_owner).is_active


def test_an_admin_still_changes_an_owners_job_title(cast, second_owner):
    orgs.update_membership(actor=cast.admin, membership=second_owner, job_title="Founder")
    assert reload(second_owner).job_title == "Founder"


def test_an_owner_deactivates_and_reactivates_another_owner(cast, second_owner):
    orgs.update_membership(actor=cast.owner, membership=second_owner, is_active=False)
    assert not reload(second_owner).is_active
    orgs.update_membership(actor=cast.owner, membership=second_owner, is_active=True)
    assert reload(second_owner).is_active


def test_an_admin_cannot_withdraw_an_owners_invitation_and_so_deactivate_them(cast):
    invitation = onboarding.invite(actor=cast.owner, email="new.owner@acme.test", role=Role.OWNER)
    with pytest.raises(NotAllowed):
        onboarding.revoke(actor=cast.admin, invitation=invitation)
    assert Membership.objects.get(pk=invitation.membership_id).is_active
    onboarding.revoke(actor=cast.owner, invitation=invitation)
    assert not Membership.objects.get(pk=invitation.membership_id).is_active
