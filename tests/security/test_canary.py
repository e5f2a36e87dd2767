"""The canary: a unique string planted in everything about a private objective — its title and
description, its key results, a check-in, initiatives, comments, a data source, a coach dismissal,
challenge-round feedback — and the private objective linked through every relation the schema has
to Objective and KeyResult (parent, aligned children, shared key results, initiatives, round entries,
carry-over, mentions, pillar, KPI link …). Then everything a colleague of the same organization who
may not see it can reach is rendered: every page and htmx partial of the URL walker, every GET of the
API's published schema, every e-mail of the mail outbox, and every chat post and webhook body the
worker would send. The canary appears nowhere.

KPIs have no visibility of their own (the brief: every member sees every KPI), so there is no private
KPI to plant it in; the KPI is linked to the private objective instead.

A new foreign key or many-to-many field to Objective or KeyResult fails
``test_every_relation_to_objectives_and_key_results_is_planted`` until it is planted below and listed
in PLANTED.
"""

import datetime
import json
import re

import pytest
from django.apps import apps
from django.utils import timezone

from lodestar.api import services as api_tokens
from lodestar.conversations import services as conversations
from lodestar.feeds import services as feeds
from lodestar.notifications import emails as notification_emails
from lodestar.notifications.models import ChatPost, Email, EmailMode, Preferences
from lodestar.okrs import services as okrs
from lodestar.okrs.models import KeyResult, Objective
from lodestar.orgs import services as orgs
from lodestar.rollout import services as rollout
from lodestar.rollout.models import Criterion, RoundObjective
from lodestar.webhooks import services as webhooks
from lodestar.webhooks.models import Delivery
from tests import factories
from tests.conftest import signed_in
from tests.security.urls import build, organization_patterns, world_values

CANARY = "Canary7f3q"

# Every relation of the schema to Objective or KeyResult, and where the canary world plants it.
PLANTED = {
    "okrs.Objective.parent": "the public child and drafts aligned to the private objective; it aligns to a public one",
    "okrs.Objective.carried_over_from": "the private objective carried over; a public objective carried over from it",
    "okrs.ProgressSnapshot.objective": "written by the roll-up of the private objective",
    "okrs.ObjectiveGroup.objective": "the private objective is shared by Engineering and Platform",
    "okrs.ObjectiveContributor.objective": "the member contributes to the private objective",
    "okrs.KeyResult.objective": "the private objective's key results",
    "okrs.KeyResult.carried_over_from": "a private key result carried over into a public objective of next quarter",
    "okrs.KeyResultContributor.key_result": "the member contributes to a private key result",
    "okrs.CheckIn.key_result": "the lead's check-in on a private key result",
    "okrs.Initiative.key_results": "an initiative of the private key result only, and one shared with a public one",
    "okrs.InitiativeKeyResult.key_result": "as Initiative.key_results",
    "okrs.CoachDismissal.objective": "a dismissed coach finding on the private objective",
    "okrs.CoachDismissal.key_result": "… and on its key result",
    "okrs.HistoricalObjective.parent": "history rows of the children aligned to the private objective",
    "okrs.HistoricalObjective.carried_over_from": "history rows of the carried-over objectives",
    "okrs.HistoricalKeyResult.objective": "history rows of the private key results",
    "okrs.HistoricalKeyResult.carried_over_from": "history rows of the carried-over key result",
    "okrs.HistoricalCheckIn.key_result": "history rows of the check-in",
    "activity.Activity.objective": "the check-in and the comments record activity",
    "activity.Activity.key_result": "the check-in's activity",
    "conversations.Comment.objective": "comments on the private objective (one mentions the reader)",
    "conversations.Comment.key_result": "a comment on the private key result",
    "feeds.Feed.key_result": "a polled data source on the private key result",
    "notifications.Notification.objective": "notifications of the mention and the comments",
    "notifications.Notification.key_result": "notifications of the key-result comment",
    "kpis.KPI.objectives": "the world's KPI names the private objective",
    "kpis.KPIObjective.objective": "as KPI.objectives",
    "rollout.ChallengeRound.objectives": "a private draft and a public draft aligned to it, in rounds",
    "rollout.RoundObjective.objective": "as ChallengeRound.objectives",
    "rollout.FeedbackPoint.objective": "feedback on the private draft",
    "rollout.FeedbackPoint.key_result": "feedback on the private draft's key result",
    "webhooks.Delivery.objective": "check-ins and status changes of the private objective (none may be queued)",
}


def relations_to_goals() -> set[str]:
    goals = {Objective, KeyResult}
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("lodestar"):
            continue
        for field in model._meta.get_fields():
            if field.auto_created or not field.is_relation or field.related_model not in goals:
                continue
            found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_relation_to_objectives_and_key_results_is_planted():
    missing = relations_to_goals() - set(PLANTED)
    assert not missing, f"plant the canary through these relations and list them in PLANTED: {sorted(missing)}"
    assert not set(PLANTED) - relations_to_goals(), "PLANTED names relations the schema no longer has"


@pytest.fixture
def canary(world, settings):
    """The private world beside the security tests' world. The reader is Sam from Sales (a member who
    leads Sales): nothing of the private objective is his to see."""
    settings.LODESTAR_API_RATE = "1000000/min"
    cast = world.cast
    owner, lead, member = cast.owner, cast.lead, cast.member
    platform = orgs.create_group(actor=owner, name="Platform")
    orgs.set_group_member(actor=owner, group=platform, membership=lead, is_lead=True)
    hook = webhooks.create_webhook(
        actor=owner,
        name="Everything",
        url="http://127.0.0.1:9/hooks/all",
        events=["check_in.created", "objective.status_changed", "objective.closed", "kpi.unhealthy"],
        is_active=True,
    )
    # The public parent takes its progress from its aligned objectives.
    parent = factories.objective(
        owner, timeframe=cast.quarter, title="Public parent", progress_driver="children", pillar=world.pillar
    )
    public_kr = factories.metric(owner, parent, owner=cast.sales, title="Public pipeline")
    secret = factories.objective(
        owner,
        timeframe=cast.quarter,
        title=f"{CANARY} acquisition",
        description=f"Why {CANARY} matters",
        level="group",
        groups=[cast.engineering, platform],
        lead=lead,
        contributors=[member],
        visibility="private",
        parent=parent,
        pillar=world.pillar,
        kpis=[world.kpi],
        progress_driver="both",
    )
    secret_kr = factories.metric(
        owner, secret, owner=lead, title=f"{CANARY} due diligence", description=f"{CANARY} notes", contributors=[member]
    )
    factories.key_result(owner, secret, "milestone", owner=member, title=f"{CANARY} signed")
    # Carried over into a public objective later: its title says nothing (carrying it over publishes it).
    plain_kr = factories.metric(owner, secret, owner=lead, title="Plain measure")
    check_in = okrs.record_check_in(
        actor=lead, key_result=secret_kr, value=40, status="off_track", comment=f"{CANARY} talks stalled"
    )
    # Aligned to the private objective: a public child, a public draft in an open round the reader
    # reviews, and one in a round that closed (published then).
    child = factories.objective(
        owner, timeframe=cast.quarter, title="Public child", level="personal", lead=cast.sales, parent=secret
    )
    factories.metric(owner, child, owner=cast.sales, title="Child measure")
    draft_child = factories.objective(
        owner, timeframe=cast.quarter, title="Draft child", level="personal", lead=cast.sales, parent=secret,
        state=Objective.State.DRAFT,
    )  # fmt: skip
    closed_child = factories.objective(
        owner, timeframe=cast.quarter, title="Closed-round child", level="personal", lead=cast.sales, parent=secret,
        state=Objective.State.DRAFT,
    )  # fmt: skip
    private_draft = factories.objective(
        owner, timeframe=cast.quarter, title=f"{CANARY} draft", description=CANARY, level="group",
        groups=[cast.engineering], lead=lead, visibility="private", state=Objective.State.DRAFT,
    )  # fmt: skip
    private_draft_kr = factories.metric(owner, private_draft, owner=lead, title=f"{CANARY} draft measure")
    open_round = rollout.open_round(
        actor=owner, title="Open round", deadline=cast.today, objectives=[draft_child, private_draft],
        reviewers=[cast.sales, lead],
    )  # fmt: skip
    rollout.save_review(
        actor=lead,
        challenge=open_round,
        objective=private_draft,
        verdicts={
            (None, Criterion.OUTCOME): ("disagree", f"{CANARY} is an output"),
            (private_draft_kr, Criterion.MEASURABLE): ("disagree", f"{CANARY} unmeasurable"),
        },
    )
    rollout.submit_review(actor=lead, challenge=open_round)
    rollout.save_review(
        actor=cast.sales, challenge=open_round, objective=draft_child,
        verdicts={(None, Criterion.OUTCOME): ("agree", "Fine.")},
    )  # fmt: skip
    rollout.submit_review(actor=cast.sales, challenge=open_round)
    closed_round = rollout.open_round(
        actor=owner, title="Closed round", deadline=cast.today, objectives=[closed_child], reviewers=[lead]
    )
    entry = RoundObjective.objects.get(round=closed_round)
    rollout.close_round(actor=owner, challenge=closed_round, decisions={entry.pk: "Kept."}, publish=[entry.pk])
    # Initiatives: one of the private key result only, one shared with the reader's public key result.
    hidden_work = okrs.create_initiative(
        actor=lead, title=f"{CANARY} data room", description=CANARY, key_results=[secret_kr], owner=lead
    )
    shared_work = okrs.create_initiative(
        actor=owner, title="Shared work", key_results=[secret_kr, public_kr], owner=cast.sales
    )
    # Conversations: on the objective (one mentions the reader), the key result and the check-in.
    comment = conversations.post_comment(actor=lead, target=secret, body=f"{CANARY}: @[Sam Sales], see this")
    conversations.post_comment(actor=member, target=secret, body=f"{CANARY} reply")
    conversations.post_comment(actor=lead, target=secret_kr, body=f"{CANARY} on the key result")
    conversations.post_comment(actor=lead, target=check_in, body=f"{CANARY} on the check-in")
    feeds.create_poll_feed(
        actor=lead, target=secret_kr, name=f"{CANARY} export", url="http://127.0.0.1:9/canary.csv", format="csv",
        field_path="value", every_minutes=60,
    )  # fmt: skip
    okrs.dismiss_coach_finding(actor=lead, objective=secret, rule="too_few_krs", reason=f"{CANARY} is enough")
    okrs.dismiss_coach_finding(
        actor=lead, objective=secret, key_result=secret_kr, rule="kr_output", reason=f"{CANARY} reason"
    )
    # Carry-over: the private objective continues next quarter (still private); one of its key
    # results continues under a public objective; a public objective names it as its origin.
    carried = okrs.carry_over_objective(actor=owner, objective=secret, timeframe=world.next_quarter)
    public_next = factories.objective(owner, timeframe=world.next_quarter, title="Public next")
    okrs.carry_over_key_result(actor=owner, key_result=plain_kr, into=public_next)
    origin_named = factories.objective(owner, timeframe=world.next_quarter, title="Public successor")
    Objective.objects.filter(pk=origin_named.pk).update(carried_over_from=secret)
    # A public conversation that does reach the reader (the control of the e-mail test).
    conversations.post_comment(actor=lead, target=parent, body="@[Sam Sales], how is the pipeline?")
    # The check-in that changes the private objective's status, after everything listens.
    okrs.record_check_in(actor=lead, key_result=secret_kr, value=45, status="needs_attention", comment=CANARY)
    return {
        "hook": hook,
        "parent": parent,
        "public_kr": public_kr,
        "secret": secret,
        "secret_kr": secret_kr,
        "check_in": check_in,
        "child": child,
        "draft_child": draft_child,
        "open_round": open_round,
        "open_entry": RoundObjective.objects.get(round=open_round, objective=draft_child),
        "private_entry": RoundObjective.objects.get(round=open_round, objective=private_draft),
        "closed_round": closed_round,
        "closed_entry": entry,
        "hidden_work": hidden_work,
        "shared_work": shared_work,
        "comment": comment,
        "carried": carried,
        "public_next": public_next,
        "origin_named": origin_named,
        "private_draft": private_draft,
    }


def _fillings(world, canary):
    """URL arguments: the world's objects, then the public objects around the private one, then the
    private ones themselves (which must be 404 or show nothing of them)."""
    base = world_values(world)
    around = [
        {"objective_id": canary["parent"].pk, "key_result_id": canary["public_kr"].pk,
         "initiative_id": canary["shared_work"].pk, "round_id": canary["open_round"].pk,
         "entry_id": canary["open_entry"].pk},
        {"objective_id": canary["child"].pk, "round_id": canary["closed_round"].pk,
         "entry_id": canary["closed_entry"].pk},
        {"objective_id": canary["draft_child"].pk},
        {"objective_id": canary["public_next"].pk},
        {"objective_id": canary["origin_named"].pk},
    ]  # fmt: skip
    private = {
        "objective_id": canary["secret"].pk,
        "key_result_id": canary["secret_kr"].pk,
        "check_in_id": canary["check_in"].pk,
        "initiative_id": canary["hidden_work"].pk,
        "comment_id": canary["comment"].pk,
        "entry_id": canary["private_entry"].pk,
    }
    return [
        base,
        *({**base, **values} for values in around),
        {**base, **private},
        {**base, "objective_id": canary["carried"].pk},
    ]


def _leaks(text: str) -> bool:
    return CANARY.lower() in text.lower()


def test_no_page_or_partial_shows_the_canary_to_a_colleague_who_may_not_see_it(client, world, canary, capsys):
    cast = world.cast
    signed_in(client, cast.sales)
    queries = [{}, {"timeframe": cast.quarter.pk}, {"timeframe": world.next_quarter.pk}]
    leaks, opened = set(), 0
    seen = set()
    for values in _fillings(world, canary):
        for route, name in organization_patterns():
            url = build(name, route, cast.acme.slug, values)
            if url in seen:
                continue
            seen.add(url)
            for query in queries if "<" not in route else [{}]:
                for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
                    response = client.get(url, query, **headers)
                    if response.status_code >= 500:
                        leaks.add((url, f"status {response.status_code}"))
                    if response.status_code != 200 or response.get("Content-Type", "").startswith("image/"):
                        continue
                    opened += 1
                    if _leaks(response.content.decode(errors="replace")):
                        leaks.add((url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
                                   "htmx" if headers else "page"))  # fmt: skip
    with capsys.disabled():
        print(f"\ncanary: {len(seen)} URLs, {opened} answers read, {len(leaks)} leaks")
        for leak in sorted(leaks):
            print("  leak:", *leak)
    assert opened > 150
    assert sorted(leaks) == []


def _schema_gets(client):
    schema = client.get("/api/v1/openapi.json").json()
    return [path for path, operations in schema["paths"].items() if "get" in operations]


def test_no_api_answer_shows_the_canary(client, world, canary, capsys):
    cast = world.cast
    _, token = api_tokens.create_token(actor=cast.sales, name="Canary", scope="read")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    leaks, read = [], 0
    paths = _schema_gets(client)
    for values in _fillings(world, canary):
        values = {**values, "person_id": cast.member.pk}
        for path in paths:
            arguments = re.findall(r"{(\w+)}", path)
            if any(argument not in values for argument in arguments):
                leaks.append((path, "unknown path argument"))
                continue
            url = path
            for argument in arguments:
                url = url.replace(f"{{{argument}}}", str(values[argument]))
            for query in ({}, {"timeframe": cast.quarter.pk}, {"limit": 200}):
                response = client.get(url, query, **headers)
                if response.status_code >= 500:
                    leaks.append((url, response.status_code))
                if response.status_code == 200:
                    read += 1
                    if _leaks(response.content.decode()):
                        leaks.append((url, query))
    with capsys.disabled():
        print(f"\ncanary: {len(paths)} API paths, {read} answers read, {len(leaks)} leaks")
        for leak in leaks:
            print("  leak:", *leak)
    assert read > 20
    assert leaks == []


def test_no_email_to_a_colleague_who_may_not_see_it_shows_the_canary(world, canary, mailoutbox):
    cast = world.cast
    now = timezone.now()
    today = cast.acme.today()
    week = today.isocalendar()
    # Every kind of e-mail the reader can get, composed and sent as the worker does.
    Preferences.objects.update_or_create(
        organization=cast.acme, membership=cast.sales,
        defaults={"notification_emails": EmailMode.IMMEDIATELY, "check_in_reminders": True, "lead_digest": True},
    )  # fmt: skip
    notifications = list(cast.sales.notifications.all()) if hasattr(cast.sales, "notifications") else []
    rows = [
        Email(organization=cast.acme, recipient=cast.sales, kind=Email.Kind.CHECK_IN_REMINDER,
              key=f"{week.year}-W{week.week:02}", next_attempt_at=now),
        Email(organization=cast.acme, recipient=cast.sales, kind=Email.Kind.LEAD_DIGEST,
              key=f"{week.year}-W{week.week:02}-lead", next_attempt_at=now),
    ]  # fmt: skip
    Email.objects.bulk_create(rows, ignore_conflicts=True)
    for email in Email.objects.filter(organization=cast.acme, recipient=cast.sales, kind=Email.Kind.NOTIFICATION):
        notification_emails.deliver(email)
    for email in Email.objects.filter(organization=cast.acme, recipient=cast.sales).exclude(
        kind=Email.Kind.NOTIFICATION
    ):
        notification_emails.deliver(email)
    # The daily digest of the same notifications.
    Preferences.objects.filter(organization=cast.acme, membership=cast.sales).update(
        notification_emails=EmailMode.DAILY
    )
    digest = Email.objects.create(
        organization=cast.acme, recipient=cast.sales, kind=Email.Kind.DAILY_DIGEST,
        key=(today + datetime.timedelta(days=1)).isoformat(), next_attempt_at=now,
    )  # fmt: skip
    notification_emails.deliver(digest)
    del notifications
    leaks, read = [], 0
    for message in mailoutbox:
        if cast.sales.user.email not in " ".join(message.to):
            continue
        read += 1
        text = message.subject + message.body + "".join(str(part[0]) for part in message.alternatives)
        if _leaks(text):
            leaks.append(message.subject)
    assert read >= 2  # the public mention, at once and in the daily digest
    assert leaks == []


def test_no_chat_post_or_webhook_body_shows_the_canary(world, canary):
    cast = world.cast
    posts = [json.dumps(post.payload) for post in ChatPost.objects.filter(organization=cast.acme)]
    deliveries = [json.dumps(delivery.payload) for delivery in Delivery.objects.filter(organization=cast.acme)]
    assert [post for post in posts if _leaks(post)] == []
    assert [body for body in deliveries if _leaks(body)] == []
    # The world did send something: the public check-in was posted and delivered.
    okrs.record_check_in(actor=cast.sales, key_result=canary["public_kr"], value=10, status="on_track")
    assert Delivery.objects.filter(organization=cast.acme, webhook=canary["hook"], event="check_in.created").exists()
    assert ChatPost.objects.filter(organization=cast.acme).count() > len(posts)


def test_people_inside_the_private_objective_do_see_the_canary(client, world, canary):
    """The same walk's control: the canary is there for those who may see it."""
    response = signed_in(client, world.cast.lead).get(f"/acme/objectives/{canary['secret'].pk}/")
    assert CANARY in response.content.decode()
