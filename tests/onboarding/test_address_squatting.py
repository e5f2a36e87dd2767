"""The squatting attack: a member of another organization puts a newcomer's address on their own
account before the newcomer is invited. Nothing an address nobody confirmed can grant anything."""

from django.contrib.auth import get_user_model

from lodestar.onboarding.models import Invitation
from lodestar.orgs.models import Membership
from tests.conftest import signed_in

API = "/api/v1"
CFO = "cfo@acme.test"


def squat(client, attacker, address=CFO):
    """The attacker adds the address to their account and tries to make it their sign-in address."""
    signed_in(client, attacker)
    added = client.post("/accounts/email/", {"action_add": "", "email": address})
    made_primary = client.post("/accounts/email/", {"action_primary": "", "email": address})
    return added, made_primary


def test_an_address_added_to_an_account_does_not_replace_the_sign_in_address_until_confirmed(client, cast):
    added, made_primary = squat(client, cast.beta_member)
    assert added.status_code in (200, 302) and made_primary.status_code in (200, 302, 403)
    assert get_user_model().objects.get(pk=cast.beta_member.user.pk).email == "member@beta.test"


def test_a_taken_address_gets_a_message_next_to_the_field_not_a_500(client, cast):
    signed_in(client, cast.beta_member)
    response = client.post("/accounts/email/", {"action_add": "", "email": "OWNER@acme.test"})
    assert response.status_code == 200
    assert "Another account uses this address." in response.content.decode()
    primary = client.post("/accounts/email/", {"action_primary": "", "email": "owner@acme.test"})
    assert primary.status_code < 500
    assert get_user_model().objects.get(pk=cast.beta_member.user.pk).email == "member@beta.test"


def test_inviting_a_squatted_address_through_the_people_page_adds_nobody(client, cast):
    squat(client, cast.beta_member)
    signed_in(client, cast.admin)
    response = client.post("/acme/people/invite/", {"addresses": CFO, "role": "admin"})
    assert response.status_code == 302
    assert not Membership.objects.filter(organization=cast.acme, user=cast.beta_member.user).exists()
    signed_in(client, cast.beta_member)
    assert client.get("/acme/settings/").status_code == 404


def test_inviting_a_squatted_address_through_the_api_adds_nobody(client, cast):
    squat(client, cast.beta_member)
    signed_in(client, cast.admin)
    csrf = client.get("/acme/").cookies.get("csrftoken")
    response = client.post(
        f"{API}/people",
        {"email": CFO, "full_name": "Carla CFO", "role": "admin"},
        content_type="application/json",
        headers={"X-Lodestar-Organization": "acme", "X-CSRFToken": csrf.value if csrf else ""},
    )
    assert response.status_code in (201, 202), response.content
    assert not Membership.objects.filter(organization=cast.acme, user=cast.beta_member.user).exists()
    assert Invitation.objects.filter(organization=cast.acme, email=CFO).exists()


def test_the_squatter_cannot_accept_the_invitation_even_with_its_link(client, cast, invitation_link):
    squat(client, cast.beta_member)
    signed_in(client, cast.admin).post("/acme/people/invite/", {"addresses": CFO, "role": "admin"})
    link = invitation_link(CFO)
    signed_in(client, cast.beta_member)
    assert client.post(link).status_code == 403
    assert not Membership.objects.filter(organization=cast.acme, user=cast.beta_member.user).exists()


def test_a_changed_address_replaces_the_old_one_once_its_mailbox_confirms_it(client, cast):
    from django.core import mail

    signed_in(client, cast.member)
    mail.outbox.clear()
    client.post("/accounts/email/", {"action_add": "", "email": "max.new@acme.test"})
    assert get_user_model().objects.get(pk=cast.member.user.pk).email == "member@acme.test"
    [confirmation] = [message for message in mail.outbox if message.to == ["max.new@acme.test"]]
    link = next(word for word in confirmation.body.split() if "/accounts/confirm-email/" in word)
    path = link[link.index("/accounts/") :]
    assert client.post(path).status_code in (200, 302)
    assert get_user_model().objects.get(pk=cast.member.user.pk).email == "max.new@acme.test"
