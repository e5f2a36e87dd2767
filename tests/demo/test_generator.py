"""The large-organization generator: right caches, repeatable, and removable."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import CommandError, call_command

from lodestar.demo.bulk import delete_organization_rows
from lodestar.demo.generator import PASSWORD, OrganizationGenerator
from lodestar.okrs.models import CheckIn, KeyResult, Objective
from lodestar.okrs.rollup import recompute_organization
from lodestar.orgs.models import Group, Membership, Organization

TODAY = datetime.date(2026, 11, 25)


def generate(slug="gen-test", seed=3):
    return OrganizationGenerator(people=150, quarters=2, seed=seed, slug=slug, today=TODAY).run()


def test_generated_caches_equal_a_recomputation_from_scratch(db):
    organization = generate()
    assert recompute_organization(organization.pk, write=False) == {"key_results": 0, "objectives": 0}
    assert Objective.objects.filter(organization=organization, progress__gt=0).exists()


def test_the_generated_organization_has_the_promised_shape(db):
    organization = generate()
    assert Membership.objects.filter(organization=organization).count() == 150
    assert Group.objects.filter(organization=organization).count() == 15
    objectives = Objective.objects.filter(organization=organization)
    assert {"company", "group", "personal"} <= set(objectives.values_list("level", flat=True))
    assert objectives.filter(parent__isnull=False).count() > objectives.count() * 0.9
    assert set(KeyResult.objects.filter(organization=organization).values_list("kind", flat=True)) == set(
        KeyResult.Kind.values
    )
    assert CheckIn.objects.filter(organization=organization).count() > 8 * KeyResult.objects.count() * 0.5


def test_generated_people_sign_in_with_the_bench_password(client, db):
    """Their addresses are confirmed, as after an accepted invitation (sign-in asks unconfirmed ones
    to confirm by e-mail first), and removing the organization removes them with their addresses."""
    organization = generate()
    response = client.post("/accounts/login/", {"login": "person3@gen-test.example", "password": PASSWORD})
    assert response.status_code == 302 and response.wsgi_request.user.is_authenticated
    assert client.get(f"/{organization.slug}/").status_code == 200
    assert not mail.outbox
    delete_organization_rows(organization)
    assert not EmailAddress.objects.filter(email__endswith="@gen-test.example").exists()


def test_the_same_seed_gives_the_same_organization(db):
    def shape(organization):
        return (
            list(Objective.objects.filter(organization=organization).order_by("id").values_list("title", "progress")),
            CheckIn.objects.filter(organization=organization).count(),
        )

    first = shape(generate())
    delete_organization_rows(Organization.objects.get(slug="gen-test"))
    assert not Organization.objects.filter(slug="gen-test").exists()
    assert shape(generate())[1] == first[1]
    assert [p for _, p in shape(Organization.objects.get(slug="gen-test"))[0]] == [p for _, p in first[0]]


def test_the_command_refuses_to_overwrite_without_replace(db, capsys):
    call_command("generate_org", "--people", "20", "--quarters", "1", "--verify")
    assert "0, 'objectives': 0} differ" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("generate_org", "--people", "20", "--quarters", "1")
    call_command("generate_org", "--people", "20", "--quarters", "1", "--replace")
    assert Organization.objects.filter(slug="gen-20").count() == 1


def test_bulk_rows_keep_awkward_text_and_nulls_intact(cast):
    from django.utils import timezone

    from lodestar.demo.bulk import IdAllocator, write_rows

    awkward = "tab\there, new\nline, back\\slash, a literal \\N and ümlaut"
    first = IdAllocator().take(Group, 2)
    write_rows(
        Group,
        ("id", "organization_id", "name", "slug", "description", "parent_id", "created_at"),
        [
            (first, cast.acme.pk, "Awkward", "awkward", awkward, None, timezone.now()),
            (first + 1, cast.acme.pk, "Child", "child", "", first, timezone.now()),
        ],
    )
    assert Group.objects.get(pk=first).description == awkward
    assert Group.objects.get(pk=first + 1).parent_id == first
    assert Group.objects.get(pk=first).parent_id is None
