"""The group picker: its suggestions (orgs:group_options), the organization's groups matching what is
typed, and the fields (lodestar.orgs.pickers) that read a group's name or short name; never another
organization's group, never a crash, a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lodestar.okrs.forms import ObjectiveForm
from lodestar.onboarding.forms import InviteForm
from lodestar.orgs.forms import GroupForm
from lodestar.orgs.models import Group
from tests.conftest import signed_in


@pytest.fixture(autouse=True)
def in_english():
    """The forms here are checked without a request, in whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def options(client, **query):
    return client.get(reverse("orgs:group_options", kwargs={"org_slug": "acme"}), query, headers={"HX-Request": "true"})


def group(cast, name, slug, parent=None):
    return Group.objects.create(organization=cast.acme, name=name, slug=slug, parent=parent)


# --- suggestions ---------------------------------------------------------------------------------


def test_suggestions_are_the_organizations_groups_matching_name_or_short_name_with_their_parent(client, cast):
    group(cast, "Platform", "platform-team", parent=cast.engineering)
    signed_in(client, cast.member)
    assert options(client, q="plat").text.strip() == '<option value="platform-team">Platform · Engineering</option>'
    assert "platform-team" in options(client, q="M-TEA").text
    everyone = options(client).text
    assert everyone.index("Engineering") < everyone.index("Platform") < everyone.index("Sales")  # by name


def test_suggestions_read_the_text_under_the_inputs_own_name(client, cast):
    response = options(signed_in(client, cast.member), field="parent", parent="sal")
    assert response.text.strip() == '<option value="sales">Sales</option>'


def test_another_organizations_groups_are_never_suggested(client, cast):
    Group.objects.filter(pk=cast.beta_group.pk).update(name="Beta only", slug="beta-only")
    assert "beta" not in options(signed_in(client, cast.member), q="beta").text.lower()
    assert options(signed_in(client, cast.beta_member), q="e").status_code == 404


def test_at_most_twenty_groups_are_suggested_with_one_query_whatever_their_number(client, cast):
    for number in range(25):
        group(cast, f"Group {number:02}", f"group-{number:02}", parent=cast.engineering)
    signed_in(client, cast.member)
    answers = {}
    for text in ("group", "nothing"):
        with CaptureQueriesContext(connection) as queries:
            page = options(client, q=text).text
        answers[text] = (page, len(queries))
    page, queries_for_many = answers["group"]
    assert page.count("<option") == 20
    assert "Group 00" in page and "Group 19" in page and "Group 20" not in page
    assert queries_for_many == answers["nothing"][1]


@pytest.mark.parametrize("text", ["\x00", "%", "_", "'; DROP TABLE orgs_group; --", "x" * 5000, "<script>", "🧭"])
def test_any_text_gets_an_answer_not_a_crash(client, cast, text):
    signed_in(client, cast.member)
    for query in ({"q": text}, {"field": text, text: text}, {"field": "groups", "groups": text}):
        response = options(client, **query)
        assert response.status_code == 200
        assert "<script>" not in response.text


def test_suggestions_answer_only_get(client, cast):
    url = reverse("orgs:group_options", kwargs={"org_slug": "acme"})
    assert signed_in(client, cast.member).post(url, {"q": "a"}).status_code == 405


# --- the fields ----------------------------------------------------------------------------------


def person_form(cast, groups):
    data = {"addresses": "New <new@acme.test>", "role": "member", "groups": groups}
    return InviteForm(data, actor=cast.admin)


@pytest.mark.parametrize("typed", ["Engineering", "engineering", "  ENGINEERING ", "Sales"])
def test_a_group_is_typed_as_its_name_or_short_name_in_any_case(cast, typed):
    form = person_form(cast, [typed])
    assert form.is_valid(), form.errors
    assert [g.name for g in form.cleaned_data["groups"]] == [typed.strip().title()]


def test_the_same_group_twice_counts_once_and_groups_come_by_name(cast):
    form = person_form(cast, ["sales", "Engineering", "SALES", "engineering"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["groups"] == [cast.engineering, cast.sales_group]


def test_a_name_several_groups_share_means_the_one_it_made_the_short_name_of_else_asks(cast):
    second = group(cast, "Engineering", "engineering-2")
    for typed, meant in (("Engineering", cast.engineering), ("engineering-2", second)):
        form = person_form(cast, [typed])
        assert form.is_valid(), form.errors
        assert form.cleaned_data["groups"] == [meant]
    group(cast, "Ops", "ops-a"), group(cast, "Ops", "ops-b")
    form = person_form(cast, ["ops"])
    assert not form.is_valid()
    assert form.errors["groups"] == ["Several groups are called “ops”: enter the short name of the one you mean."]


@pytest.mark.parametrize(
    "typed",
    [
        lambda cast: ["Nowhere"],
        lambda cast: [str(cast.engineering.pk)],
        lambda cast: ["9" * 40],
        lambda cast: ["\x00"],
        lambda cast: ["x" * 5000],
        lambda cast: [f"g{number}" for number in range(101)],
    ],
)
def test_what_names_no_group_of_the_organization_is_a_field_error(cast, typed):
    Group.objects.filter(pk=cast.beta_group.pk).update(name="Beta only", slug="beta-only")
    for texts in (typed(cast), ["Beta only"], ["beta-only"]):
        form = person_form(cast, texts)
        assert not form.is_valid()
        assert list(form.errors) == ["groups"]


def test_the_parent_field_reads_one_group_and_shows_it_by_name_or_short_name(cast):
    second = group(cast, "Engineering", "engineering-2")
    form = GroupForm(organization_id=cast.acme.pk, group=group(cast, "Platform", "platform", parent=second))
    assert 'name="parent" value="engineering-2"' in str(form["parent"])  # the name would be ambiguous
    form = GroupForm(organization_id=cast.acme.pk, initial={"parent": str(cast.engineering.pk)})
    assert 'name="parent" value="Engineering"' in str(form["parent"])
    assert '<option value="engineering">Engineering</option>' in str(form["parent"])
    form = GroupForm({"name": "Platform", "parent": "nowhere"}, organization_id=cast.acme.pk)
    assert not form.is_valid()
    assert 'name="parent" value="nowhere"' in str(form["parent"])
    assert GroupForm({"name": "Platform", "parent": ""}, organization_id=cast.acme.pk).is_valid()


def test_the_objective_form_offers_the_persons_own_groups_unticked_and_the_chosen_ticked(cast):
    form = ObjectiveForm(actor=cast.lead, initial={"groups": [cast.sales_group.pk]})
    html = str(form["groups"])
    assert 'type="checkbox" name="groups" value="engineering" id="id_groups_0">' in html  # the lead's own group
    assert 'type="checkbox" name="groups" value="sales" id="id_groups_1" checked>' in html
    assert html.count('type="checkbox"') == 2
    assert 'hx-get="/acme/groups/options/?field=groups"' in html


def test_the_objective_form_lists_no_other_groups_and_reads_them_with_a_fixed_number_of_queries(cast):
    for number in range(30):
        group(cast, f"Team {number}", f"team-{number}")
    ObjectiveForm(actor=cast.member)  # the person's groups are read once per request
    counts = []
    for chosen in ([], ["team-1"], [f"team-{number}" for number in range(30)]):
        with CaptureQueriesContext(connection) as queries:
            form = ObjectiveForm({"level": "group", "groups": chosen}, actor=cast.member)
            form.is_valid()
            html = str(form["groups"])
        counts.append(len(queries))
        assert html.count('type="checkbox"') == len({*chosen, "engineering"})
    assert "Team 2" not in str(ObjectiveForm(actor=cast.member)["groups"])
    assert counts[0] <= counts[1] == counts[2]


def test_the_objective_form_keeps_what_names_no_group_to_be_corrected(cast):
    form = ObjectiveForm({"level": "group", "groups": ["engineering", "Nowehre"]}, actor=cast.member)
    assert not form.is_valid()
    assert form.errors["groups"] == ["No group called “Nowehre” in the organization."]
    html = str(form["groups"])
    assert 'value="engineering" id="id_groups_0" checked>' in html
    assert 'name="groups" value="Nowehre"' in html
