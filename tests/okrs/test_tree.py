"""The alignment tree's pure functions, on random forests."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from lodestar.okrs import tree


@st.composite
def forests(draw):
    """{node: parent or None}: each node's parent is an earlier node, so there are no cycles."""
    size = draw(st.integers(min_value=0, max_value=60))
    parent_of = {}
    for node in range(size):
        parent_of[node] = draw(st.one_of(st.none(), st.integers(0, node - 1))) if node else None
    return parent_of


def depth(node, parent_of):
    return len(tree.path_up(node, parent_of)) - 1


@given(forests())
def test_a_path_goes_from_the_node_up_to_a_root_one_parent_at_a_time(parent_of):
    for node in parent_of:
        path = tree.path_up(node, parent_of)
        assert path[0] == node and parent_of[path[-1]] is None
        assert all(parent_of[child] == parent for child, parent in itertools.pairwise(path))


def test_a_path_stops_at_a_parent_outside_the_tree_and_never_loops():
    assert tree.path_up(3, {3: 2, 2: 99}) == [3, 2]
    assert tree.path_up(1, {1: 2, 2: 1}) == [1, 2]


@given(forests(), st.sets(st.integers(0, 80)))
def test_ancestors_of_some_nodes_are_closed_upwards(parent_of, picked):
    kept = tree.with_ancestors(picked, parent_of)
    assert kept >= (picked & parent_of.keys())
    assert all(parent_of[node] is None or parent_of[node] in kept for node in kept)


@given(forests(), st.integers(min_value=0, max_value=80))
def test_opened_levels_are_whole_and_stay_within_the_budget(parent_of, budget):
    children = tree.children_of(parent_of, parent_of)
    roots = [node for node, parent in parent_of.items() if parent is None]
    opened = tree.nodes_to_open(roots, children, budget=budget)
    drawn = len(roots) + sum(len(children[node]) for node in opened)
    assert drawn <= max(budget, len(roots))
    assert opened <= children.keys()
    deepest = max((depth(node, parent_of) for node in opened), default=-1)
    assert all(node in opened for node in children if depth(node, parent_of) <= deepest)


@given(forests(), st.data())
def test_the_path_to_a_focused_node_is_always_opened(parent_of, data):
    if not parent_of:
        return
    focus = data.draw(st.sampled_from(sorted(parent_of)))
    children = tree.children_of(parent_of, parent_of)
    roots = [node for node, parent in parent_of.items() if parent is None]
    path = tree.path_up(focus, parent_of)
    opened = tree.nodes_to_open(roots, children, budget=0, always=path)
    assert all(node in opened for node in path[1:])
