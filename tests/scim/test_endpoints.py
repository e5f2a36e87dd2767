"""SCIM endpoints as an identity provider uses them, and as an attacker would try them."""

import pytest
from django.core.management import call_command

from lodestar.audit.models import AuditEvent
from lodestar.okrs.models import Objective
from lodestar.orgs.models import GroupMembership, Membership
from lodestar.scim import services
from lodestar.scim.models import ScimToken
from tests import factories
from tests.scim.conftest import GROUP, USER, read


def users(idp, **query):
    response = idp.get("/Users", **query)
    assert response.status_code == 200, response.content
    return read(response)


def test_discovery_endpoints(scim):
    config = scim.idp.client.get("/scim/v2/ServiceProviderConfig")  # no token needed (RFC 7643 §5)
    assert config.status_code == 200
    assert config["Content-Type"] == "application/scim+json"
    assert read(config)["patch"]["supported"] is True and read(config)["filter"]["supported"] is True
    types = read(scim.idp.get("/ResourceTypes"))
    assert {item["id"] for item in types["Resources"]} == {"User", "Group"}
    assert read(scim.idp.get("/ResourceTypes/User"))["endpoint"] == "/Users"
    schemas = read(scim.idp.get("/Schemas"))
    assert {item["id"] for item in schemas["Resources"]} == {USER, GROUP}
    user_schema = read(scim.idp.get(f"/Schemas/{USER}"))
    assert "password" not in {attribute["name"] for attribute in user_schema["attributes"]}
    assert scim.idp.get("/Schemas/urn:nope").status_code == 404


def test_create_a_person_who_is_an_active_member_at_once(scim):
    created = scim.idp.create_user(
        "nora@acme.test",
        name={"givenName": "Nora", "familyName": "Neumann"},
        title="Engineer",
        externalId="e-17",
        displayName="Nora N.",
    )
    assert created.status_code == 201, created.content
    assert created["Location"].endswith(f"/scim/v2/Users/{created.data['id']}")
    person = Membership.objects.select_related("user").get(pk=created.data["id"])
    assert (person.organization, person.role, person.is_active, person.job_title) == (
        scim.cast.acme,
        "member",
        True,
        "Engineer",
    )
    assert person.user.full_name == "Nora Neumann"
    assert not person.user.has_usable_password()
    assert created.data["emails"][0]["value"] == "nora@acme.test"
    assert created.data["externalId"] == "e-17" and created.data["active"] is True
    event = AuditEvent.objects.get(action="member.added", target_id=str(person.pk))
    assert event.actor is None and event.details["via"] == "scim" and event.details["token"] == "Entra ID"


def test_filters_find_by_user_name_external_id_and_display_name(scim):
    scim.idp.create_user("nora@acme.test", externalId="e-17", displayName="Nora N.")
    assert users(scim.idp, filter='userName eq "NORA@acme.test"')["totalResults"] == 1  # case-insensitive
    assert users(scim.idp, filter='externalId eq "e-17"')["totalResults"] == 1
    assert users(scim.idp, filter='externalId eq "E-17"')["totalResults"] == 0  # case-exact
    assert users(scim.idp, filter='displayName eq "Nora N."')["totalResults"] == 1
    # People who were there before SCIM are found by their address, so the provider can match them.
    found = users(scim.idp, filter='userName eq "member@acme.test"')
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == str(scim.cast.member.pk)
    both = users(scim.idp, filter='userName eq "nora@acme.test" or emails.value eq "member@acme.test"')
    assert both["totalResults"] == 2
    assert users(scim.idp, filter='emails[value sw "member@"]')["totalResults"] == 1
    assert users(scim.idp, filter="active eq false")["totalResults"] == 0


@pytest.mark.parametrize("bad", ["userName eq", 'nickName eq "x"', "userName xx 1", 'id gt "1"', "((("])
def test_a_bad_filter_is_an_invalid_filter_error(scim, bad):
    response = scim.idp.get("/Users", filter=bad)
    assert response.status_code == 400
    assert read(response)["scimType"] == "invalidFilter"


def test_groups_filter_by_display_name_and_member(scim):
    engineering = read(scim.idp.get("/Groups", filter='displayName eq "engineering"'))
    assert engineering["totalResults"] == 1
    group_id = engineering["Resources"][0]["id"]
    member = read(scim.idp.get("/Groups", filter=f'members[value eq "{scim.cast.member.pk}"]'))
    assert [item["id"] for item in member["Resources"]] == [group_id]


def test_pagination_with_start_index_and_count(scim):
    everyone = users(scim.idp)
    total = everyone["totalResults"]
    assert total == 6  # Acme's people, none of Beta's
    first = users(scim.idp, startIndex=1, count=2)
    second = users(scim.idp, startIndex=3, count=2)
    assert (first["totalResults"], first["itemsPerPage"], first["startIndex"]) == (total, 2, 1)
    assert second["startIndex"] == 3
    ids = [item["id"] for item in first["Resources"] + second["Resources"]]
    assert len(set(ids)) == 4
    assert users(scim.idp, count=0)["Resources"] == [] if "Resources" in users(scim.idp, count=0) else True


def test_put_changes_name_address_title_and_deactivates(scim):
    created = scim.idp.create_user("nora@acme.test", name={"givenName": "Nora", "familyName": "Neumann"})
    user_id = created.data["id"]
    replaced = scim.idp.call(
        "PUT",
        f"/Users/{user_id}",
        {
            "schemas": [USER],
            "userName": "nora.mueller@acme.test",
            "name": {"givenName": "Nora", "familyName": "Müller"},
            "emails": [{"value": "nora.mueller@acme.test", "type": "work", "primary": True}],
            "title": "Lead engineer",
            "active": False,
        },
    )
    assert replaced.status_code == 200, replaced.content
    person = Membership.objects.select_related("user").get(pk=user_id)
    assert person.user.email == "nora.mueller@acme.test" and person.user.full_name == "Nora Müller"
    assert person.job_title == "Lead engineer" and not person.is_active
    assert AuditEvent.objects.filter(action="member.deactivated", target_id=user_id, details__via="scim").exists()


def test_patch_replace_add_remove_and_reactivate(scim):
    user_id = scim.idp.create_user("nora@acme.test", title="Engineer").data["id"]
    response = scim.idp.patch(
        f"/Users/{user_id}",
        {"op": "replace", "path": "active", "value": False},
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": "nora@acme.test"},
    )
    assert response.status_code in (200, 204), response.content
    assert not Membership.objects.get(pk=user_id).is_active
    scim.idp.patch(f"/Users/{user_id}", {"op": "replace", "value": {"active": True, "title": "Lead"}})
    person = Membership.objects.get(pk=user_id)
    assert person.is_active and person.job_title == "Lead"
    scim.idp.patch(f"/Users/{user_id}", {"op": "remove", "path": "title"})
    assert Membership.objects.get(pk=user_id).job_title == ""
    scim.idp.patch(f"/Users/{user_id}", {"op": "add", "path": "name", "value": {"formatted": "Nora N. Neumann"}})
    assert Membership.objects.select_related("user").get(pk=user_id).user.full_name == "Nora N. Neumann"


def test_delete_deactivates_keeps_goals_and_answers_404(scim):
    created = scim.idp.create_user("nora@acme.test")
    user_id = created.data["id"]
    person = Membership.objects.get(pk=user_id)
    goal = factories.objective(scim.cast.owner, timeframe=scim.cast.quarter, lead=person)
    assert scim.idp.call("DELETE", f"/Users/{user_id}").status_code == 204
    person.refresh_from_db()
    assert not person.is_active
    assert Objective.objects.filter(pk=goal.pk, lead=person).exists()
    assert scim.idp.get(f"/Users/{user_id}").status_code == 404
    assert users(scim.idp, filter='userName eq "nora@acme.test"')["totalResults"] == 0
    # Added again: the same person comes back, with their goals.
    again = scim.idp.create_user("nora@acme.test")
    assert again.status_code == 201 and again.data["id"] == user_id
    person.refresh_from_db()
    assert person.is_active


def test_uniqueness_conflicts_are_409(scim):
    scim.idp.create_user("nora@acme.test")
    same_name = scim.idp.create_user("NORA@acme.test", email="other@acme.test")
    assert same_name.status_code == 409 and same_name.data["scimType"] == "uniqueness"
    member = scim.idp.create_user("m@idp", email="member@acme.test")  # already a member here
    assert member.status_code == 409
    # An address that has an account in another organization is not linked by an identity provider.
    elsewhere = scim.idp.create_user("bea@idp", email="member@beta.test")
    assert elsewhere.status_code == 409
    assert not Membership.objects.filter(organization=scim.cast.acme, user__email="member@beta.test").exists()


def test_invalid_values_are_400(scim):
    no_address = scim.idp.call("POST", "/Users", {"schemas": [USER], "userName": "no-address"})
    assert no_address.status_code == 400
    bad_address = scim.idp.create_user("x", email="not an address")
    assert bad_address.status_code == 400 and bad_address.data["scimType"] == "invalidValue"
    not_json = scim.idp.client.post(
        "/scim/v2/Users", data="{", content_type="application/scim+json", HTTP_AUTHORIZATION=f"Bearer {scim.idp.token}"
    )
    assert not_json.status_code == 400
    control = scim.idp.create_user("ctl@acme.test", title="bad\x00title")
    assert control.status_code == 400


def test_groups_create_rename_members_and_delete(scim):
    nora = scim.idp.create_user("nora@acme.test").data["id"]
    created = scim.idp.call(
        "POST",
        "/Groups",
        {"schemas": [GROUP], "displayName": "Platform", "externalId": "g-1", "members": [{"value": nora}]},
    )
    assert created.status_code == 201, created.content
    group_id = created.data["id"]
    assert GroupMembership.objects.filter(group_id=group_id, membership_id=nora).exists()
    scim.idp.patch(
        f"/Groups/{group_id}",
        {"op": "replace", "path": "displayName", "value": "Platform team"},
        {"op": "add", "path": "members", "value": [{"value": str(scim.cast.member.pk)}]},
        {"op": "remove", "path": f'members[value eq "{nora}"]'},
    )
    group = read(scim.idp.get(f"/Groups/{group_id}"))
    assert group["displayName"] == "Platform team"
    assert [member["value"] for member in group["members"]] == [str(scim.cast.member.pk)]
    user = read(scim.idp.get(f"/Users/{scim.cast.member.pk}"))
    assert "Platform team" in {item["display"] for item in user["groups"]}
    assert scim.idp.call("DELETE", f"/Groups/{group_id}").status_code == 204
    assert scim.idp.get(f"/Groups/{group_id}").status_code == 404
    assert AuditEvent.objects.filter(action="group.deleted", details__via="scim").exists()


def test_a_group_that_owns_objectives_is_not_deleted(scim):
    factories.objective(
        scim.cast.owner, timeframe=scim.cast.quarter, level=Objective.Level.GROUP, groups=[scim.cast.engineering]
    )
    response = scim.idp.call("DELETE", f"/Groups/{scim.cast.engineering.pk}")
    assert response.status_code == 400
    assert "objectives" in response.data["detail"]


def test_owners_are_not_the_providers_to_change(scim):
    response = scim.idp.patch(f"/Users/{scim.cast.owner.pk}", {"op": "replace", "path": "active", "value": False})
    assert response.status_code in (400, 403)
    assert Membership.objects.get(pk=scim.cast.owner.pk).is_active


# --- isolation ---------------------------------------------------------------------------------


def test_a_token_sees_and_changes_only_its_organization(scim):
    beta_member, beta_group = scim.cast.beta_member, scim.cast.beta_group
    for path in (f"/Users/{beta_member.pk}", f"/Groups/{beta_group.pk}"):
        assert scim.idp.get(path).status_code == 404
        assert scim.idp.call("DELETE", path).status_code == 404
        assert scim.idp.patch(path, {"op": "replace", "path": "displayName", "value": "x"}).status_code == 404
    assert users(scim.idp, filter='userName eq "member@beta.test"')["totalResults"] == 0
    adding_beta = scim.idp.patch(
        f"/Groups/{scim.cast.engineering.pk}",
        {"op": "add", "path": "members", "value": [{"value": str(beta_member.pk)}]},
    )
    assert adding_beta.status_code == 400
    beta_member.refresh_from_db()
    assert (
        beta_member.is_active
        and not GroupMembership.objects.filter(membership=beta_member, group__organization=scim.cast.acme).exists()
    )


def test_a_person_in_two_organizations_is_seen_with_each_ones_data(scim):
    from tests.conftest import add_person

    both = add_person(scim.cast.beta_owner, "member@acme.test", "Max Member", job_title="Beta title")
    seen_by_beta = users(scim.beta, filter='userName eq "member@acme.test"')["Resources"][0]
    assert seen_by_beta["id"] == str(both.pk) and seen_by_beta["title"] == "Beta title"
    assert "groups" not in seen_by_beta  # Acme's Engineering is not Beta's
    # Beta's provider may not rename the shared account nor change its address.
    response = scim.beta.patch(f"/Users/{both.pk}", {"op": "replace", "path": "name.formatted", "value": "Hacked"})
    assert response.status_code == 403, response.content
    scim.cast.member.user.refresh_from_db()
    assert scim.cast.member.user.full_name == "Max Member"


# --- tokens ------------------------------------------------------------------------------------


def test_missing_wrong_and_revoked_tokens_are_401(scim):
    assert scim.idp.client.get("/scim/v2/Users").status_code == 401
    wrong = scim.idp.call("GET", "/Users", token=scim.idp.token[:-2] + "xx")
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"].startswith("Bearer")
    assert scim.idp.call("GET", "/Users", token="lsk_abc_def").status_code == 401
    token = ScimToken.objects.get(organization=scim.cast.acme)
    services.revoke_token(actor=scim.cast.admin, token=token)
    assert scim.idp.call("GET", "/Users").status_code == 401
    assert AuditEvent.objects.filter(action="scim.token_revoked", target_id=str(token.pk)).exists()


def test_token_stores_a_digest_and_last_use(scim):
    token = ScimToken.objects.get(organization=scim.cast.acme)
    assert scim.idp.token.split("_")[-1] not in token.secret_hash
    assert token.last_used_at is None
    users(scim.idp)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_rate_limit(scim, settings):
    settings.LODESTAR_SCIM_RATE = "3/min"
    statuses = [scim.idp.call("GET", "/Users").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429


def test_scim_token_command_makes_and_revokes(cast, capsys):
    call_command("scim_token", "--organization", "acme", "--name", "Okta")
    printed = capsys.readouterr().out
    assert "/scim/v2/" in printed and "lsc_" in printed
    text = printed.strip().splitlines()[-1]
    assert services.authenticate(text).organization == cast.acme
    call_command("scim_token", "--organization", "acme", "--revoke")
    assert services.authenticate(text) is None
    assert AuditEvent.objects.filter(action="scim.token_created", actor=None).exists()


def test_hostile_values_get_a_scim_error_not_a_crash(scim):
    for fields in (
        {"name": {"formatted": "Nora", "givenName": "x" * 10_000}},
        {"displayName": "x" * 1_000},
        {"externalId": "\x00"},
        {"title": "x" * 500},
        {"emails": [{"value": f"n{i}@acme.test"} for i in range(50)]},
    ):
        response = scim.idp.create_user("nora@acme.test", **fields)
        assert response.status_code == 400, (fields, response.content)
        assert response.data["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert scim.idp.call("PATCH", "/Users/99999999999999999999", {"schemas": []}).status_code in (400, 404)
    assert scim.idp.get("/Users/%00").status_code == 404
    assert scim.idp.get("/Users", count="-5").status_code in (200, 400)
    assert scim.idp.get("/Users", startIndex="abc").status_code == 400
