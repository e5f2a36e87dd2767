"""The rollout pages as people meet them: who may open what, what a reviewer sees before and after
submitting, the people behind the dashboard's numbers, the welcome on My goals, and German."""

import pytest
from django.urls import reverse

from lodestar.rollout import services
from lodestar.rollout.models import Criterion
from tests.conftest import signed_in
from tests.rollout.conftest import make_ambassador

pytestmark = pytest.mark.django_db


def url(cast, name, **kwargs):
    return reverse(f"rollout:{name}", kwargs={"org_slug": cast.acme.slug, **kwargs})


def test_everyone_reads_the_plan_but_only_those_running_the_rollout_see_the_adoption_dashboard(client, cast):
    services.start_rollout(actor=cast.owner, starts_on=cast.today)
    signed_in(client, cast.member)
    assert "First rollout group done" in client.get(url(cast, "plan")).content.decode()
    assert client.get(url(cast, "dashboard")).status_code == 403
    make_ambassador(cast, cast.member)
    assert client.get(url(cast, "dashboard")).status_code == 200


def test_an_ambassador_who_is_a_viewer_does_not_run_the_rollout(client, cast):
    make_ambassador(cast, cast.viewer)
    response = signed_in(client, cast.viewer).post(url(cast, "start"), {"starts_on": cast.today.isoformat()})
    assert response.status_code == 403


def test_a_reviewer_sees_the_others_feedback_only_after_submitting_their_own(client, cast, challenge_round):
    services.save_review(
        actor=cast.lead,
        challenge=challenge_round.round,
        objective=challenge_round.draft,
        verdicts={(None, Criterion.OUTCOME): ("disagree", "Shipping is an output, not an outcome.")},
    )
    services.submit_review(actor=cast.lead, challenge=challenge_round.round)
    round_page = url(cast, "round", round_id=challenge_round.round.pk)
    signed_in(client, cast.sales)
    assert "Shipping is an output" not in client.get(round_page).content.decode()
    services.save_review(
        actor=cast.sales,
        challenge=challenge_round.round,
        objective=challenge_round.draft,
        verdicts={(None, Criterion.KR_COUNT): ("agree", "")},
    )
    client.post(url(cast, "review_submit", round_id=challenge_round.round.pk))
    assert "Shipping is an output" in client.get(round_page).content.decode()


def test_the_author_reads_submitted_feedback_but_not_a_draft_review(client, cast, challenge_round):
    services.save_review(
        actor=cast.lead,
        challenge=challenge_round.round,
        objective=challenge_round.draft,
        verdicts={(None, Criterion.AMBITIOUS): ("disagree", "Not yet sent.")},
    )
    signed_in(client, cast.member)  # leads the draft
    page = url(cast, "round", round_id=challenge_round.round.pk)
    assert "Not yet sent." not in client.get(page).content.decode()
    services.submit_review(actor=cast.lead, challenge=challenge_round.round)
    assert "Not yet sent." in client.get(page).content.decode()


def test_a_member_outside_an_open_round_gets_404_and_sees_it_once_closed(client, cast, challenge_round):
    page = url(cast, "round", round_id=challenge_round.round.pk)
    signed_in(client, challenge_round.outsider)
    assert client.get(page).status_code == 404
    services.close_round(actor=cast.admin, challenge=challenge_round.round, decisions={}, publish=set())
    assert client.get(page).status_code == 200


def test_the_people_behind_a_number_are_listed_by_name(client, cast):
    group = services.create_rollout_group(actor=cast.owner, name="First rollout group", members=[cast.lead])
    signed_in(client, cast.owner)
    response = client.get(url(cast, "people"), {"segment": f"rg-{group.pk}", "measure": "never_checked_in"})
    body = response.content.decode()
    assert response.status_code == 200
    assert cast.lead.full_name in body and cast.member.full_name not in body


def test_another_organizations_rollout_group_in_a_query_string_is_not_found(client, cast):
    group = services.create_rollout_group(actor=cast.owner, name="First rollout group", members=[cast.lead])
    beta = reverse("rollout:people", kwargs={"org_slug": cast.beta.slug})
    signed_in(client, cast.beta_owner)
    assert client.get(beta, {"segment": f"rg-{group.pk}", "measure": "people"}).status_code == 404
    new_round = reverse("rollout:round_create", kwargs={"org_slug": cast.beta.slug})
    assert client.get(new_round, {"rollout_group": group.pk}).status_code == 404


def test_an_unknown_measure_is_not_found(client, cast):
    signed_in(client, cast.owner)
    assert client.get(url(cast, "people"), {"segment": "all", "measure": "salaries"}).status_code == 404


def test_a_new_member_is_welcomed_with_the_deck_until_they_dismiss_it(client, cast):
    home = reverse("okrs:home", kwargs={"org_slug": cast.acme.slug})
    signed_in(client, cast.member)
    assert "New to OKRs here?" in client.get(home).content.decode()
    client.post(url(cast, "welcome_dismiss"))
    assert "New to OKRs here?" not in client.get(home).content.decode()


def test_the_built_in_deck_speaks_the_readers_language(client, cast):
    signed_in(client, cast.member)
    assert "Why we are doing this" in client.get(url(cast, "deck")).content.decode()
    cast.member.user.language = "de"
    cast.member.user.save()
    assert "Warum wir das machen" in client.get(url(cast, "deck")).content.decode()


def test_the_ambassadors_own_deck_replaces_the_built_in_one(client, cast):
    signed_in(client, cast.owner)
    response = client.post(url(cast, "deck_edit"), {"title_1": "Warum OKRs bei Acme", "body_1": "Weniger Silos."})
    assert response.status_code == 302
    deck = client.get(url(cast, "deck")).content.decode()
    assert "Warum OKRs bei Acme" in deck and "Why we are doing this" not in deck
    client.post(url(cast, "deck_reset"))
    assert "Why we are doing this" in client.get(url(cast, "deck")).content.decode()


def test_a_bad_date_when_starting_the_rollout_gets_a_message_next_to_the_field(client, cast):
    response = signed_in(client, cast.owner).post(url(cast, "start"), {"starts_on": "2026-02-30"})
    assert response.status_code == 422
    assert 'class="field-error"' in response.content.decode()
