"""Invitations: who may send them, what they create, and that only the mailbox they went to can
use them — once, before they expire, unless withdrawn."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from lodestar.core.errors import NotAllowed
from lodestar.onboarding import services
from lodestar.onboarding.models import Invitation
from lodestar.orgs.models import GroupMembership, Membership, Role
from tests.conftest import signed_in
from tests.onboarding.conftest import link_in, send_invitations

PASSWORD = "a-long-new-secret"


def invite(cast, email="nina.neu@acme.test", **fields):
    return services.invite(actor=cast.admin, email=email, **fields)


def accept_as_new_person(link: str, *, name="Nina Neu", client=None):
    client = client or Client()
    return client, client.post(link, {"full_name": name, "password1": PASSWORD, "password2": PASSWORD})


def test_a_new_address_gets_a_person_with_groups_and_manager_at_once_but_no_way_in(cast):
    invitation = invite(cast, "Nina.Neu@Acme.test", role=Role.MEMBER, groups=[cast.engineering], manager=cast.lead)
    person = invitation.membership
    assert (invitation.email, invitation.state, person.manager, person.user.full_name) == (
        "nina.neu@acme.test",
        "pending",
        cast.lead,
        "Nina Neu",
    )
    assert GroupMembership.objects.filter(membership=person, group=cast.engineering).exists()
    assert not person.user.has_usable_password()
    assert not EmailAddress.objects.filter(user=person.user, verified=True).exists()


def test_members_cannot_invite_and_admins_cannot_make_owners(cast):
    with pytest.raises(NotAllowed):
        services.invite(actor=cast.member, email="x@acme.test")
    with pytest.raises(NotAllowed):
        services.invite(actor=cast.admin, email="x@acme.test", role=Role.OWNER)
    assert services.invite(actor=cast.owner, email="x@acme.test", role=Role.OWNER).membership.role == Role.OWNER


def test_members_and_open_invitations_are_not_invited_twice(cast):
    with pytest.raises(ValidationError, match="already a member"):
        invite(cast, "MEMBER@acme.test")
    invite(cast)
    with pytest.raises(ValidationError, match="invited already"):
        invite(cast)
    invited, present = services.invite_many(
        actor=cast.admin, people=[("member@acme.test", ""), ("nina.neu@acme.test", ""), ("olaf@acme.test", "Olaf")]
    )
    assert [i.email for i in invited] == ["olaf@acme.test"] and present == ["member@acme.test", "nina.neu@acme.test"]


def test_the_invitation_email_carries_the_message_and_a_link_in_the_invitees_language(cast):
    cast.acme.language = "de"
    cast.acme.save()
    invite(cast, message="Welcome aboard, Nina!")
    [message] = send_invitations()
    assert message.to == ["nina.neu@acme.test"]
    assert "Welcome aboard, Nina!" in message.body
    assert "/invitations/" in link_in(message)
    assert "Einladung" in message.body or "lädt" in message.subject


def test_a_new_person_sets_name_and_password_and_lands_on_my_goals(cast, invitation_link):
    invite(cast, groups=[cast.engineering])
    client, response = accept_as_new_person(invitation_link("nina.neu@acme.test"), name="Nina Neumann")
    assert response.status_code == 302 and response["Location"] == "/acme/"
    user = get_user_model().objects.get(email="nina.neu@acme.test")
    assert user.full_name == "Nina Neumann" and user.check_password(PASSWORD)
    assert EmailAddress.objects.filter(user=user, email="nina.neu@acme.test", verified=True, primary=True).exists()
    assert client.get("/acme/").status_code == 200
    assert Invitation.objects.get(email="nina.neu@acme.test").state == Invitation.State.ACCEPTED


def test_a_link_works_once(cast, invitation_link):
    invite(cast)
    link = invitation_link("nina.neu@acme.test")
    accept_as_new_person(link)
    _, again = accept_as_new_person(link, name="Someone Else")
    assert again.status_code == 410
    assert get_user_model().objects.get(email="nina.neu@acme.test").full_name == "Nina Neu"


def test_a_withdrawn_invitation_cannot_be_accepted_and_its_person_is_deactivated(cast, invitation_link):
    invitation = invite(cast)
    link = invitation_link("nina.neu@acme.test")
    services.revoke(actor=cast.admin, invitation=invitation)
    _, response = accept_as_new_person(link)
    assert response.status_code == 410
    assert not Membership.objects.get(pk=invitation.membership_id).is_active
    assert not get_user_model().objects.get(email="nina.neu@acme.test").has_usable_password()


def test_an_expired_invitation_cannot_be_accepted_until_it_is_resent(cast, invitation_link):
    invitation = invite(cast)
    old_link = invitation_link("nina.neu@acme.test")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    _, response = accept_as_new_person(old_link)
    assert response.status_code == 410 and "expired" in response.content.decode()
    services.resend(actor=cast.admin, invitation=invitation)
    new_link = invitation_link("nina.neu@acme.test")
    _, replaced = accept_as_new_person(old_link)
    assert replaced.status_code == 404  # the resend's new link replaced it
    _, accepted = accept_as_new_person(new_link)
    assert accepted.status_code == 302


def test_a_forged_or_altered_link_is_not_found(cast, invitation_link):
    invitation = invite(cast)
    link = invitation_link("nina.neu@acme.test")
    for forged in (link[:-3] + "xx/", f"/invitations/{invitation.pk}/", "/invitations/W1sxLCJhIl0:abc:def/"):
        assert Client().get(forged).status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).state == Invitation.State.PENDING


def test_someone_signed_in_with_another_account_cannot_take_a_new_persons_invitation(client, cast, invitation_link):
    invite(cast)
    link = invitation_link("nina.neu@acme.test")
    signed_in(client, cast.beta_member)
    response = client.post(link, {"full_name": "Bea", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 403
    assert not Membership.objects.filter(organization=cast.acme, user=cast.beta_member.user).exists()
    assert not get_user_model().objects.get(email="nina.neu@acme.test").has_usable_password()


def test_an_existing_account_joins_only_when_its_holder_accepts_signed_in(client, cast, invitation_link):
    invitation = invite(cast, "MEMBER@beta.test", role=Role.VIEWER, groups=[cast.engineering], job_title="Auditor")
    assert invitation.membership is None
    assert not Membership.objects.filter(organization=cast.acme, user=cast.beta_member.user).exists()
    link = invitation_link("member@beta.test")
    assert "Sign in to accept" in Client().get(link).content.decode()
    _, as_stranger = accept_as_new_person(link)  # holding the link is not enough for an existing account
    assert as_stranger.status_code == 200 and "Sign in" in as_stranger.content.decode()
    assert not Membership.objects.filter(organization=cast.acme, user=cast.beta_member.user).exists()
    signed_in(client, cast.beta_member)
    assert client.post(link).status_code == 302
    joined = Membership.objects.get(organization=cast.acme, user=cast.beta_member.user)
    assert (joined.role, joined.job_title) == (Role.VIEWER, "Auditor")
    assert GroupMembership.objects.filter(membership=joined, group=cast.engineering).exists()


def test_another_account_cannot_accept_an_existing_accounts_invitation(client, cast, invitation_link):
    invite(cast, "member@beta.test")
    link = invitation_link("member@beta.test")
    signed_in(client, cast.beta_owner)
    response = client.post(link)
    assert response.status_code == 403
    assert "you are signed in as owner@beta.test" in response.content.decode()
    assert not Membership.objects.filter(
        organization=cast.acme, user__email__in=["member@beta.test", "owner@beta.test"]
    ).exists()


def test_an_invitation_of_another_organization_cannot_be_resent_or_withdrawn(client, cast):
    theirs = services.invite(actor=cast.beta_owner, email="x@beta.test")
    signed_in(client, cast.admin)
    assert client.post(f"/acme/people/invitations/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/acme/people/invitations/{theirs.pk}/resend/").status_code == 404
    assert Invitation.objects.get(pk=theirs.pk).state == Invitation.State.PENDING


def test_a_deactivated_admin_cannot_invite(client, cast):
    Membership.objects.filter(pk=cast.admin.pk).update(is_active=False)
    response = signed_in(client, cast.admin).post(
        "/acme/people/invite/", {"addresses": "x@acme.test", "role": "member"}
    )
    assert response.status_code == 404
    assert not Invitation.objects.filter(email="x@acme.test").exists()


def test_a_disabled_account_cannot_come_back_through_an_invitation(cast, invitation_link):
    invitation = invite(cast)
    get_user_model().objects.filter(pk=invitation.membership.user_id).update(is_active=False)
    client, response = accept_as_new_person(invitation_link("nina.neu@acme.test"))
    assert response.status_code == 403
    assert client.get("/acme/").status_code == 302  # not signed in: off to the sign-in page
    assert not get_user_model().objects.get(email="nina.neu@acme.test").has_usable_password()
