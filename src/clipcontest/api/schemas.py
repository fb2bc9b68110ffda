from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from clipcontest.core.textfields import Line, LongText, Name, Title

# Limits the database can hold (PostgreSQL integer columns), and a day of video at most.
MAX_SECONDS = 86_400


class ErrorOut(Schema):
    code: str
    messages: list[str]
    field: str | None = None  # the input field a 422 is about
    retry_after_ms: int | None = None  # on 429: how long to wait before trying again


class LevelOut(Schema):
    name: str
    rank: int


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    level: str
    depth: int
    parent_code: str | None
    path: str


class UnitDetailOut(UnitOut):
    children: list[UnitOut]


class HierarchyOut(Schema):
    slug: str
    name: str
    source: str
    levels: list[LevelOut]


class PhaseOut(Schema):
    id: int
    kind: str
    level: str | None
    quota: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    state: str


class PhaseIn(Schema):
    kind: str
    level: str | None = None
    quota: int | None = None
    starts_at: dt.datetime
    ends_at: dt.datetime


class PhaseMoveIn(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: LongText


class PrizeIO(Schema):
    name: str
    count: int = 1
    kind: str = "jury"
    reward: str = ""
    description: str = ""


class ContestOut(Schema):
    slug: str
    series: str
    title: str
    edition: int
    status: str
    organizer_unit: str
    organizer_name: str
    summary: str
    rules_text: str
    entries_per_team: int
    max_video_mb: int
    min_duration_seconds: int
    max_duration_seconds: int
    max_video_height: int
    entry_level: str | None  # the entering level's name; None: the lowest screening level
    phases: list[PhaseOut]
    prizes: list[PrizeIO]


class ContestIn(Schema):
    slug: str
    series: str
    title: Title
    edition: int = Field(ge=1, le=10_000)
    organizer_unit: str  # "<hierarchy slug>/<unit code>"
    organizer_name: Line = ""
    summary: LongText = ""
    rules_text: LongText = ""
    entries_per_team: int = Field(2, ge=1, le=50)
    max_video_mb: int = Field(2048, ge=1, le=20480)
    min_duration_seconds: int = Field(30, ge=0, le=MAX_SECONDS)
    max_duration_seconds: int = Field(600, ge=1, le=MAX_SECONDS)
    max_video_height: int = Field(2160, ge=240, le=4320)
    entry_level: Line | None = None  # a level name of the organizer's map


class ContestPatch(Schema):
    title: Title | None = None
    organizer_name: Line | None = None
    summary: LongText | None = None
    rules_text: LongText | None = None
    entries_per_team: int | None = Field(None, ge=1, le=50)
    max_video_mb: int | None = Field(None, ge=1, le=20480)
    min_duration_seconds: int | None = Field(None, ge=0, le=MAX_SECONDS)
    max_duration_seconds: int | None = Field(None, ge=1, le=MAX_SECONDS)
    max_video_height: int | None = Field(None, ge=240, le=4320)
    entry_level: Line | None = None  # a level name; "" returns to the lowest screening level


class StatusIn(Schema):
    status: str


class CloneIn(Schema):
    slug: str
    title: Title
    edition: int = Field(ge=1, le=10_000)
    submission_starts_at: dt.datetime
    organizer_unit: str | None = None


class AuditOut(Schema):
    at: dt.datetime
    actor: str | None
    via: str
    ip: str | None
    action: str
    target_type: str
    target_id: str
    target_repr: str
    before: dict | None
    after: dict | None
    reason: str


class TeamOut(Schema):
    id: int
    name: str
    unit: str
    unit_name: str
    members: int


class TeamIn(Schema):
    unit: str  # "<hierarchy slug>/<unit code>"
    name: Name
    contact_email: str = ""


class RoleOut(Schema):
    role: str
    unit: str | None
    contest: str | None


class MeOut(Schema):
    username: str
    display_name: str
    is_site_admin: bool
    roles: list[RoleOut]
