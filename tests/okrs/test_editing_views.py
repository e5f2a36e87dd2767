"""Creating, editing and deleting objectives and key results from the web: plain form posts that
work without JavaScript, the htmx alignment search, inline messages, nothing half-saved."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from lodestar.okrs.models import CheckIn, KeyResult, Objective, ObjectiveContributor, ObjectiveGroup
from lodestar.strategy.models import Pillar
from tests import factories
from tests.conftest import reload, signed_in


def url(name, slug="acme", **kwargs):
    return reverse(f"okrs:{name}", kwargs={"org_slug": slug, **kwargs})


def objective_post(cast, **changes):
    """A valid new group objective for Engineering, led by the member, as the form posts it."""
    data = {
        "title": "Fleet managers trust our alerts",
        "description": "",
        "level": "group",
        "groups": [cast.engineering.slug],
        "pillar": "",
        "timeframe": cast.quarter.pk,
        "parent": "",
        "lead": "member@acme.test",
        "contributors": [],
        "visibility": "public",
        "commitment": "committed",
        "state": "active",
        "progress_driver": "key_results",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def edit_post(objective, **changes):
    """The edit form of an objective posted back as it was shown, with ``changes``."""
    data = {
        "title": objective.title,
        "description": objective.description,
        "level": objective.level,
        "groups": [link.group.slug for link in objective.objective_groups.select_related("group")],
        "pillar": objective.pillar_id or "",
        "timeframe": objective.timeframe_id,
        "parent": objective.parent_id or "",
        "lead": objective.lead.user.email,
        "contributors": [person.user.email for person in objective.contributors.all()],
        "visibility": objective.visibility,
        "commitment": objective.commitment,
        "state": objective.state,
        "progress_driver": objective.progress_driver,
    }
    data.update(changes)
    return data


def key_result_post(cast, **changes):
    data = {
        "title": "Alerts acknowledged within an hour",
        "description": "",
        "kind": "metric",
        "start_value": "40",
        "target_value": "90",
        "threshold_direction": "",
        "unit": "%",
        "weight": "1",
        "owner": "member@acme.test",
        "contributors": [],
    }
    data.update(changes)
    return data


def objective_rows():
    return sorted(Objective.objects.values_list("pk", "title", "level", "parent_id", "lead_id", "state"))


@pytest.fixture
def company_goal(cast):
    return factories.objective(cast.owner, timeframe=cast.quarter, title="Customers love our product")


@pytest.fixture
def team_goal(cast, company_goal):
    return factories.objective(
        cast.owner,
        timeframe=cast.quarter,
        title="Alerts people act on",
        level="group",
        groups=[cast.engineering],
        lead=cast.member,
        parent=company_goal,
    )


# --- creating objectives -------------------------------------------------------------------------


def test_a_member_creates_a_group_objective_aligned_to_a_company_objective(client, cast, company_goal):
    response = signed_in(client, cast.member).post(
        url("objective_create"), objective_post(cast, parent=company_goal.pk)
    )
    objective = Objective.objects.get(title="Fleet managers trust our alerts")
    assert response.status_code == 302
    assert response["Location"] == url("objective", objective_id=objective.pk)
    assert (objective.level, objective.parent, objective.lead, objective.state) == (
        "group",
        company_goal,
        cast.member,
        "active",
    )
    assert list(objective.groups.all()) == [cast.engineering]
    assert objective.created_by == cast.member


KEY_RESULTS = {
    "metric": {"kind": "metric", "start_value": "40", "target_value": "90", "unit": "%"},
    "threshold": {
        "kind": "threshold",
        "start_value": "",
        "target_value": "99.5",
        "threshold_direction": "above",
        "unit": "%",
    },
    "milestone": {"kind": "milestone", "start_value": "", "target_value": "", "unit": ""},
    "estimate": {"kind": "estimate", "start_value": "", "target_value": "", "unit": ""},
}


@pytest.mark.parametrize("kind", KEY_RESULTS)
def test_a_member_adds_a_key_result_of_each_type_to_their_new_objective(client, cast, company_goal, kind):
    signed_in(client, cast.member).post(url("objective_create"), objective_post(cast, parent=company_goal.pk))
    objective = Objective.objects.get(title="Fleet managers trust our alerts")
    response = client.post(
        url("key_result_create", objective_id=objective.pk), key_result_post(cast, **KEY_RESULTS[kind])
    )
    assert response.status_code == 302
    assert response["Location"] == url("objective", objective_id=objective.pk)
    key_result = KeyResult.objects.get(objective=objective)
    assert (key_result.kind, key_result.owner, key_result.weight) == (kind, cast.member, 1)
    expected = {
        "metric": (Decimal(40), Decimal(90), "", "%"),
        "threshold": (None, Decimal("99.5"), "above", "%"),
        "milestone": (None, None, "", ""),
        "estimate": (None, None, "", ""),
    }[kind]
    assert (key_result.start_value, key_result.target_value, key_result.threshold_direction, key_result.unit) == (
        expected
    )


def test_add_and_add_another_comes_back_to_an_empty_key_result_form(client, cast, team_goal):
    response = signed_in(client, cast.member).post(
        url("key_result_create", objective_id=team_goal.pk), {**key_result_post(cast), "add_another": "1"}
    )
    assert response["Location"] == url("key_result_create", objective_id=team_goal.pk)
    assert "Added the key result “Alerts acknowledged within an hour”." in client.get(response["Location"]).text


def test_a_member_creates_a_personal_objective(client, cast):
    data = objective_post(cast, level="personal", groups=[cast.sales_group.slug], title="Learn Rust")
    response = signed_in(client, cast.member).post(url("objective_create"), data)
    assert response.status_code == 302
    objective = Objective.objects.get(title="Learn Rust")
    assert (objective.level, objective.lead) == ("personal", cast.member)
    # The groups ticked before switching to "personal" are hidden and ignored, not an error.
    assert not objective.groups.exists()


def test_a_member_may_not_create_a_company_objective(client, cast):
    response = signed_in(client, cast.member).post(url("objective_create"), objective_post(cast, level="company"))
    assert response.status_code == 403
    assert "You may not create this objective." in response.text
    assert 'class="form-error"' in response.text
    assert not Objective.objects.exists()


def test_an_admin_creates_a_company_objective_with_a_strategic_pillar(client, cast):
    pillar = Pillar.objects.create(organization=cast.acme, year=cast.today.year, name="Trusted by fleets")
    data = objective_post(cast, level="company", groups=[], pillar=pillar.pk, lead="admin@acme.test")
    response = signed_in(client, cast.admin).post(url("objective_create"), data)
    assert response.status_code == 302
    objective = Objective.objects.get()
    assert (objective.level, objective.pillar, objective.lead) == ("company", pillar, cast.admin)


def test_a_pillar_only_counts_for_company_objectives(client, cast):
    pillar = Pillar.objects.create(organization=cast.acme, year=cast.today.year, name="Trusted by fleets")
    signed_in(client, cast.member).post(url("objective_create"), objective_post(cast, pillar=pillar.pk))
    assert Objective.objects.get().pillar is None


def test_a_shared_objective_has_two_owning_groups(client, cast):
    data = objective_post(cast, groups=[cast.engineering.slug, "sales"], contributors=["sales@acme.test"])
    response = signed_in(client, cast.lead).post(url("objective_create"), data)
    assert response.status_code == 302
    objective = Objective.objects.get()
    assert set(objective.groups.all()) == {cast.engineering, cast.sales_group}
    assert list(objective.contributors.all()) == [cast.sales]


def test_a_group_objective_without_an_owning_group_gets_a_message_next_to_the_field(client, cast):
    response = signed_in(client, cast.member).post(url("objective_create"), objective_post(cast, groups=[]))
    assert response.status_code == 422
    assert "A group objective needs at least one owning group." in response.text
    assert not Objective.objects.exists()


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("title", "This field is required."),
        ("timeframe", "This field is required."),
        ("lead", "This field is required."),
        ("level", "This field is required."),
    ],
)
def test_a_missing_field_is_named_next_to_it(client, cast, field, message):
    response = signed_in(client, cast.member).post(url("objective_create"), objective_post(cast, **{field: ""}))
    assert response.status_code == 422
    assert 'class="field-error"' in response.text and message in response.text
    assert not Objective.objects.exists()


def test_the_new_objective_form_starts_in_the_current_timeframe_with_me_as_lead_and_as_a_draft(client, cast):
    response = signed_in(client, cast.member).get(url("objective_create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["timeframe"].value() == cast.quarter.pk
    assert form["lead"].value() == cast.member
    assert 'name="lead" value="Max Member &lt;member@acme.test&gt;"' in response.text
    assert form["state"].value() == "draft"
    assert form["level"].value() == "group"
    assert form["groups"].value() == [cast.engineering]  # the member's only group


def test_links_prefill_the_level_group_and_parent(client, cast, company_goal):
    query = f"?level=group&group={cast.sales_group.pk}&parent={company_goal.pk}&timeframe={cast.quarter.pk}"
    form = signed_in(client, cast.sales).get(url("objective_create") + query).context["form"]
    assert (form["level"].value(), form["groups"].value(), form["parent"].value()) == (
        "group",
        [cast.sales_group],
        company_goal.pk,
    )


@pytest.mark.parametrize("parameter", ["group", "parent", "timeframe"])
def test_another_organizations_ids_in_the_links_are_not_found(client, cast, parameter):
    foreign = factories.objective(cast.beta_owner, timeframe=cast.beta_quarter, title="Beta goal")
    value = {"group": cast.beta_group.pk, "parent": foreign.pk, "timeframe": cast.beta_quarter.pk}[parameter]
    response = signed_in(client, cast.member).get(url("objective_create"), {parameter: value})
    assert response.status_code == 404


def test_a_closed_timeframe_is_not_offered_to_members(client, cast):
    response = signed_in(client, cast.member).post(
        url("objective_create"), objective_post(cast, timeframe=cast.closed.pk)
    )
    assert response.status_code == 422
    assert "Select a valid choice." in response.text
    assert not Objective.objects.exists()


@pytest.mark.parametrize(
    ("field", "foreign"),
    [
        ("groups", lambda cast: [str(cast.beta_group.pk)]),
        ("groups", lambda cast: ["Nowhere"]),
        ("groups", lambda cast: ["engineering", "9" * 40]),
        ("lead", lambda cast: "member@beta.test"),
        ("lead", lambda cast: "Bea Beta"),
        ("contributors", lambda cast: ["member@beta.test"]),
        ("contributors", lambda cast: ["sales@acme.test", "member@beta.test"]),
        ("timeframe", lambda cast: cast.beta_quarter.pk),
        ("lead", lambda cast: "viewer@acme.test"),
        ("lead", lambda cast: str(cast.member.pk)),
        ("contributors", lambda cast: ["9" * 40]),
    ],
)
def test_another_organizations_group_or_person_is_a_field_error_and_nothing_is_saved(client, cast, field, foreign):
    response = signed_in(client, cast.admin).post(
        url("objective_create"), objective_post(cast, **{field: foreign(cast)})
    )
    assert response.status_code == 422
    assert 'class="field-error"' in response.text
    assert not Objective.objects.exists()
    assert not ObjectiveGroup.objects.exists() and not ObjectiveContributor.objects.exists()


def test_a_viewer_may_not_open_the_new_objective_form(client, cast):
    assert signed_in(client, cast.viewer).get(url("objective_create")).status_code == 403
    assert client.post(url("objective_create"), objective_post(cast)).status_code == 403
    assert not Objective.objects.exists()


# --- the alignment picker ------------------------------------------------------------------------


def test_without_javascript_the_alignment_select_offers_company_and_own_group_objectives(
    client, cast, company_goal, team_goal
):
    factories.objective(
        cast.owner, timeframe=cast.quarter, title="Close the pipeline", level="group", groups=[cast.sales_group]
    )
    page = signed_in(client, cast.member).get(url("objective_create")).text
    assert f'<option value="{company_goal.pk}">Customers love our product</option>' in page
    assert f'<option value="{team_goal.pk}">Alerts people act on · Engineering</option>' in page
    assert "Close the pipeline" not in page  # another team's: found by the search


def test_the_alignment_select_offers_objectives_of_parent_groups(client, cast):
    from lodestar.orgs import services as orgs

    platform = orgs.create_group(actor=cast.owner, name="Platform", parent=cast.engineering)
    orgs.set_group_member(actor=cast.owner, group=platform, membership=cast.sales)
    engineering_goal = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Engineering goal", level="group", groups=[cast.engineering]
    )
    page = signed_in(client, cast.sales).get(url("objective_create")).text
    assert f'value="{engineering_goal.pk}"' in page


def test_the_new_objective_form_carries_the_htmx_alignment_search(client, cast):
    page = signed_in(client, cast.member).get(url("objective_create")).text
    assert f'hx-get="{url("parent_options")}"' in page
    assert 'hx-target="#id_parent"' in page
    assert 'form="parent-search"' in page
    assert "hx-on" not in page and "<script>" not in page


def test_the_alignment_search_finds_visible_objectives_by_title(client, cast, company_goal, team_goal):
    sales_goal = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Close the pipeline", level="group", groups=[cast.sales_group]
    )
    response = signed_in(client, cast.member).get(
        url("parent_options"), {"q": "pipeline", "timeframe": cast.quarter.pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert f'<option value="{sales_goal.pk}">Close the pipeline · Sales</option>' in response.text
    assert "Customers love our product" not in response.text
    assert '<option value="">Not aligned</option>' in response.text


def test_the_alignment_search_keeps_the_current_choice_and_leaves_out_the_objective_itself(
    client, cast, company_goal, team_goal
):
    response = signed_in(client, cast.member).get(
        url("parent_options"), {"q": "alerts", "parent": company_goal.pk, "exclude": team_goal.pk}
    )
    assert f'<option value="{company_goal.pk}" selected>' in response.text
    assert "Alerts people act on" not in response.text
    assert "No objective matches “alerts”" in response.text


def test_the_alignment_search_for_a_company_objective_offers_only_company_objectives(
    client, cast, company_goal, team_goal
):
    response = signed_in(client, cast.owner).get(url("parent_options"), {"q": "o", "level": "company"})
    assert "Customers love our product" in response.text
    assert "Alerts people act on" not in response.text


def test_the_alignment_search_never_offers_a_private_objective_the_person_cannot_see(client, cast):
    factories.objective(cast.owner, timeframe=cast.quarter, title="Secret merger", visibility="private")
    for person in (cast.sales, cast.member):
        assert "Secret merger" not in signed_in(client, person).get(url("parent_options"), {"q": "merger"}).text
        assert "Secret merger" not in client.get(url("parent_options")).text
        assert "Secret merger" not in client.get(url("objective_create")).text
    assert "Secret merger" in signed_in(client, cast.admin).get(url("parent_options"), {"q": "merger"}).text


def test_the_alignment_search_never_offers_another_organizations_objectives(client, cast):
    factories.objective(cast.beta_owner, timeframe=cast.beta_quarter, title="Beta world domination")
    response = signed_in(client, cast.member).get(url("parent_options"), {"q": "domination"})
    assert "Beta world domination" not in response.text
    assert signed_in(client, cast.beta_member).get(url("parent_options"), {"q": "x"}).status_code == 404
    foreign_timeframe = signed_in(client, cast.member).get(url("parent_options"), {"timeframe": cast.beta_quarter.pk})
    assert foreign_timeframe.status_code == 404


def test_the_alignment_search_accepts_any_text(client, cast, company_goal):
    for text in ("\x00", "%", "'; DROP TABLE x; --", "x" * 5000, "<script>"):
        response = signed_in(client, cast.member).get(url("parent_options"), {"q": text, "exclude": "9" * 40})
        assert response.status_code == 200
        assert "<script>" not in response.text


# --- editing objectives --------------------------------------------------------------------------


def test_editing_changes_the_title_and_the_parent(client, cast, company_goal, team_goal):
    other = factories.objective(cast.owner, timeframe=cast.quarter, title="Grow in Europe")
    data = edit_post(team_goal, title="Alerts everyone acts on", parent=other.pk)
    response = signed_in(client, cast.member).post(url("objective_edit", objective_id=team_goal.pk), data)
    assert response.status_code == 302
    assert response["Location"] == url("objective", objective_id=team_goal.pk)
    team_goal = reload(team_goal)
    assert (team_goal.title, team_goal.parent) == ("Alerts everyone acts on", other)


def test_the_edit_form_shows_the_objective_as_it_is(client, cast, team_goal):
    form = signed_in(client, cast.member).get(url("objective_edit", objective_id=team_goal.pk)).context["form"]
    assert form["title"].value() == "Alerts people act on"
    assert form["groups"].value() == [cast.engineering]
    assert form["parent"].value() == team_goal.parent_id


def test_saving_an_unchanged_form_changes_nothing(client, cast, team_goal):
    versions = team_goal.history.count()
    response = signed_in(client, cast.member).post(
        url("objective_edit", objective_id=team_goal.pk), edit_post(team_goal)
    )
    assert response.status_code == 302
    assert team_goal.history.count() == versions


def test_aligning_an_objective_to_its_own_child_is_refused_next_to_the_field(client, cast, company_goal, team_goal):
    before = objective_rows()
    data = edit_post(company_goal, parent=team_goal.pk)
    response = signed_in(client, cast.owner).post(url("objective_edit", objective_id=company_goal.pk), data)
    assert response.status_code == 422
    assert "cannot be aligned to itself or to one of its own aligned objectives" in response.text
    assert objective_rows() == before


@pytest.mark.parametrize("foreign", ["another organization", "a private objective"])
def test_a_parent_the_person_may_not_align_to_is_a_field_error(client, cast, team_goal, foreign):
    if foreign == "another organization":
        parent = factories.objective(cast.beta_owner, timeframe=cast.beta_quarter, title="Beta goal")
    else:
        parent = factories.objective(cast.owner, timeframe=cast.quarter, title="Secret", visibility="private")
    before = objective_rows()
    data = edit_post(team_goal, parent=parent.pk)
    response = signed_in(client, cast.member).post(url("objective_edit", objective_id=team_goal.pk), data)
    assert response.status_code == 422
    assert "Select a valid choice." in response.text
    assert objective_rows() == before


def test_a_member_may_not_move_an_objective_into_another_group(client, cast, team_goal):
    data = edit_post(team_goal, groups=["Sales"])
    response = signed_in(client, cast.member).post(url("objective_edit", objective_id=team_goal.pk), data)
    assert response.status_code == 403
    assert list(team_goal.groups.all()) == [cast.engineering]


def test_an_objective_aligned_to_a_private_objective_stays_aligned_when_someone_outside_it_edits_it(client, cast):
    secret = factories.objective(cast.owner, timeframe=cast.quarter, title="Secret merger", visibility="private")
    mine = factories.objective(
        cast.owner,
        timeframe=cast.quarter,
        title="Due diligence",
        level="group",
        groups=[cast.engineering],
        lead=cast.member,
        parent=secret,
    )
    page = signed_in(client, cast.member).get(url("objective_edit", objective_id=mine.pk)).text
    assert "Secret merger" not in page
    assert "Unchanged (an objective you cannot see)" in page
    data = edit_post(mine, title="Due diligence done", parent="keep")
    assert client.post(url("objective_edit", objective_id=mine.pk), data).status_code == 302
    assert (reload(mine).title, reload(mine).parent) == ("Due diligence done", secret)


def test_keep_is_no_choice_for_an_objective_whose_parent_is_visible(client, cast, team_goal):
    data = edit_post(team_goal, parent="keep")
    response = signed_in(client, cast.member).post(url("objective_edit", objective_id=team_goal.pk), data)
    assert response.status_code == 422


# --- key results ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"target_value": ""}, "Enter the target value."),
        ({"start_value": ""}, "Enter the start value."),
        ({"start_value": "50", "target_value": "50"}, "The target must differ from the start value."),
        ({"target_value": "lots"}, "Enter a number."),
        ({"kind": "threshold", "target_value": "99", "threshold_direction": ""}, "Choose whether to stay above"),
        ({"kind": "threshold", "target_value": "", "threshold_direction": "above"}, "Enter the target value."),
        ({"kind": "threshold", "target_value": "1e400", "threshold_direction": "above"}, "Enter a number smaller"),
        ({"weight": "0"}, "Enter a weight of at least 0.01"),
        ({"owner": ""}, "This field is required."),
    ],
)
def test_key_result_input_that_does_not_fit_its_type_gets_an_inline_message(
    client, cast, team_goal, changes, field_message
):
    response = signed_in(client, cast.member).post(
        url("key_result_create", objective_id=team_goal.pk), key_result_post(cast, **changes)
    )
    assert response.status_code == 422
    assert 'class="field-error"' in response.text
    assert field_message in response.text
    assert not KeyResult.objects.exists()


def test_fields_of_another_type_are_ignored(client, cast, team_goal):
    data = key_result_post(cast, kind="milestone", start_value="junk", threshold_direction="sideways", unit="x" * 99)
    response = signed_in(client, cast.member).post(url("key_result_create", objective_id=team_goal.pk), data)
    assert response.status_code == 302
    key_result = KeyResult.objects.get()
    assert (key_result.kind, key_result.start_value, key_result.unit) == ("milestone", None, "")


def test_editing_a_threshold_keeps_the_start_value_the_form_does_not_show(client, cast, team_goal):
    threshold = factories.key_result(cast.owner, team_goal, "threshold", owner=cast.member, start_value=Decimal(95))
    data = key_result_post(cast, kind="threshold", start_value="", target_value="99", threshold_direction="below")
    response = signed_in(client, cast.member).post(url("key_result_edit", key_result_id=threshold.pk), data)
    assert response.status_code == 302
    threshold = reload(threshold)
    assert (threshold.start_value, threshold.target_value, threshold.threshold_direction) == (95, 99, "below")


def test_editing_a_key_result_changes_its_target(client, world):
    cast, key_result = world.cast, world.key_result
    data = key_result_post(cast, title=key_result.title, start_value="0", target_value="250", unit="users")
    response = signed_in(client, cast.member).post(url("key_result_edit", key_result_id=key_result.pk), data)
    assert response.status_code == 302
    assert response["Location"] == url("objective", objective_id=world.objective.pk)
    key_result = reload(key_result)
    assert (key_result.target_value, key_result.unit, key_result.progress) == (Decimal(250), "users", 0.02)


def test_the_key_result_edit_form_shows_plain_figures(client, world):
    page = signed_in(client, world.cast.member).get(url("key_result_edit", key_result_id=world.key_result.pk)).text
    assert 'name="target_value" value="100"' in page
    assert 'name="weight" value="1"' in page


def test_changing_the_type_of_a_key_result_with_check_ins_is_refused_inline(client, world):
    cast, key_result = world.cast, world.key_result
    data = key_result_post(cast, title=key_result.title, kind="estimate")
    response = signed_in(client, cast.member).post(url("key_result_edit", key_result_id=key_result.pk), data)
    assert response.status_code == 422
    assert "The type of a key result with check-ins cannot change." in response.text
    assert reload(key_result).kind == "metric"


def test_the_key_result_form_shows_only_the_fields_of_the_chosen_type_without_javascript(client, cast, team_goal):
    page = signed_in(client, cast.member).get(url("key_result_create", objective_id=team_goal.pk)).text
    assert 'class="kr-form"' in page
    assert '<div class="for-kind-metric">' in page and '<div class="for-kind-threshold">' in page
    assert 'name="kind" value="metric"' in page


def test_a_key_results_owner_edits_but_may_not_delete_it(client, cast, team_goal):
    key_result = factories.metric(cast.owner, team_goal, owner=cast.sales)
    signed_in(client, cast.sales)
    assert client.get(url("key_result_edit", key_result_id=key_result.pk)).status_code == 200
    assert client.get(url("key_result_delete", key_result_id=key_result.pk)).status_code == 403
    assert client.post(url("key_result_delete", key_result_id=key_result.pk)).status_code == 403
    assert KeyResult.objects.filter(pk=key_result.pk).exists()


# --- who may open what ---------------------------------------------------------------------------

EDIT_PAGES = [
    ("objective_create", lambda world: {}),
    ("objective_edit", lambda world: {"objective_id": world.objective.pk}),
    ("objective_delete", lambda world: {"objective_id": world.objective.pk}),
    ("key_result_create", lambda world: {"objective_id": world.objective.pk}),
    ("key_result_edit", lambda world: {"key_result_id": world.key_result.pk}),
    ("key_result_delete", lambda world: {"key_result_id": world.key_result.pk}),
]


@pytest.mark.parametrize(("name", "kwargs"), EDIT_PAGES)
def test_a_viewer_gets_403_on_every_edit_page(client, world, name, kwargs):
    response = signed_in(client, world.cast.viewer).get(url(name, **kwargs(world)))
    assert response.status_code == 403
    assert 'class="form-error"' in response.text


@pytest.mark.parametrize(("name", "kwargs"), EDIT_PAGES)
def test_the_people_who_may_edit_open_every_edit_page(client, world, name, kwargs):
    for person in (world.cast.member, world.cast.lead, world.cast.admin):
        assert signed_in(client, person).get(url(name, **kwargs(world))).status_code == 200


@pytest.mark.parametrize(("name", "kwargs"), EDIT_PAGES[1:])
def test_a_colleague_who_may_see_but_not_change_gets_403(client, world, name, kwargs):
    assert signed_in(client, world.cast.sales).get(url(name, **kwargs(world))).status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), EDIT_PAGES[1:])
def test_a_private_objective_is_not_found_by_those_outside_it(client, cast, name, kwargs):
    secret = factories.objective(cast.owner, timeframe=cast.quarter, title="Secret", visibility="private")
    key_result = factories.metric(cast.owner, secret)
    world = type("World", (), {"objective": secret, "key_result": key_result})
    assert signed_in(client, cast.sales).get(url(name, **kwargs(world))).status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), EDIT_PAGES[1:])
def test_another_organization_gets_404(client, world, name, kwargs):
    signed_in(client, world.cast.beta_member)
    assert client.get(url(name, **kwargs(world))).status_code == 404
    assert client.get(url(name, slug="beta", **kwargs(world))).status_code == 404


def test_an_objective_in_a_closed_timeframe_is_read_only_for_members(client, cast):
    old = factories.objective(
        cast.owner, timeframe=cast.closed, title="Old", level="group", groups=[cast.engineering], lead=cast.member
    )
    assert signed_in(client, cast.member).get(url("objective_edit", objective_id=old.pk)).status_code == 403
    assert signed_in(client, cast.admin).get(url("objective_edit", objective_id=old.pk)).status_code == 200


# --- deleting ------------------------------------------------------------------------------------


def test_deleting_an_objective_asks_for_confirmation_and_names_what_goes(client, world):
    response = signed_in(client, world.cast.member).get(url("objective_delete", objective_id=world.objective.pk))
    assert response.status_code == 200
    assert "1 key result" in response.text and "1 check-in" in response.text
    assert "history is kept" in response.text
    assert f'action="{url("objective_delete", objective_id=world.objective.pk)}"' in response.text
    assert Objective.objects.filter(pk=world.objective.pk).exists()


def test_deleting_an_objective_keeps_its_check_ins_in_history(client, world):
    cast = world.cast
    response = signed_in(client, cast.member).post(url("objective_delete", objective_id=world.objective.pk))
    assert response.status_code == 302
    assert response["Location"] == url("home")
    assert not Objective.objects.filter(pk=world.objective.pk).exists()
    assert not CheckIn.objects.filter(pk=world.check_in.pk).exists()
    deleted = CheckIn.history.get(id=world.check_in.pk, history_type="-")
    assert (deleted.value, deleted.history_user) == (Decimal(5), cast.member.user)
    assert KeyResult.history.filter(id=world.key_result.pk, history_type="-").exists()
    assert "Deleted the objective “Acme&#x27;s secret plan”." in client.get(response["Location"]).text


def test_deleting_an_objective_unaligns_its_children(client, cast, company_goal, team_goal):
    page = signed_in(client, cast.owner).get(url("objective_delete", objective_id=company_goal.pk)).text
    assert "1 objective aligned to it will no longer be aligned." in page
    client.post(url("objective_delete", objective_id=company_goal.pk))
    assert reload(team_goal).parent is None


def test_deleting_a_key_result_asks_first_and_keeps_its_check_ins_in_history(client, world):
    cast, key_result = world.cast, world.key_result
    page = signed_in(client, cast.member).get(url("key_result_delete", key_result_id=key_result.pk)).text
    assert "also deletes its 1 check-in" in page and "history is kept" in page
    assert KeyResult.objects.filter(pk=key_result.pk).exists()
    response = client.post(url("key_result_delete", key_result_id=key_result.pk))
    assert response["Location"] == url("objective", objective_id=world.objective.pk)
    assert not KeyResult.objects.filter(pk=key_result.pk).exists()
    assert CheckIn.history.filter(id=world.check_in.pk, history_type="-").exists()
    assert reload(world.objective).progress == 0


def test_the_delete_dialogs_post_to_the_delete_views(world):
    request = RequestFactory().get("/")
    context = {"organization": world.cast.acme, "objective": world.objective, "key_result": world.key_result}
    objective_dialog = render_to_string("okrs/editing/delete_objective_dialog.html", context, request=request)
    assert '<dialog id="delete-objective"' in objective_dialog
    assert f'action="{url("objective_delete", objective_id=world.objective.pk)}"' in objective_dialog
    assert "data-closes-dialog" in objective_dialog
    key_result_dialog = render_to_string("okrs/editing/delete_key_result_dialog.html", context, request=request)
    assert f'<dialog id="delete-key-result-{world.key_result.pk}"' in key_result_dialog
    assert f'action="{url("key_result_delete", key_result_id=world.key_result.pk)}"' in key_result_dialog


def test_a_refused_delete_changes_nothing(client, world):
    response = signed_in(client, world.cast.sales).post(url("objective_delete", objective_id=world.objective.pk))
    assert response.status_code == 403
    assert Objective.objects.filter(pk=world.objective.pk).exists()


# --- the person picker ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["sales@acme.test", "  SALES@Acme.Test ", "Sam Sales <sales@acme.test>", "sam  sales"]
)
def test_the_lead_is_picked_by_e_mail_address_or_unique_full_name(client, cast, typed):
    response = signed_in(client, cast.owner).post(url("objective_create"), objective_post(cast, lead=typed))
    assert response.status_code == 302
    assert Objective.objects.get().lead == cast.sales


def test_a_full_name_two_people_share_asks_for_the_e_mail_address(client, cast):
    from tests.conftest import add_person

    add_person(cast.owner, "max.member@acme.test", "Max Member")
    response = signed_in(client, cast.owner).post(url("objective_create"), objective_post(cast, lead="Max Member"))
    assert response.status_code == 422
    assert "Several people are called “Max Member”" in response.text
    assert not Objective.objects.exists()


def test_an_unknown_e_mail_address_is_named_next_to_the_field(client, cast):
    data = objective_post(cast, lead="nobody@acme.test", contributors=["sales@acme.test", "ghost@acme.test"])
    response = signed_in(client, cast.owner).post(url("objective_create"), data)
    assert response.status_code == 422
    assert "No active person with this e-mail address in the organization." in response.text
    assert "No active person with the e-mail address “ghost@acme.test” in the organization." in response.text
    # Shown again as typed: the person found stays ticked, the unknown address waits in the box to be corrected.
    assert 'name="lead" value="nobody@acme.test"' in response.text
    assert 'name="contributors" value="sales@acme.test" id="id_contributors_0" checked' in response.text
    assert "data-picker-text>ghost@acme.test</textarea>" in response.text
    assert not Objective.objects.exists()


def test_the_form_lists_no_one_but_the_people_chosen(client, cast):
    shared = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Shared", lead=cast.member, contributors=[cast.lead]
    )
    page = signed_in(client, cast.member).get(url("objective_edit", objective_id=shared.pk)).text
    assert 'name="lead" value="Max Member &lt;member@acme.test&gt;"' in page
    assert '<datalist id="id_lead-options"><option value="member@acme.test">Max Member</option>' in page
    assert 'name="contributors" value="lead@acme.test" id="id_contributors_0" checked> Lea Lead' in page
    assert '<select name="lead"' not in page and '<select name="contributors"' not in page
    for someone_else in ("sales@acme.test", "admin@acme.test", "viewer@acme.test", "member@beta.test"):
        assert someone_else not in page


def test_the_person_inputs_search_with_htmx_and_no_inline_code(client, cast):
    page = signed_in(client, cast.member).get(url("objective_create")).text
    options = reverse("orgs:people_options", kwargs={"org_slug": "acme"})
    assert f'list="id_lead-options" hx-get="{options}?holders=1&amp;field=lead"' in page
    assert 'hx-target="#id_lead-options"' in page and '<datalist id="id_lead-options">' in page
    assert f'hx-get="{options}?holders=1&amp;field=contributors"' in page
    assert 'hx-trigger="input changed delay:200ms"' in page
    assert "hx-on" not in page and "<script>" not in page and "style=" not in page


def test_contributors_are_added_and_removed(client, cast, team_goal):
    signed_in(client, cast.member)
    edit = url("objective_edit", objective_id=team_goal.pk)
    assert client.post(edit, edit_post(team_goal, contributors=["", "Lea Lead"])).status_code == 302
    assert list(team_goal.contributors.all()) == [cast.lead]
    # The ticked contributor plus someone typed into "Add a person".
    assert (
        client.post(edit, edit_post(team_goal, contributors=["lead@acme.test", "sales@acme.test"])).status_code == 302
    )
    assert set(team_goal.contributors.all()) == {cast.lead, cast.sales}
    # Unticking removes.
    assert client.post(edit, edit_post(team_goal, contributors=["sales@acme.test"])).status_code == 302
    assert list(team_goal.contributors.all()) == [cast.sales]


def test_a_deactivated_contributor_may_stay_but_not_be_added(client, cast, team_goal):
    from lodestar.orgs.models import Membership

    signed_in(client, cast.member)
    edit = url("objective_edit", objective_id=team_goal.pk)
    client.post(edit, edit_post(team_goal, contributors=["sales@acme.test"]))
    Membership.objects.filter(pk=cast.sales.pk).update(is_active=False)
    response = client.post(edit, edit_post(team_goal, title="Renamed"))
    assert response.status_code == 302
    assert (reload(team_goal).title, list(team_goal.contributors.all())) == ("Renamed", [cast.sales])
    other = factories.objective(cast.owner, timeframe=cast.quarter, title="Other", lead=cast.member)
    response = client.post(
        url("objective_edit", objective_id=other.pk), edit_post(other, contributors=["sales@acme.test"])
    )
    assert response.status_code == 422
    assert not other.contributors.exists()


def test_the_key_results_owner_and_contributors_are_picked_by_e_mail_address(client, cast, team_goal):
    data = key_result_post(cast, owner="lead@acme.test", contributors=["sales@acme.test", "Max Member"])
    response = signed_in(client, cast.member).post(url("key_result_create", objective_id=team_goal.pk), data)
    assert response.status_code == 302
    key_result = KeyResult.objects.get()
    assert key_result.owner == cast.lead
    assert set(key_result.contributors.all()) == {cast.sales, cast.member}
    page = client.get(url("key_result_edit", key_result_id=key_result.pk)).text
    assert 'name="owner" value="Lea Lead &lt;lead@acme.test&gt;"' in page
    assert 'value="member@acme.test" id="id_contributors_0" checked' in page  # by name: Max before Sam


@pytest.mark.parametrize("owner", ["member@beta.test", "viewer@acme.test", "", "x" * 300, "a\x00@acme.test"])
def test_a_key_result_owner_from_elsewhere_is_a_field_error_and_nothing_is_saved(client, cast, team_goal, owner):
    response = signed_in(client, cast.member).post(
        url("key_result_create", objective_id=team_goal.pk), key_result_post(cast, owner=owner)
    )
    assert response.status_code == 422
    assert 'class="field-error"' in response.text
    assert not KeyResult.objects.exists()


def test_a_flood_of_contributors_is_refused_with_a_message(client, cast):
    data = objective_post(cast, contributors=[f"person{number}@acme.test" for number in range(301)])
    response = signed_in(client, cast.owner).post(url("objective_create"), data)
    assert response.status_code == 422
    assert "Choose at most 300 people." in response.text
    assert not Objective.objects.exists()
