"""Fixtures of the rollout tests: an OKR ambassador, and a challenge round on two drafts."""

import datetime
from types import SimpleNamespace

import pytest

from lodestar.okrs import services as okrs
from lodestar.okrs.models import Objective
from lodestar.orgs import services as orgs
from lodestar.rollout import services
from tests import factories
from tests.conftest import add_person


def make_ambassador(cast, membership):
    """``membership`` with the OKR ambassador flag, as the admin pages set it."""
    return orgs.update_membership(actor=cast.owner, membership=membership, is_okr_ambassador=True)


@pytest.fixture
def outsider(cast):
    """A member of Acme who takes no part in the round."""
    return add_person(cast.owner, "outsider@acme.test", "Oli Outsider")


@pytest.fixture
def challenge_round(cast, outsider):
    """A round opened by the admin on the member's Engineering draft (aligned to an active company
    objective whose progress comes from its aligned objectives; its first key result checked in at
    50 %) and on a company draft; reviewers: the lead and the sales person."""
    company = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Be the customers' favourite", progress_driver="children"
    )
    draft = factories.objective(
        cast.member,
        timeframe=cast.quarter,
        title="Ship faster",
        level=Objective.Level.GROUP,
        groups=[cast.engineering],
        lead=cast.member,
        parent=company,
        state=Objective.State.DRAFT,
    )
    lead_time = factories.metric(cast.member, draft, owner=cast.member, title="Lead time")
    deploys = factories.metric(cast.member, draft, owner=cast.member, title="Deploys per day", target=10)
    okrs.record_check_in(actor=cast.member, key_result=lead_time, value=50, status="on_track")
    company_draft = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Open a second office", state=Objective.State.DRAFT
    )
    opened = services.open_round(
        actor=cast.admin,
        title="Challenge the first drafts",
        deadline=cast.today + datetime.timedelta(days=7),
        objectives=[draft, company_draft],
        reviewers=[cast.lead, cast.sales],
    )
    return SimpleNamespace(
        round=opened,
        company=company,
        draft=draft,
        lead_time=lead_time,
        deploys=deploys,
        company_draft=company_draft,
        outsider=outsider,
    )
