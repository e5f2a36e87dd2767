"""How an organization starts: the command, the first-run setup, instance administrators and open
sign-up."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from lodestar.onboarding import setup
from lodestar.orgs.models import Membership, Organization, Role
from tests.conftest import make_user, signed_in

PASSWORD = "a-long-new-secret"


def create_organization(*args) -> str:
    out = io.StringIO()
    call_command("create_organization", *args, stdout=out)
    return out.getvalue()


def test_create_organization_prints_a_link_where_the_owner_sets_a_password_and_lands_in_it(db):
    printed = create_organization("--name", "Acme GmbH", "--owner-email", "Anna@Acme.example", "--language", "de")
    organization = Organization.objects.get(slug="acme-gmbh")
    assert organization.language == "de"
    link = printed[printed.index("/invitations/") :].strip()
    client = Client()
    response = client.post(link, {"full_name": "Anna Schmidt", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/acme-gmbh/"
    owner = Membership.objects.get(organization=organization)
    assert (owner.role, owner.user.email, owner.user.full_name) == (Role.OWNER, "anna@acme.example", "Anna Schmidt")
    assert Client().login(email="anna@acme.example", password=PASSWORD)
    assert client.get("/acme-gmbh/").status_code == 200


def test_create_organization_refuses_a_taken_or_reserved_short_name_and_a_bad_address(db):
    create_organization("--name", "Acme", "--owner-email", "anna@acme.example")
    for args in (["--slug", "acme"], ["--slug", "setup"], ["--slug", "invitations"]):
        with pytest.raises(CommandError, match="slug"):
            create_organization("--name", "Other", "--owner-email", "otto@other.example", *args)
    with pytest.raises(CommandError, match="not an e-mail address"):
        create_organization("--name", "Other", "--owner-email", "otto")
    assert Organization.objects.count() == 1


def test_an_existing_account_becomes_owner_at_once_without_a_link(db):
    make_user("anna@acme.example", "Anna")
    printed = create_organization("--name", "Second", "--owner-email", "anna@acme.example")
    assert "/invitations/" not in printed and "has an account already" in printed
    assert Membership.objects.get(organization__slug="second").user.email == "anna@acme.example"


def setup_form(**overrides):
    return {
        "name": "Acme GmbH",
        "slug": "",
        "language": "en",
        "time_zone": "Europe/Berlin",
        "full_name": "Anna Schmidt",
        "email": "anna@acme.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def test_first_run_setup_needs_its_token_and_closes_once_an_organization_exists(db):
    client = Client()
    assert client.get("/setup/").status_code == 404
    assert client.get("/setup/?token=wrong").status_code == 404
    url = f"/setup/?token={setup.token()}"
    assert client.get(url).status_code == 200
    response = client.post(url, setup_form())
    assert response.status_code == 302 and response["Location"] == "/acme-gmbh/"
    assert client.get("/acme-gmbh/").status_code == 200  # signed in as its owner
    assert Membership.objects.get(organization__slug="acme-gmbh").role == Role.OWNER
    assert Client().get(url).status_code == 404
    assert setup.setup_url() is None


def test_first_run_setup_stays_open_beside_the_demo_organization(db):
    demo_owner = make_user("demo@vektor.example", "Demo")
    from lodestar.orgs.services import create_organization as create

    create(name="Vektor", slug=setup.DEMO_ORGANIZATION_SLUG, owner=demo_owner)
    assert setup.is_open() and setup.token() in setup.setup_url()


def test_first_run_setup_explains_bad_input_and_saves_nothing(db):
    url = f"/setup/?token={setup.token()}"
    response = Client().post(url, setup_form(password2="different", email="not-an-address", name=""))
    assert response.status_code == 422
    assert not Organization.objects.exists() and not get_user_model().objects.exists()


def test_instance_administrators_start_organizations_and_others_cannot(client, cast):
    operator = get_user_model().objects.create_superuser(email="ops@lodestar.test", password="x", full_name="Ops")
    client.force_login(operator)
    response = client.post("/organizations/new/", {"name": "Gamma", "language": "en", "time_zone": "UTC"})
    assert response.status_code == 302 and Organization.objects.filter(slug="gamma").exists()
    assert 'href="/organizations/new/"' in client.get("/gamma/").content.decode()
    signed_in(client, cast.owner)
    assert client.get("/organizations/new/").status_code == 404
    assert 'href="/organizations/new/"' not in client.get("/acme/").content.decode()


@override_settings(LODESTAR_OPEN_SIGNUP=True)
def test_with_open_sign_up_a_confirmed_account_starts_its_own_organization(client, db):
    client.force_login(make_user("solo@example.com", "Solo"))
    assert "Start an organization" in client.get("/").content.decode()
    response = client.post("/organizations/new/", {"name": "Solo Ltd", "language": "de", "time_zone": "UTC"})
    assert response.status_code == 302
    assert Membership.objects.get(organization__slug="solo-ltd").role == Role.OWNER


def test_sign_up_is_closed_by_default(client, db):
    assert "Sign Up Closed" in client.get("/accounts/signup/").content.decode() or (
        client.get("/accounts/signup/").status_code != 200
    )
    assert "Start an organization" not in client.get("/").content.decode()
