"""The customer story in a browser: the OKR ambassador starts a rollout, sets up the first rollout
group of five leads, opens a challenge round on the draft company objectives; two reviewers give
feedback, the author revises, the ambassador publishes; a group member drafts a team objective
aligned to a company objective and checks in — and the adoption funnel moves for that person and
group as the data says (the expected figures are computed here from the rows, not by the app)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from lodestar.okrs.models import CheckIn, KeyResult, KeyResultContributor, Objective, ObjectiveContributor
from lodestar.orgs import services as orgs
from lodestar.rollout.models import ChallengeRound, FeedbackPoint, RolloutGroup, RolloutGroupMember
from tests import factories
from tests.browser.conftest import let_the_coach_answer, screenshot, sign_in
from tests.conftest import add_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story(cast):
    """Sam Sales is the OKR ambassador (a member with the flag); three more leads join the cast's
    lead and member in the first rollout group; the owner drafted two company objectives."""
    orgs.update_membership(actor=cast.owner, membership=cast.sales, is_okr_ambassador=True)
    leads = [
        add_person(cast.owner, "hana@acme.test", "Hana Hardware"),
        add_person(cast.owner, "paul@acme.test", "Paul Production"),
        add_person(cast.owner, "cleo@acme.test", "Cleo Cloud"),
    ]
    drafts = []
    for title, kr_title in (
        ("Fleet managers trust our alerts", "Alerts acknowledged within a day"),
        ("Build the new telematics portal", "Portal launched"),
    ):
        draft = factories.objective(cast.owner, timeframe=cast.quarter, title=title, state=Objective.State.DRAFT)
        factories.metric(cast.owner, draft, title=kr_title, start=20, target=60)
        drafts.append(draft)
    return [cast.lead, cast.member, *leads], drafts


def group_figures(group: RolloutGroup, quarter) -> dict:
    """The figures of a rollout group straight from the rows (the brief's definitions)."""
    people = set(RolloutGroupMember.objects.filter(rollout_group=group).values_list("membership_id", flat=True))
    in_quarter = Objective.objects.filter(timeframe=quarter)
    holders = (
        set(in_quarter.values_list("lead_id", flat=True))
        | set(KeyResult.objects.filter(objective__in=in_quarter).values_list("owner_id", flat=True))
        | set(ObjectiveContributor.objects.filter(objective__in=in_quarter).values_list("membership_id", flat=True))
        | set(
            KeyResultContributor.objects.filter(key_result__objective__in=in_quarter).values_list(
                "membership_id", flat=True
            )
        )
    )
    authors = set(CheckIn.objects.values_list("author_id", flat=True))
    expected = (
        set(
            KeyResult.objects.filter(objective__in=in_quarter, objective__state="active").values_list(
                "owner_id", flat=True
            )
        )
        & people
    )
    return {
        "people": len(people),
        "with_goals": len(people & holders),
        "never_checked_in": len(people - authors),
        "checked_in_7": f"{len(expected & authors)} of {len(expected)}",
    }


def dashboard_figures(page, live_server, group: RolloutGroup) -> dict:
    page.goto(f"{live_server.url}/acme/rollout/adoption/")
    row = f"segment=rg-{group.pk}&measure="
    figures = {}
    for measure in ("people", "with_goals", "never_checked_in", "checked_in_7"):
        link = page.locator(f'a[href*="{row}{measure}&"], a[href$="{row}{measure}"]').first
        figures[measure] = " ".join(link.inner_text().split())
    return figures


def test_the_rollout_story_from_plan_to_the_first_check_in(live_server, browser, cast, story):
    group_people, drafts = story
    ambassador = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    sign_in(ambassador, live_server, "sales@acme.test")

    # The ambassador starts the rollout from the proposed plan.
    ambassador.get_by_role("link", name="Rollout").first.click()
    ambassador.get_by_label("Start date").fill(cast.today.isoformat())
    ambassador.get_by_role("button", name="Start the rollout").click()
    expect(ambassador.get_by_text("First rollout group done")).to_be_visible()
    screenshot(ambassador, "rollout-plan")

    # The first rollout group: five leads.
    ambassador.get_by_role("link", name="Rollout groups").first.click()
    ambassador.get_by_role("link", name="New rollout group").first.click()
    ambassador.get_by_label("Name").fill("First rollout group")
    ambassador.get_by_label("Coach").fill("sales@acme.test")
    ambassador.get_by_label("Goal").select_option("checked_in")
    ambassador.get_by_label("Reach it by").fill((cast.today + datetime.timedelta(days=30)).isoformat())
    ambassador.locator('input[name="members"]').last.fill(group_people[0].user.email)
    ambassador.get_by_role("button", name=re.compile("Create|Set up|Save")).click()
    for person in group_people[1:]:
        ambassador.locator('input[name="people"]').last.fill(person.user.email)
        ambassador.get_by_role("button", name="Add to group").click()
    group = RolloutGroup.objects.get(name="First rollout group")
    assert group.group_members.count() == 5
    before = dashboard_figures(ambassador, live_server, group)
    assert before == {key: str(value) for key, value in group_figures(group, cast.quarter).items()}
    assert before["people"] == "5" and before["with_goals"] == "0" and before["never_checked_in"] == "5"

    # A challenge round on the draft company objectives, the group as reviewers.
    ambassador.goto(f"{live_server.url}/acme/rollout/groups/{group.pk}/")
    ambassador.get_by_role("link", name="Open a challenge round").click()
    ambassador.get_by_label("Title").fill("Challenge the draft company OKRs")
    ambassador.get_by_label("Deadline").fill((cast.today + datetime.timedelta(days=7)).isoformat())
    for draft in drafts:
        ambassador.get_by_label(re.compile(re.escape(draft.title))).check()
    ambassador.get_by_role("button", name=re.compile("Open")).click()
    challenge = ChallengeRound.objects.get()
    assert challenge.reviewers.count() == 5

    # Two reviewers give feedback; each sees the other's only after submitting their own.
    for email, verdict, comment in (
        ("hana@acme.test", "disagree", "A portal launch is an output: what changes for customers?"),
        ("paul@acme.test", "disagree", "Agree with Hana: which outcome does the portal serve?"),
    ):
        reviewer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
        sign_in(reviewer, live_server, email)
        reviewer.goto(f"{live_server.url}/acme/rollout/rounds/{challenge.pk}/")
        entry = challenge.round_objectives.get(objective=drafts[1])
        reviewer.locator(f'a[href*="/rollout/reviews/{entry.pk}/"]').first.click()
        reviewer.locator(f'input[name="objective-outcome"][value="{verdict}"]').check()
        reviewer.locator('textarea[name="objective-outcome-comment"]').fill(comment)
        reviewer.locator('input[name="objective-aligned"][value="agree"]').check()
        screenshot(reviewer, "rollout-review")
        reviewer.get_by_role("button", name=re.compile("Save")).click()
        reviewer.get_by_role("button", name=re.compile("Submit")).click()
        expect(reviewer.get_by_text(comment).first).to_be_visible()
        reviewer.context.close()
    assert FeedbackPoint.objects.filter(criterion="outcome", verdict="disagree").count() == 2

    # The author reads the feedback per criterion, replies, revises and resolves.
    author = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    sign_in(author, live_server, "owner@acme.test")
    author.goto(f"{live_server.url}/acme/rollout/rounds/{challenge.pk}/")
    expect(author.get_by_text("A portal launch is an output: what changes for customers?")).to_be_visible()
    author.goto(f"{live_server.url}/acme/objectives/{drafts[1].pk}/edit/")
    author.get_by_label("Title").fill("Customers solve their questions in the portal")
    let_the_coach_answer(author)
    author.get_by_role("button", name=re.compile("Save")).click()
    author.goto(f"{live_server.url}/acme/rollout/rounds/{challenge.pk}/")
    expect(author.get_by_text(re.compile("Customers solve their questions in the portal")).first).to_be_visible()
    expect(author.get_by_text(re.compile("Build the new telematics portal")).first).to_be_visible()  # what changed
    point = FeedbackPoint.objects.filter(reviewer__membership__user__email="hana@acme.test").first()
    discussed = author.locator(f"#point-{point.pk}")
    discussed.get_by_text("Reply", exact=True).click()
    discussed.get_by_label("Your reply").fill("Rewritten as an outcome, thank you.")
    discussed.get_by_role("button", name="Add reply").click()
    author.locator(f"#point-{point.pk}").get_by_role("button", name="Mark resolved").click()
    screenshot(author, "rollout-challenge-round")
    author.context.close()
    point.refresh_from_db()
    assert point.resolved_at is not None and point.replies.count() == 1

    # The ambassador closes the round: the decision log, and both objectives published together.
    ambassador.goto(f"{live_server.url}/acme/rollout/rounds/{challenge.pk}/close/")
    for entry in challenge.round_objectives.all():
        ambassador.locator(f'textarea[name="decision_{entry.pk}"]').fill("Kept after the challenge.")
    ambassador.get_by_role("button", name=re.compile("Close")).click()
    expect(ambassador.get_by_text("Kept after the challenge.").first).to_be_visible()
    assert set(Objective.objects.filter(pk__in=[d.pk for d in drafts]).values_list("state", flat=True)) == {"active"}

    # A group member drafts a team objective aligned to a company objective and checks in.
    member = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    sign_in(member, live_server, "lead@acme.test")
    member.goto(f"{live_server.url}/acme/objectives/{drafts[0].pk}/")
    member.get_by_role("link", name="Align an objective to this").click()
    member.get_by_label("Title").fill("Every alert explains what to do next")
    member.get_by_label("Group", exact=True).check()
    member.get_by_label("Engineering").check()
    member.get_by_label("Aligned to").select_option(value=str(drafts[0].pk))
    member.get_by_label("Active").check()
    let_the_coach_answer(member)
    member.get_by_role("button", name="Create objective").click()
    member.get_by_role("link", name="Add key result").first.click()
    member.get_by_label("Title").fill("Alerts with a suggested action")
    member.get_by_label("Metric", exact=True).check()
    member.get_by_label(re.compile("^Start value")).fill("10")
    member.get_by_label(re.compile("^Target value")).fill("80")
    let_the_coach_answer(member)
    member.get_by_role("button", name="Add key result").click()
    key_result = KeyResult.objects.get(title="Alerts with a suggested action")
    member.goto(f"{live_server.url}/acme/key-results/{key_result.pk}/check-in/")
    member.get_by_label(re.compile("New value")).fill("30")
    member.get_by_label("Status").select_option("on_track")
    member.get_by_role("button", name="Save").click()
    assert CheckIn.objects.filter(author=cast.lead).count() == 1
    member.context.close()

    after = dashboard_figures(ambassador, live_server, group)
    expected = {key: str(value) for key, value in group_figures(group, cast.quarter).items()}
    assert after == expected
    assert after["with_goals"] == "1" and after["never_checked_in"] == "4" and after["checked_in_7"] == "1 of 1"
    assert after != before
    screenshot(ambassador, "rollout-dashboard")

    ambassador.goto(f"{live_server.url}/acme/rollout/groups/{group.pk}/")
    row = ambassador.get_by_role("row", name=re.compile(cast.lead.user.full_name))
    expect(row).to_contain_text(re.compile("First check-in", re.I))
    screenshot(ambassador, "rollout-group")
    ambassador.context.close()
