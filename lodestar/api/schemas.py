import datetime

from ninja import Schema


class OrganizationOut(Schema):
    slug: str
    name: str


class MeOut(Schema):
    id: int
    name: str
    email: str
    role: str
    organization: OrganizationOut
    token_scope: str


class KeyResultOut(Schema):
    id: int
    title: str
    kind: str
    owner_id: int
    start_value: float | None
    target_value: float | None
    current_value: float | None
    unit: str
    progress: float
    status: str
    last_check_in_on: datetime.date | None


class ObjectiveOut(Schema):
    id: int
    title: str
    level: str
    state: str
    visibility: str
    timeframe_id: int
    lead_id: int
    parent_id: int | None
    progress: float
    status: str
    updated_at: datetime.datetime
    key_results: list[KeyResultOut]


class Error(Schema):
    detail: str | list
