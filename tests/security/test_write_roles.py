"""Every write view against every role, from one table (tests/security/conftest.py: POST_VIEWS).

Refused writes change nothing.
"""

import pytest

from lodestar.okrs.models import Timeframe
from tests.conftest import signed_in
from tests.security.conftest import POST_VIEWS
from tests.security.test_isolation import organization_data
from tests.security.urls import build, organization_patterns, world_values

ROLES = ["owner", "admin", "lead", "member", "sales", "viewer", "beta_member"]


def test_every_post_view_is_in_the_role_table(client, world):
    """A view that does not answer 405 to POST is a write view and must be in POST_VIEWS."""
    signed_in(client, world.cast.owner)
    unlisted = []
    values = world_values(world)
    for route, name in organization_patterns():
        if client.post(build(name, route, world.cast.acme.slug, values)).status_code != 405 and name not in POST_VIEWS:
            unlisted.append(name)
    assert unlisted == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", POST_VIEWS)
def test_write_views_answer_each_role_as_the_brief_says(client, world, view, role):
    spec = POST_VIEWS[view]
    before = organization_data()
    response = signed_in(client, getattr(world.cast, role)).post(spec.url(world), spec.data(world))
    assert response.status_code == spec.expect[role]
    if response.status_code != 302:
        assert organization_data() == before


GOAL_WRITES = [name for name in POST_VIEWS if name.startswith("okrs:") and "timeframe" not in name]


@pytest.mark.parametrize("role", ["lead", "member"])
@pytest.mark.parametrize("view", GOAL_WRITES)
def test_goal_writes_in_a_closed_timeframe_are_refused_to_everyone_but_admins(client, world, view, role):
    """The brief's rule: a closed timeframe is read-only for non-admins (admins: see the table above)."""
    Timeframe.objects.filter(pk=world.cast.quarter.pk).update(state=Timeframe.State.CLOSED)
    spec = POST_VIEWS[view]
    before = organization_data()
    response = signed_in(client, getattr(world.cast, role)).post(spec.url(world), spec.data(world))
    assert response.status_code in (403, 422), response.status_code
    assert organization_data() == before


@pytest.mark.parametrize("view", GOAL_WRITES)
def test_an_admin_still_writes_in_a_closed_timeframe(client, world, view):
    Timeframe.objects.filter(pk=world.cast.quarter.pk).update(state=Timeframe.State.CLOSED)
    spec = POST_VIEWS[view]
    response = signed_in(client, world.cast.admin).post(spec.url(world), spec.data(world))
    assert response.status_code == spec.expect["admin"]
