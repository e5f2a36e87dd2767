"""What the API reads and writes. ``…Out`` is a response; ``…In`` a create (its optional fields
are the update's too: a PATCH sends any of them). Ids name related rows; numbers are decimals
with up to 4 places, dates ISO 8601."""

import datetime
from typing import Annotated

from ninja import Field, Schema

from lodestar.okrs.models import Initiative, KeyResult, Objective, Timeframe
from lodestar.okrs.selectors import visible_private_ids
from lodestar.orgs.models import Role

# Strict: a JSON true is not the number 1 (whole numbers are floats too).
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Id = Annotated[int, Field(gt=0, lt=2**63)]


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


class OrganizationIn(Schema):
    name: str
    language: str
    time_zone: str
    check_in_weekday: int


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


class PersonIn(Schema):
    """An invitation: the person gets an e-mail with a link to join."""

    email: str
    full_name: str = ""
    role: Role = Role.MEMBER
    job_title: str = ""
    manager: Id | None = None
    groups: list[Id] = []
    message: str = ""


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


class PersonChange(Schema):
    """Any of these (a PATCH)."""

    role: Role
    job_title: str
    manager: Id | None = None
    is_active: bool
    is_okr_ambassador: bool


class GroupOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    parent_id: int | None


class GroupIn(Schema):
    name: str
    slug: str = ""
    description: str = ""
    parent: Id | None = None


class GroupMemberIn(Schema):
    person: Id
    is_lead: bool = False


class TimeframeOut(Schema):
    id: int
    name: str
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    state: str
    is_current: bool


class TimeframeIn(Schema):
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    kind: Timeframe.Kind = Timeframe.Kind.QUARTER
    state: Timeframe.State = Timeframe.State.PLANNING


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


class KeyResultIn(Schema):
    objective: Id
    title: str
    kind: KeyResult.Kind
    owner: Id
    description: str = ""
    start_value: Number | None = None
    target_value: Number | None = None
    threshold_direction: str = ""
    unit: str = ""
    weight: Number = 1
    contributors: list[Id] = []


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


class ObjectiveCloseIn(Schema):
    score: Number | None = Field(None, description="0.0–1.0; suggested from progress when left out.")
    outcome: Objective.Outcome | None = Field(None, description="Suggested from the score when left out.")
    reflection: dict[str, str] = Field({}, description="Answers keyed by the organization's reflection questions.")


class CarryOverIn(Schema):
    timeframe: Id
    key_results: list[Id] | None = Field(None, description="Key results to carry; by default the unfinished ones.")


class ConvertToMetricIn(Schema):
    start_value: Number = Field(description="The measured baseline.")
    target_value: Number
    unit: str = ""
    current_value: Number | None = Field(None, description="Where it stands now; the baseline when left out.")


class ObjectiveIn(Schema):
    timeframe: Id
    title: str
    level: Objective.Level
    lead: Id
    description: str = ""
    parent: Id | None = None
    state: Objective.State = Objective.State.DRAFT
    visibility: Objective.Visibility = Objective.Visibility.PUBLIC
    commitment: Objective.Commitment = Objective.Commitment.COMMITTED
    progress_driver: Objective.ProgressDriver = Objective.ProgressDriver.KEY_RESULTS
    groups: list[Id] = []
    contributors: list[Id] = []


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


class CheckInIn(Schema):
    key_result: Id
    value: Number | None = None
    percent: Number | None = None
    done: bool | None = None
    status: str | None = None
    confidence: int | None = None
    comment: str = ""
    effective_on: datetime.date | None = None


class CheckInChange(Schema):
    """Any of these (a PATCH)."""

    value: Number | None = None
    percent: Number | None = None
    done: bool | None = None
    status: str | None = None
    confidence: int | None = None
    comment: str
    effective_on: datetime.date | None = None


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


class InitiativeIn(Schema):
    title: str
    key_results: list[Id]
    description: str = ""
    owner: Id | None = None
    state: Initiative.State = Initiative.State.NOT_STARTED
    due_on: datetime.date | None = None
    progress_percent: int | None = None


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


class KPIIn(Schema):
    name: str
    owner: Id
    description: str = ""
    unit: str = ""
    cadence: str = "monthly"
    aggregation: str = "latest"
    rule: str = "none"
    rule_min: Number | None = None
    rule_max: Number | None = None
    groups: list[Id] = []


class KPIValueOut(Schema):
    id: int
    kpi_id: int
    value: float
    recorded_on: datetime.date
    comment: str
    author_id: int | None
    source: str
    created_at: datetime.datetime


class KPIValueIn(Schema):
    value: Number
    recorded_on: datetime.date | None = None
    comment: str = ""


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


class CommentIn(Schema):
    """Exactly one target: the most specific one (a check-in's comment names only the check-in)."""

    body: str
    objective: Id | None = None
    key_result: Id | None = None
    check_in: Id | None = None
    kpi: Id | None = None


class CommentChange(Schema):
    body: str


class FedValueIn(Schema):
    value: Number | str = Field(description='A number, or text like "1,234.5" or "42 %".')
    effective_on: datetime.date | None = None
    comment: str = ""


class FedValueOut(Schema):
    feed: str
    recorded: str = Field(description='"check_in" or "kpi_value"')
    id: int
