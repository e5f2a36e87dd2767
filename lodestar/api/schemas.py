"""What the API reads and writes. ``…Out`` is a response; ``…In`` a create (its optional fields
are the update's too: a PATCH sends any of them). Ids name related rows; numbers are decimals
with up to 4 places, dates ISO 8601."""

import datetime
import zoneinfo
from typing import Annotated, Literal

from django.conf import settings
from ninja import Field, Schema

from lodestar.api.contract import Body, Choice, Day, Flag, Number, Text, Whole
from lodestar.api.contract import Id as BodyId
from lodestar.conversations.models import BODY_MAX
from lodestar.kpis.models import KPI
from lodestar.okrs.closing import REFLECTION_ANSWER_MAX
from lodestar.okrs.models import CheckInStatus, Initiative, KeyResult, Objective, Timeframe
from lodestar.okrs.selectors import visible_private_ids
from lodestar.okrs.services._common import DESCRIPTION_MAX, TITLE_MAX
from lodestar.okrs.services.check_ins import COMMENT_MAX
from lodestar.okrs.services.key_results import MAX_WEIGHT
from lodestar.orgs.models import Role, Weekday

TimeZone = Literal[tuple(sorted(zoneinfo.available_timezones()))]
# An id in a query (sent as text); in a body it is a JSON number (contract.Id).
Id = Annotated[int, Field(gt=0, lt=2**63)]
Language = Literal[tuple(code for code, _name in settings.LANGUAGES)]


class Error(Schema):
    detail: str | list | dict


class OrganizationOut(Schema):
    slug: str
    name: str


class OrganizationDetailOut(Schema):
    slug: str
    name: str
    language: str
    time_zone: str
    check_in_weekday: int
    automatic_status: bool


class OrganizationIn(Body):
    name: Text(120, required=True)
    language: Language
    time_zone: TimeZone
    check_in_weekday: Choice(Weekday) = Field(description="1 Monday … 7 Sunday.")


class MeOut(Schema):
    id: int
    name: str
    email: str
    role: str
    organization: OrganizationOut
    token_scope: str


class PersonOut(Schema):
    id: int
    name: str = Field(alias="full_name")
    email: str = Field(alias="user.email")
    role: str
    job_title: str
    manager_id: int | None
    is_active: bool
    is_okr_ambassador: bool


class PersonIn(Body):
    """An invitation: the person gets an e-mail with a link to join."""

    email: Text(254, required=True)
    full_name: Text(150) = ""
    role: Choice(Role) = Role.MEMBER.value
    job_title: Text(120) = ""
    manager: BodyId | None = None
    groups: list[BodyId] = []
    message: Text(2000, multiline=True) = ""


class InvitationOut(Schema):
    """``person_id`` names the person made for a new address at once; an address that has an
    account gets its person only when its holder accepts (null until then)."""

    id: int
    email: str
    full_name: str
    role: str
    state: str = Field(alias="shown_state")
    person_id: int | None = Field(alias="membership_id")
    created_at: datetime.datetime
    expires_at: datetime.datetime
    accepted_at: datetime.datetime | None


class PersonChange(Body):
    """Any of these (a PATCH)."""

    role: Choice(Role)
    job_title: Text(120)
    manager: BodyId | None = None
    is_active: Flag
    is_okr_ambassador: Flag


class GroupOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    parent_id: int | None


class GroupIn(Body):
    name: Text(120, required=True)
    slug: Text(120) = ""
    description: Text(10_000, multiline=True) = ""
    parent: BodyId | None = None


class GroupMemberIn(Body):
    person: BodyId
    is_lead: Flag = False


class TimeframeOut(Schema):
    id: int
    name: str
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    state: str
    is_current: bool


class TimeframeIn(Body):
    name: Text(80, required=True)
    starts_on: Day
    ends_on: Day
    kind: Choice(Timeframe.Kind) = Timeframe.Kind.QUARTER.value
    state: Choice(Timeframe.State) = Timeframe.State.PLANNING.value


class KeyResultOut(Schema):
    id: int
    objective_id: int
    title: str
    description: str
    kind: str
    owner_id: int
    start_value: float | None
    target_value: float | None
    threshold_direction: str
    current_value: float | None
    unit: str
    weight: float
    progress: float
    status: str
    last_check_in_on: datetime.date | None
    updated_at: datetime.datetime


class KeyResultIn(Body):
    objective: BodyId
    title: Text(TITLE_MAX, required=True)
    kind: Choice(KeyResult.Kind)
    owner: BodyId
    description: Text(DESCRIPTION_MAX, multiline=True) = ""
    start_value: Number | None = None
    target_value: Number | None = None
    threshold_direction: Literal[("", *KeyResult.ThresholdDirection.values)] = Field(
        "", description="above or below, for a threshold."
    )
    unit: Text(30) = ""
    weight: Number = Field(1, ge=0.01, le=MAX_WEIGHT)
    contributors: list[BodyId] = []


class ObjectiveOut(Schema):
    id: int
    title: str
    description: str
    level: str
    state: str
    visibility: str
    commitment: str
    timeframe_id: int
    lead_id: int
    parent_id: int | None = Field(None, description="Also none for a private parent you take no part in.")
    pillar_id: int | None
    progress: float
    status: str
    score: float | None = Field(None, description="0.0–1.0, given when the objective was closed.")
    outcome: str = Field(description="accomplished, missed or postponed once closed; empty before.")
    reflection: dict[str, str] = Field(description="Answers to the organization's reflection questions, by question.")
    updated_at: datetime.datetime
    key_results: list[KeyResultOut]

    @staticmethod
    def resolve_parent_id(objective, context) -> int | None:
        parent, viewer = objective.parent, context["request"].auth
        if parent is None or not parent.is_private or viewer.is_admin:
            return objective.parent_id
        return parent.pk if parent.pk in visible_private_ids(viewer) else None


class ObjectiveCloseIn(Body):
    score: Number | None = Field(None, ge=0, le=1, description="0.0–1.0; suggested from progress when left out.")
    outcome: Choice(Objective.Outcome) | None = Field(None, description="Suggested from the score when left out.")
    reflection: dict[str, Text(REFLECTION_ANSWER_MAX, multiline=True)] = Field(
        {}, description="Answers keyed by the organization's reflection questions."
    )


class CarryOverIn(Body):
    timeframe: BodyId
    key_results: list[BodyId] | None = Field(None, description="Key results to carry; by default the unfinished ones.")


class ConvertToMetricIn(Body):
    start_value: Number = Field(description="The measured baseline.")
    target_value: Number
    unit: Text(30) = ""
    current_value: Number | None = Field(None, description="Where it stands now; the baseline when left out.")


class ObjectiveIn(Body):
    timeframe: BodyId
    title: Text(TITLE_MAX, required=True)
    level: Choice(Objective.Level)
    lead: BodyId
    description: Text(DESCRIPTION_MAX, multiline=True) = ""
    parent: BodyId | None = None
    state: Choice(Objective.State) = Objective.State.DRAFT.value
    visibility: Choice(Objective.Visibility) = Objective.Visibility.PUBLIC.value
    commitment: Choice(Objective.Commitment) = Objective.Commitment.COMMITTED.value
    progress_driver: Choice(Objective.ProgressDriver) = Objective.ProgressDriver.KEY_RESULTS.value
    groups: list[BodyId] = []
    contributors: list[BodyId] = []


class CheckInOut(Schema):
    id: int
    key_result_id: int
    author_id: int | None
    source: str
    value: float | None
    percent: float | None
    done: bool | None
    status: str
    status_is_automatic: bool
    confidence: int | None
    comment: str
    effective_on: datetime.date
    created_at: datetime.datetime
    updated_at: datetime.datetime


class CheckInIn(Body):
    key_result: BodyId
    value: Number | None = Field(None, description="The reading of a metric or threshold.")
    percent: Number | None = Field(None, ge=0, le=100, description="The estimated progress of an estimate.")
    done: Flag | None = Field(None, description="Whether a milestone is reached.")
    status: Choice(CheckInStatus) | None = Field(
        None, description="Automatic (when the organization has it on) if left out."
    )
    confidence: Whole(1, 10) | None = None
    comment: Text(COMMENT_MAX, multiline=True) = ""
    effective_on: Day | None = Field(None, description="Today in the organization when left out; not in the future.")


class CheckInChange(Body):
    """Any of these (a PATCH)."""

    value: Number | None = None
    percent: Number | None = Field(None, ge=0, le=100)
    done: Flag | None = None
    status: Choice(CheckInStatus) | None = None
    confidence: Whole(1, 10) | None = None
    comment: Text(COMMENT_MAX, multiline=True)
    effective_on: Day | None = None


class InitiativeOut(Schema):
    id: int
    title: str
    description: str
    state: str
    owner_id: int | None
    due_on: datetime.date | None
    progress_percent: int | None
    key_result_ids: list[int]
    updated_at: datetime.datetime

    @staticmethod
    def resolve_key_result_ids(initiative) -> list[int]:
        return [link.key_result_id for link in initiative.initiative_key_results.all()]


class InitiativeIn(Body):
    title: Text(TITLE_MAX, required=True)
    key_results: list[BodyId]
    description: Text(DESCRIPTION_MAX, multiline=True) = ""
    owner: BodyId | None = None
    state: Choice(Initiative.State) = Initiative.State.NOT_STARTED.value
    due_on: Day | None = None
    progress_percent: Whole(0, 100) | None = None


class KPIOut(Schema):
    id: int
    name: str
    description: str
    owner_id: int
    unit: str
    cadence: str
    aggregation: str
    rule: str
    rule_min: float | None
    rule_max: float | None
    current_value: float | None
    is_healthy: bool
    last_recorded_on: datetime.date | None
    group_ids: list[int]
    updated_at: datetime.datetime

    @staticmethod
    def resolve_group_ids(kpi) -> list[int]:
        return [link.group_id for link in kpi.kpi_groups.all()]


class KPIIn(Body):
    name: Text(200, required=True)
    owner: BodyId
    description: Text(10_000, multiline=True) = ""
    unit: Text(30) = ""
    cadence: Choice(KPI.Cadence) = KPI.Cadence.MONTHLY.value
    aggregation: Choice(KPI.Aggregation) = KPI.Aggregation.LATEST.value
    rule: Choice(KPI.Rule) = KPI.Rule.NONE.value
    rule_min: Number | None = None
    rule_max: Number | None = None
    groups: list[BodyId] = []


class KPIValueOut(Schema):
    id: int
    kpi_id: int
    value: float
    recorded_on: datetime.date
    comment: str
    author_id: int | None
    source: str
    created_at: datetime.datetime


class KPIValueIn(Body):
    value: Number
    recorded_on: Day | None = None
    comment: Text(5000, multiline=True) = ""


class CommentOut(Schema):
    id: int
    author_id: int
    objective_id: int | None
    key_result_id: int | None
    check_in_id: int | None
    kpi_id: int | None
    body: str
    body_html: str
    created_at: datetime.datetime
    edited_at: datetime.datetime | None


class CommentIn(Body):
    """Exactly one target: the most specific one (a check-in's comment names only the check-in)."""

    body: Text(BODY_MAX, required=True, multiline=True)
    objective: BodyId | None = None
    key_result: BodyId | None = None
    check_in: BodyId | None = None
    kpi: BodyId | None = None


class CommentChange(Body):
    body: Text(BODY_MAX, required=True, multiline=True)


class FedValueIn(Body):
    value: Number | Text(100, required=True) = Field(description='A number, or text like "1,234.5" or "42 %".')
    effective_on: Day | None = None
    comment: Text(COMMENT_MAX, multiline=True) = ""


class FedValueOut(Schema):
    feed: str
    recorded: str = Field(description='"check_in" or "kpi_value"')
    id: int
