"""Comments: Markdown made safe, mentions that notify the right people once, who may comment where,
editing and reactions, and threads that cost the same however long they are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.conversations import services
from lodestar.conversations.markdown import render
from lodestar.conversations.models import Comment, Reaction
from lodestar.core.errors import NotAllowed
from lodestar.notifications.models import Notification
from lodestar.okrs.models import Objective
from lodestar.orgs import services as orgs
from tests import factories
from tests.conftest import add_person, signed_in


def notified(person, kind=None):
    found = Notification.objects.filter(recipient=person)
    return list(found.filter(kind=kind) if kind else found)


def test_markdown_keeps_formatting_and_drops_anything_executable():
    html = render(
        "**Done** <script>alert(1)</script> [x](javascript:alert(1)) [docs](https://example.org) <img src=x onerror=alert(1)>",
        mention_url=lambda name: None,
    )
    assert "<strong>Done</strong>" in html
    assert "<script" not in html and "<img" not in html  # shown as text, never as markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">docs</a>' in html


def test_a_mention_becomes_a_link_to_the_person_and_unknown_names_stay_text(cast, world):
    comment = services.post_comment(
        actor=cast.member, target=world.objective, body="Thanks @[Lea Lead] and @[lead@acme.test], not @[Nobody Here]"
    )
    assert comment.body_html.count(f'href="/acme/people/{cast.lead.pk}/" class="mention"') == 2
    assert "@[Nobody Here]" in comment.body_html
    assert list(comment.mentions.values_list("person", flat=True)) == [cast.lead.pk]


def test_a_name_two_people_share_mentions_nobody_but_their_address_does(cast, world):
    twin = add_person(cast.owner, "lea.two@acme.test", "Lea Lead")
    comment = services.post_comment(
        actor=cast.member, target=world.objective, body="@[Lea Lead] or @[lea.two@acme.test]?"
    )
    assert list(comment.mentions.values_list("person", flat=True)) == [twin.pk]


def test_the_mentioned_person_and_the_goals_people_are_notified_once_and_the_author_not_at_all(cast, world):
    orgs.set_group_member(actor=cast.owner, group=cast.engineering, membership=cast.sales)
    services.post_comment(
        actor=cast.sales, target=world.key_result, body="@[Max Member] @[Max Member] @[Sam Sales] how is it going?"
    )
    # The member owns the key result and leads the objective, and is mentioned: one notification, the mention.
    assert [n.kind for n in notified(cast.member) if n.actor_id == cast.sales.pk] == ["mentioned"]
    assert not [n for n in notified(cast.sales) if n.actor_id == cast.sales.pk]


def test_people_who_commented_before_hear_about_the_reply(cast, world):
    services.post_comment(actor=cast.sales, target=world.objective, body="Is this still on track?")
    services.post_comment(actor=cast.lead, target=world.objective, body="Yes, since Monday.")
    replies = [n for n in notified(cast.sales, "commented") if n.actor_id == cast.lead.pk]
    assert len(replies) == 1 and replies[0].data["excerpt"] == "Yes, since Monday."


def test_nobody_is_told_about_a_private_objective_they_cannot_see(cast):
    secret = factories.objective(
        cast.lead,
        timeframe=cast.quarter,
        title="Reorganize the platform team",
        level=Objective.Level.GROUP,
        groups=[cast.engineering],
        lead=cast.lead,
        visibility=Objective.Visibility.PRIVATE,
    )
    services.post_comment(actor=cast.lead, target=secret, body="@[Sam Sales] @[Max Member] your view?")
    assert notified(cast.sales) == []
    assert [n.kind for n in notified(cast.member)] == ["mentioned"]  # in Engineering: may see it


def test_viewers_other_organizations_and_closed_timeframes_cannot_take_comments(cast, world):
    with pytest.raises(NotAllowed):
        services.post_comment(actor=cast.viewer, target=world.objective, body="Hello")
    with pytest.raises(NotAllowed):
        services.post_comment(actor=cast.beta_member, target=world.objective, body="Hello")
    closed = factories.objective(cast.owner, timeframe=cast.closed, title="Last quarter's objective")
    with pytest.raises(NotAllowed):
        services.post_comment(actor=cast.member, target=closed, body="Too late")
    assert services.post_comment(actor=cast.admin, target=closed, body="Admins may still note something")


def test_a_comment_posted_with_htmx_comes_back_as_the_thread_and_without_javascript_as_a_redirect(client, cast, world):
    signed_in(client, cast.sales)
    url = f"/acme/objectives/{world.objective.pk}/comments/"
    response = client.post(url, {"body": "Can we help with **testing**?"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<strong>testing</strong>" in response.content.decode() and "<html" not in response.content.decode()
    response = client.post(url, {"body": "And with docs?"})
    assert response.status_code == 302 and response["Location"].endswith(f"#comments-objective-{world.objective.pk}")
    page = client.get(f"/acme/objectives/{world.objective.pk}/").content.decode()
    assert "Can we help with" in page and "And with docs?" in page


def test_an_empty_or_overlong_comment_gets_a_message_and_saves_nothing(client, cast, world):
    signed_in(client, cast.sales)
    before = Comment.objects.count()
    for body in ["   ", "x" * 5001, "bell \x07"]:
        response = client.post(f"/acme/key-results/{world.key_result.pk}/comments/", {"body": body})
        assert response.status_code == 422 and 'class="field-error"' in response.content.decode()
    assert Comment.objects.count() == before


def test_only_the_author_edits_and_a_new_mention_in_the_edit_notifies(client, cast, world):
    comment = services.post_comment(actor=cast.sales, target=world.kpi, body="Numbers look odd")
    assert signed_in(client, cast.member).post(f"/acme/comments/{comment.pk}/edit/", {"body": "x"}).status_code == 403
    response = signed_in(client, cast.sales).post(
        f"/acme/comments/{comment.pk}/edit/", {"body": "Numbers look odd, @[Lea Lead]?"}
    )
    assert (
        response.status_code == 302
        and response["Location"] == f"/acme/kpis/{world.kpi.pk}/#comments-kpi-{world.kpi.pk}"
    )
    comment.refresh_from_db()
    assert comment.edited_at is not None and "@Lea Lead" in comment.body_html
    assert [n.kind for n in notified(cast.lead) if n.comment_id == comment.pk] == ["mentioned"]


def test_admins_and_authors_delete_and_others_do_not(client, cast, world):
    comment = services.post_comment(actor=cast.sales, target=world.objective, body="Delete me")
    assert signed_in(client, cast.member).post(f"/acme/comments/{comment.pk}/delete/").status_code == 403
    assert signed_in(client, cast.admin).post(f"/acme/comments/{comment.pk}/delete/").status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_a_reaction_toggles_and_shows_who_reacted(client, cast, world):
    signed_in(client, cast.lead)
    url = f"/acme/comments/{world.comment.pk}/react/"
    client.post(url, {"emoji": "heart"}, headers={"HX-Request": "true"})
    client.post(url, {"emoji": "heart"}, headers={"HX-Request": "true"})
    assert not Reaction.objects.filter(comment=world.comment).exists()
    response = client.post(url, {"emoji": "heart"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'class="reaction reaction-mine"' in body and 'title="Lea Lead"' in body
    assert client.post(url, {"emoji": "poo"}).status_code == 422


def test_a_check_in_has_its_own_conversation_counted_on_the_key_result_page(client, cast, world):
    services.post_comment(actor=cast.lead, target=world.check_in, body="Where does this figure come from?")
    signed_in(client, cast.member)
    assert "1 comment" in client.get(f"/acme/key-results/{world.key_result.pk}/").content.decode()
    page = client.get(f"/acme/check-ins/{world.check_in.pk}/comments/").content.decode()
    assert "Where does this figure come from?" in page


def test_a_thread_costs_the_same_queries_for_2_and_12_comments_with_reactions(client, cast, world):
    signed_in(client, cast.member)
    url = f"/acme/objectives/{world.objective.pk}/"

    def queries_with(count):
        while Comment.objects.filter(objective=world.objective, key_result=None).count() < count:
            comment = services.post_comment(actor=cast.lead, target=world.objective, body="More @[Max Member]")
            services.toggle_reaction(actor=cast.sales, comment=comment, emoji="eyes")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert queries_with(2) == queries_with(12)


def test_the_mention_picker_suggests_active_colleagues_of_the_same_organization(client, cast):
    orgs.update_membership(actor=cast.owner, membership=cast.sales, is_active=False)
    signed_in(client, cast.member)
    people = client.get("/acme/people/mentions/", {"q": "a"}).json()["people"]
    names = {person["name"] for person in people}
    assert "Lea Lead" in names and "Sam Sales" not in names and "Bea Beta" not in names
    assert {person["insert"] for person in people if person["name"] == "Lea Lead"} == {"@[Lea Lead]"}


def test_a_closed_timeframes_conversation_is_read_only_for_members(client, cast):
    closed = factories.objective(cast.owner, timeframe=cast.closed, title="Last quarter's objective", lead=cast.member)
    comment = services.post_comment(actor=cast.admin, target=closed, body="Well done, @[Max Member]")
    mine = services.post_comment(actor=cast.admin, target=closed, body="Notes")
    with pytest.raises(NotAllowed):
        services.toggle_reaction(actor=cast.member, comment=comment, emoji="heart")
    signed_in(client, cast.member)
    page = client.get(f"/acme/objectives/{closed.pk}/").content.decode()
    assert "Well done" in page and 'name="emoji"' not in page and "Write a comment" not in page
    signed_in(client, cast.admin)
    assert client.post(f"/acme/comments/{mine.pk}/edit/", {"body": "Notes, corrected"}).status_code == 302


def test_an_edit_replaces_the_words_in_the_feed_and_the_notifications(cast, world):
    comment = services.post_comment(actor=cast.sales, target=world.objective, body="Revenue was 1,234,567 €")
    services.edit_comment(actor=cast.sales, comment=comment, body="(figure removed)")
    from lodestar.activity.models import Activity

    told = [a.data["excerpt"] for a in Activity.objects.filter(comment=comment)]
    told += [n.data["excerpt"] for n in Notification.objects.filter(comment=comment)]
    assert told and set(told) == {"(figure removed)"}


def test_a_check_ins_author_hears_of_comments_on_it_and_the_link_leads_to_its_conversation(client, cast, world):
    orgs.set_group_member(actor=cast.owner, group=cast.engineering, membership=cast.sales)
    from lodestar.okrs import services as okrs

    okrs.update_key_result(actor=cast.member, key_result=world.key_result, contributors=[cast.sales])
    check_in = okrs.record_check_in(actor=cast.sales, key_result=world.key_result, value=9, status="on_track")
    comment = services.post_comment(actor=cast.lead, target=check_in, body="Where is this figure from?")
    notification = Notification.objects.get(recipient=cast.sales, comment=comment, kind="commented")
    response = signed_in(client, cast.sales).get(f"/acme/notifications/{notification.pk}/")
    assert response["Location"] == f"/acme/check-ins/{check_in.pk}/comments/#comment-{comment.pk}"
    assert "Where is this figure from?" in client.get(response["Location"]).content.decode()


def test_a_mention_in_code_is_shown_as_typed_and_notifies_nobody(cast, world):
    comment = services.post_comment(
        actor=cast.member,
        target=world.objective,
        body="Type `@[Lea Lead]` to mention, like @[Sam Sales]:\n\n```\n@[Ada Admin]\n```",
    )
    assert list(comment.mentions.values_list("person", flat=True)) == [cast.sales.pk]
    assert "<code>@[Lea Lead]</code>" in comment.body_html and "@[Ada Admin]" in comment.body_html
    assert not Notification.objects.filter(
        recipient__in=[cast.admin, cast.lead], kind="mentioned", comment=comment
    ).exists()
