"""The demo organization: realistic, deterministic, idempotent, and its caches are right."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from lodestar.demo.builder import DemoBuilder
from lodestar.demo.management.commands.load_demo import Command as LoadDemo
from lodestar.okrs import coaching
from lodestar.okrs.models import CheckIn, KeyResult, Objective, ObjectiveGroup, Timeframe
from lodestar.okrs.rollup import recompute_organization
from lodestar.orgs.models import Group, Membership, Organization

TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def demo(db):
    return DemoBuilder(seed=7, today=TODAY).build()


def fingerprint(organization):
    return (
        list(
            Membership.objects.filter(organization=organization)
            .order_by("user__email")
            .values_list("user__email", "role")
        ),
        # Several people share a personal objective's and key result's title: compare whole rows.
        sorted(
            Objective.objects.filter(organization=organization).values_list(
                "title", "timeframe__starts_on", "progress", "status"
            ),
            key=repr,
        ),
        sorted(
            CheckIn.objects.filter(organization=organization).values_list(
                "key_result__title", "effective_on", "value", "percent", "done", "status"
            ),
            key=repr,
        ),
    )


def test_the_demo_is_a_company_of_about_150_people_in_nested_groups(demo):
    assert 140 <= Membership.objects.filter(organization=demo).count() <= 160
    assert Group.objects.filter(organization=demo, parent__isnull=False).exists()
    assert {"Software", "Hardware", "Production", "Cloud Solutions"} <= set(
        Group.objects.filter(organization=demo).values_list("name", flat=True)
    )


def test_the_demo_has_a_closed_quarter_with_scores_and_a_current_one_half_way(demo):
    closed = Timeframe.objects.get(organization=demo, state=Timeframe.State.CLOSED)
    assert not Objective.objects.filter(timeframe=closed, score__isnull=True).exists()
    current = Timeframe.objects.get(organization=demo, kind="quarter", starts_on__lte=TODAY, ends_on__gte=TODAY)
    weekly = CheckIn.objects.filter(key_result__objective__timeframe=current)
    assert (
        weekly.count() > 5 * KeyResult.objects.filter(objective__timeframe=current, objective__state="active").count()
    )


def test_the_demo_has_every_kind_of_goal_the_story_needs(demo):
    assert set(KeyResult.objects.filter(organization=demo).values_list("kind", flat=True)) == set(KeyResult.Kind.values)
    levels = Counter(Objective.objects.filter(organization=demo).values_list("level", flat=True))
    assert levels["company"] and levels["group"] and levels["personal"]
    assert Objective.objects.filter(organization=demo, state="draft").exists()
    assert Objective.objects.filter(organization=demo, visibility="private").exists()
    shared = [o for o, n in Counter(ObjectiveGroup.objects.values_list("objective", flat=True)).items() if n > 1]
    assert shared
    owners = KeyResult.objects.filter(objective__in=shared).values_list("owner", flat=True).distinct()
    assert len(owners) > 1
    assert Objective.objects.filter(organization=demo, level="group", parent__level="company").exists()


def test_cached_progress_in_the_demo_equals_a_recomputation(demo):
    assert recompute_organization(demo.pk, write=False) == {"key_results": 0, "objectives": 0}


def test_the_demo_is_the_same_for_the_same_seed_and_day(demo):
    first = fingerprint(demo)
    LoadDemo._delete_demo(demo)
    again = DemoBuilder(seed=7, today=TODAY).build()
    assert fingerprint(again) == first


def test_loading_twice_keeps_one_demo(db, capsys):
    call_command("load_demo")
    call_command("load_demo")
    call_command("load_demo", "--if-empty")
    assert Organization.objects.filter(slug="vektor").count() == 1
    assert "Demo login" in capsys.readouterr().out


def test_the_printed_demo_login_signs_in_to_the_demo(client, db, capsys, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    call_command("load_demo")
    email, password = capsys.readouterr().out.split("Demo login: ")[1].strip().split(" / ")
    response = client.post(reverse("account_login"), {"login": email, "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == "/vektor/"
    assert "Katrin Hafner" in response.content.decode()


def test_the_closed_quarter_has_reflections_carry_overs_and_the_drafts_give_the_coach_work(demo):
    closed = Timeframe.objects.get(organization=demo, state=Timeframe.State.CLOSED)
    reflections = Objective.objects.filter(timeframe=closed).values_list("reflection", flat=True)
    assert all(
        set(answers) == {"What went well?", "What did we learn?", "What do we do next?"} for answers in reflections
    )
    assert Objective.objects.filter(organization=demo, carried_over_from__timeframe=closed).exists()
    assert KeyResult.objects.filter(organization=demo, carried_over_from__objective__timeframe=closed).exists()
    drafts = Objective.objects.filter(organization=demo, state=Objective.State.DRAFT)
    rules = {
        advice.rule for word in coaching.advice_for(demo, list(drafts), today=TODAY).values() for advice in word.open
    }
    assert rules  # the drafts of the rollout give the coach something to say
