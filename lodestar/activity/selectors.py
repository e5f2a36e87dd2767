"""The activity feeds: the organization's, a group's (its goals and KPIs) and a person's (what they
did). Newest first, 30 a page, paged by id so a page costs the same however long the history;
events about objectives the viewer may not see are left out (2 queries a page)."""

from dataclasses import dataclass

from django.db.models import Q

from lodestar.activity.models import Activity
from lodestar.activity.text import sentence, target_path
from lodestar.kpis.models import KPIGroup
from lodestar.okrs.models import ObjectiveGroup
from lodestar.okrs.selectors import visible_through
from lodestar.orgs.models import Membership

PAGE_SIZE = 30


@dataclass
class FeedRow:
    activity: Activity
    text: str
    url: str


@dataclass
class FeedPage:
    rows: list[FeedRow]
    older_than: int | None  # the id to ask for the next (older) page with, None on the last page


def feed(viewer: Membership, *, group_id: int | None = None, person_id: int | None = None, before=None) -> FeedPage:
    org = viewer.organization_id
    events = Activity.objects.filter(organization_id=org).filter(visible_through(viewer))
    if group_id is not None:
        events = events.filter(
            Q(objective__in=ObjectiveGroup.objects.filter(organization_id=org, group=group_id).values("objective_id"))
            | Q(kpi__in=KPIGroup.objects.filter(organization_id=org, group=group_id).values("kpi_id"))
        )
    if person_id is not None:
        events = events.filter(actor=person_id)
    if before is not None:
        events = events.filter(pk__lt=before)
    page = list(events.select_related("actor__user").order_by("-pk")[: PAGE_SIZE + 1])
    organization = viewer.organization
    rows = [
        FeedRow(
            activity,
            sentence(activity),
            target_path(
                organization,
                objective_id=activity.objective_id,
                key_result_id=activity.key_result_id,
                kpi_id=activity.kpi_id,
                conversation_of=activity.check_in_id if activity.comment_id else None,
            )
            + (f"#comment-{activity.comment_id}" if activity.comment_id else ""),
        )
        for activity in page[:PAGE_SIZE]
    ]
    return FeedPage(rows, page[PAGE_SIZE - 1].pk if len(page) > PAGE_SIZE else None)
