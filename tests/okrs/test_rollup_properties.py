"""After any sequence of check-ins, corrections, deletions and re-alignments, every cached
progress and status equals a recomputation from scratch."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lodestar.okrs import services
from lodestar.okrs.models import CheckIn, KeyResult, Objective
from lodestar.okrs.rollup import Reading, compute_organization, recompute_organization
from tests import factories

KINDS = [KeyResult.Kind.METRIC, KeyResult.Kind.THRESHOLD, KeyResult.Kind.MILESTONE, KeyResult.Kind.ESTIMATE]

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("check_in"),
            st.integers(0, 7),
            st.decimals(min_value=-50, max_value=150, places=1),
            st.sampled_from(["on_track", "needs_attention", "off_track"]),
            st.integers(0, 40),
        ),
        st.tuples(st.just("correct"), st.integers(0, 30), st.decimals(min_value=-50, max_value=150, places=1)),
        st.tuples(st.just("delete"), st.integers(0, 30)),
        st.tuples(st.just("driver"), st.integers(0, 3), st.sampled_from(list(Objective.ProgressDriver.values))),
        st.tuples(st.just("weight"), st.integers(0, 7), st.integers(1, 5)),
        st.tuples(st.just("visibility"), st.integers(0, 3), st.sampled_from(list(Objective.Visibility.values))),
    ),
    min_size=1,
    max_size=25,
)


def build_tree(cast):
    company = factories.objective(cast.owner, timeframe=cast.quarter, title="Company")
    group = {"level": "group", "groups": [cast.engineering]}
    team = factories.objective(cast.owner, timeframe=cast.quarter, title="Team", parent=company, **group)
    squad = factories.objective(cast.owner, timeframe=cast.quarter, title="Squad", parent=team, **group)
    person = factories.objective(cast.member, timeframe=cast.quarter, title="Me", level="personal", parent=squad)
    objectives = [company, team, squad, person]
    key_results = [
        factories.key_result(cast.owner, objective, KINDS[(index + level) % 4], title=f"KR {level}.{index}")
        for level, objective in enumerate(objectives)
        for index in range(2)
    ]
    return objectives, key_results


def apply(operation, cast, objectives, key_results):
    name, *args = operation
    if name == "check_in":
        index, number, status, days = args
        key_result = KeyResult.objects.get(pk=key_results[index].pk)
        reading = {
            KeyResult.Kind.METRIC: {"value": number},
            KeyResult.Kind.THRESHOLD: {"value": number},
            KeyResult.Kind.MILESTONE: {"done": number > 50},
            KeyResult.Kind.ESTIMATE: {"percent": max(Decimal(0), min(Decimal(100), number))},
        }[key_result.kind]
        day = max(cast.quarter.starts_on, cast.today - datetime.timedelta(days=days))
        services.record_check_in(actor=cast.owner, key_result=key_result, status=status, effective_on=day, **reading)
    elif name in ("correct", "delete"):
        check_ins = list(CheckIn.objects.order_by("pk").select_related("key_result"))
        if not check_ins:
            return
        check_in = check_ins[args[0] % len(check_ins)]
        if name == "delete":
            services.delete_check_in(actor=cast.owner, check_in=check_in)
        elif check_in.value is not None:
            services.update_check_in(actor=cast.owner, check_in=check_in, value=args[1])
    elif name == "driver":
        services.update_objective(actor=cast.owner, objective=objectives[args[0]], progress_driver=args[1])
    elif name == "weight":
        services.update_key_result(actor=cast.owner, key_result=key_results[args[0]], weight=args[1])
    elif name == "visibility":
        services.update_objective(actor=cast.owner, objective=objectives[args[0]], visibility=args[1])


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=operations)
def test_roll_up_equals_recomputation_from_scratch(cast, operations):
    with transaction.atomic():
        objectives, key_results = build_tree(cast)
        for operation in operations:
            apply(operation, cast, objectives, key_results)
        assert recompute_organization(cast.acme.pk, write=False) == {"key_results": 0, "objectives": 0}
        transaction.set_rollback(True)


# --- a private objective drives no parent (pure, no database) ---------------------------------------

trees = st.lists(
    st.tuples(
        st.integers(0, 30),  # parent: an earlier objective (index modulo its position), or none
        st.sampled_from(list(Objective.ProgressDriver.values)),
        st.sampled_from(list(Objective.Visibility.values)),
        st.sampled_from([Objective.State.ACTIVE, Objective.State.ACTIVE, Objective.State.DRAFT]),
        st.lists(st.integers(0, 100), min_size=0, max_size=3),  # its estimate key results' percentages
    ),
    min_size=1,
    max_size=12,
)


def _organization(tree):
    objectives, key_results, readings = [], [], {}
    for index, (parent, driver, visibility, state, percents) in enumerate(tree):
        objectives.append(
            SimpleNamespace(
                id=index + 1,
                parent_id=(parent % index) + 1 if index and parent < 2 * index else None,
                progress_driver=driver,
                visibility=visibility,
                state=state,
            )
        )
        for percent in percents:
            key_result = SimpleNamespace(
                id=len(key_results) + 1, objective_id=index + 1, kind=KeyResult.Kind.ESTIMATE, start_value=None,
                target_value=None, threshold_direction="", weight=1,
            )  # fmt: skip
            key_results.append(key_result)
            readings[key_result.id] = Reading(percent=percent, status="on_track")
    return objectives, key_results, readings


@settings(max_examples=200, deadline=None)
@given(tree=trees, new_percent=st.integers(0, 100), new_status=st.sampled_from(["off_track", "on_track"]))
def test_a_private_objectives_key_results_change_only_that_objective(tree, new_percent, new_status):
    """Whatever the tree: a check-in on a private objective's key result changes that objective's
    progress and status and nothing else's, so no parent tells anything about it."""
    objectives, key_results, readings = _organization(tree)
    _, before = compute_organization(objectives, key_results, readings)
    for private in (o for o in objectives if o.visibility == Objective.Visibility.PRIVATE):
        changed = {
            **readings,
            **{
                kr.id: Reading(percent=new_percent, status=new_status)
                for kr in key_results
                if kr.objective_id == private.id
            },
        }
        _, after = compute_organization(objectives, key_results, changed)
        assert {pk for pk in before if before[pk] != after[pk]} <= {private.id}
