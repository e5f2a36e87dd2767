"""The alignment tree as plain ids: pure functions the alignment map is built from.

A tree is given as ``parent_of`` ({objective id: parent id or None}) over the objectives a page
shows; a parent id that is not a key is outside the tree.
"""

from collections.abc import Iterable


def children_of(parent_of: dict[int, int | None], order: Iterable[int]) -> dict[int, list[int]]:
    """{parent id: its children in the tree, in ``order``}."""
    children: dict[int, list[int]] = {}
    for node in order:
        parent = parent_of.get(node)
        if parent in parent_of:
            children.setdefault(parent, []).append(node)
    return children


def path_up(node: int, parent_of: dict[int, int | None]) -> list[int]:
    """The node and its ancestors within the tree, the node first and the top last."""
    path = [node]
    seen = {node}
    parent = parent_of.get(node)
    while parent in parent_of and parent not in seen:  # the services forbid cycles; never loop on one anyway
        path.append(parent)
        seen.add(parent)
        parent = parent_of[parent]
    return path


def with_ancestors(nodes: Iterable[int], parent_of: dict[int, int | None]) -> set[int]:
    """The nodes and every ancestor of theirs within the tree."""
    found: set[int] = set()
    for node in nodes:
        if node in parent_of and node not in found:
            found.update(path_up(node, parent_of))
    return found


def nodes_to_open(
    roots: list[int], children: dict[int, list[int]], *, budget: int, always: Iterable[int] = ()
) -> set[int]:
    """The nodes whose children a page draws: whole levels of the tree, top down, as long as the
    nodes drawn stay within ``budget`` (the roots are always drawn); and the nodes of ``always``
    (the path to a focused objective) whatever the budget. A level that does not fit stays closed,
    so the page shows a tree that is complete down to some depth rather than a lopsided one."""
    opened: set[int] = set()
    drawn = len(roots)
    level = roots
    while level:
        parents = [node for node in level if node in children]
        below = [child for node in parents for child in children[node]]
        if not below or drawn + len(below) > budget:
            break
        opened.update(parents)
        drawn += len(below)
        level = below
    return opened | {node for node in always if node in children}
