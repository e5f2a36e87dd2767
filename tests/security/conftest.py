from types import SimpleNamespace

import pytest
from django.urls import reverse

from lodestar.okrs import services
from tests import factories


@pytest.fixture
def world(cast):
    """An Engineering objective led by the member, with a key result the member owns and a check-in."""
    objective = factories.objective(
        cast.owner,
        timeframe=cast.quarter,
        title="Acme's secret plan",
        level="group",
        groups=[cast.engineering],
        lead=cast.member,
    )
    key_result = factories.metric(cast.owner, objective, owner=cast.member)
    check_in = services.record_check_in(actor=cast.member, key_result=key_result, value=5, status="on_track")
    return SimpleNamespace(cast=cast, objective=objective, key_result=key_result, check_in=check_in)


# Every view that accepts POST: how to reach it, a valid post, and the answer per role (the brief's
# rules: 302 done, 403 seen but not allowed, 404 another organization). A POST view missing here
# fails test_every_post_view_is_in_the_role_table.
POST_VIEWS = {
    "okrs:check_in": SimpleNamespace(
        url=lambda world: reverse(
            "okrs:check_in", kwargs={"org_slug": world.cast.acme.slug, "key_result_id": world.key_result.pk}
        ),
        data=lambda world: {f"kr{world.key_result.pk}-value": "7", f"kr{world.key_result.pk}-status": "on_track"},
        fields=lambda world: {
            f"kr{world.key_result.pk}-value": "7",
            f"kr{world.key_result.pk}-status": "on_track",
            f"kr{world.key_result.pk}-confidence": "",
            f"kr{world.key_result.pk}-comment": "",
        },
        expect={
            "owner": 302,
            "admin": 302,
            "lead": 302,
            "member": 302,
            "sales": 403,
            "viewer": 403,
            "beta_member": 404,
        },
    ),
}
