"""Reusable screening queries. Every list here costs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce

from clipcontest.accounts.enums import Role
from clipcontest.accounts.queries import held_roles
from clipcontest.contests.enums import PhaseKind
from clipcontest.contests.models import Contest, Phase
from clipcontest.entries.models import Entry
from clipcontest.media.enums import VideoStatus
from clipcontest.media.models import Video
from clipcontest.org.models import Unit

from .enums import ScreeningState
from .models import EntryScreening, ScreeningDecision, ScreeningLevel, UnitScreening

#: How close a deadline must be for a unit that has not acted to need attention.
ATTENTION_WINDOW = dt.timedelta(days=3)


def screening_chain(contest: Contest) -> list[Phase]:
    """The contest's screening phases bottom-up (lowest level first)."""
    return list(
        Phase.objects.filter(contest=contest, kind=PhaseKind.SCREENING)
        .select_related("level")
        .order_by("-level__rank")
    )


def next_phase(chain: list[Phase], phase: Phase) -> Phase | None:
    """The level above ``phase`` in the chain, or None at the top."""
    ids = [p.pk for p in chain]
    i = ids.index(phase.pk)
    return chain[i + 1] if i + 1 < len(chain) else None


def ancestor_at(unit: Unit, level_id: int | None, units_by_code: dict[str, Unit]) -> Unit | None:
    """``unit`` or its ancestor on ``level_id`` (looked up in ``units_by_code``)."""
    for code in reversed(unit.ancestor_codes):
        candidate = units_by_code.get(code)
        if candidate is not None and candidate.level_id == level_id:
            return candidate
    return None


def ancestor_units(units: Iterable[Unit], level_ids: Iterable[int | None]) -> dict[str, Unit]:
    """Every ancestor (or self) of ``units`` on one of ``level_ids``, by code: one query."""
    units = list(units)
    if not units:
        return {}
    codes = {code for u in units for code in u.ancestor_codes}
    return {
        u.code: u
        for u in Unit.objects.filter(
            hierarchy_id=units[0].hierarchy_id,
            code__in=codes,
            level_id__in=[i for i in level_ids if i is not None],
        ).select_related("level")
    }


def reason_required(phase: Phase) -> bool:
    settings = ScreeningLevel.objects.filter(phase=phase).first()
    return True if settings is None else settings.reason_required


def ready_entry_ids(entry_ids: Iterable[int]) -> set[int]:
    """Entries whose current video can be watched (playable or ready)."""
    return set(
        Video.objects.filter(
            entry_id__in=list(entry_ids), is_current=True, status__in=VideoStatus.watchable()
        ).values_list("entry_id", flat=True)
    )


def processing_entry_ids(entry_ids: Iterable[int]) -> set[int]:
    """Entries whose current video is still being processed (or missing)."""
    entry_ids = list(entry_ids)
    settled = set(
        Video.objects.filter(
            entry_id__in=entry_ids,
            is_current=True,
            status__in=[*VideoStatus.watchable(), VideoStatus.FAILED],
        ).values_list("entry_id", flat=True)
    )
    return set(entry_ids) - settled


@dataclass
class Stage:
    """A unit's place in a contest's screening: its phase, and its record once entries
    have arrived (``record`` is None before that)."""

    contest: Contest
    phase: Phase
    unit: Unit
    record: UnitScreening | None
    is_top: bool

    def quota(self) -> int:
        return self.record.quota() if self.record else (self.phase.quota or 0)

    def deadline(self) -> dt.datetime:
        return self.record.deadline() if self.record else self.phase.ends_at

    def is_open(self, now: dt.datetime) -> bool:
        if self.record is not None:
            return self.record.is_open(now)
        return self.phase.starts_at <= now < self.phase.ends_at

    def forwarded(self) -> int:
        return self.record.forwarded_count if self.record else 0


def stage_for(contest: Contest, unit: Unit) -> Stage | None:
    """The screening stage of ``unit`` in ``contest`` (None if its level does not screen
    or the unit lies outside the organizer's tree). Two queries."""
    if not unit.is_within(contest.organizer_unit):
        return None
    chain = screening_chain(contest)
    phase = next((p for p in chain if p.level_id == unit.level_id), None)
    if phase is None:
        return None
    record = (
        UnitScreening.objects.select_related("signed_off_by").filter(phase=phase, unit=unit).first()
    )
    if record is not None:
        record.phase = phase
        record.unit = unit
    return Stage(
        contest=contest, phase=phase, unit=unit, record=record, is_top=phase.pk == chain[-1].pk
    )


def current_videos() -> Prefetch:
    return Prefetch(
        "entry__videos",
        queryset=Video.objects.filter(is_current=True).prefetch_related("renditions"),
        to_attr="current_videos",
    )


def stage_items(record: UnitScreening, state: str = "") -> QuerySet[EntryScreening]:
    """The entries that reached a unit at one level, with team and current video."""
    items = (
        EntryScreening.objects.filter(stage=record)
        .select_related("entry__team", "entry__unit", "decided_by")
        .prefetch_related(current_videos())
        .order_by("arrived_at", "pk")
    )
    if state:
        items = items.filter(state=state)
    return items


def stage_state_counts(record: UnitScreening | None) -> dict[str, int]:
    if record is None:
        return {}
    return dict(
        EntryScreening.objects.filter(stage=record)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )


def level_units(*, phase: Phase, organizer_unit: Unit) -> QuerySet[Unit]:
    """Every unit of ``phase``'s level in the organizer's tree, with its counts at this
    level (arrived, forwarded, rejected, pending, stopped) and its record's fields, in
    one grouped query."""
    item = "stage__items"
    return (
        Unit.objects.filter(
            hierarchy_id=organizer_unit.hierarchy_id,
            level=phase.level,
            path__startswith=organizer_unit.path,
        )
        .annotate(stage=FilteredRelation("screenings", condition=Q(screenings__phase=phase)))
        .annotate(
            s_id=F("stage__id"),
            s_reopened_until=F("stage__reopened_until"),
            s_locked_at=F("stage__locked_at"),
            s_signed_off_at=F("stage__signed_off_at"),
            s_reminded_at=F("stage__reminded_at"),
            s_quota=Coalesce(F("stage__quota_override"), phase.quota or 0),
            arrived=Count(item),
            forwarded=Count(item, filter=Q(stage__items__state__in=ScreeningState.passed())),
            rejected=Count(item, filter=Q(stage__items__state=ScreeningState.REJECTED)),
            pending=Count(item, filter=Q(stage__items__state__in=ScreeningState.undecided())),
            stopped=Count(item, filter=Q(stage__items__state=ScreeningState.STOPPED)),
        )
        .order_by("path")
    )


@dataclass(frozen=True)
class UnitOverview:
    """One unit's line in the organizer's overview of a level (see level_overview)."""

    pk: int
    code: str
    name: str
    s_id: int | None
    s_reopened_until: dt.datetime | None
    s_locked_at: dt.datetime | None
    s_signed_off_at: dt.datetime | None
    s_reminded_at: dt.datetime | None
    s_quota: int
    arrived: int
    forwarded: int
    rejected: int
    pending: int
    stopped: int
    queue_url: str = ""  # filled in by the view
    reopen_url: str = ""


def level_unit_list(*, phase: Phase, organizer_unit: Unit) -> QuerySet[Unit]:
    """The units of ``phase``'s level in the organizer's tree, in tree order: the rows
    of the overview, cheap to count and to slice into pages."""
    return Unit.objects.filter(
        hierarchy_id=organizer_unit.hierarchy_id,
        level=phase.level,
        path__startswith=organizer_unit.path,
    ).order_by("path")


def level_state_counts(phase: Phase) -> dict[int, dict[str, int]]:
    """Entries per state per stage (UnitScreening id) at one level: one grouped query
    over the level's items, from which both the per-unit counts and the level totals
    follow (level_units and level_totals each read them again).

    Selected by stage (an item's ``phase`` repeats its stage's) so that the database
    counts from the (stage, state) index alone: 20,000 items in under 2 ms on SQLite.
    """
    counts: dict[int, dict[str, int]] = {}
    rows = (
        EntryScreening.objects.filter(
            stage__in=UnitScreening.objects.filter(phase=phase).values("pk")
        )
        .order_by()
        .values_list("stage_id", "state")
        .annotate(n=Count("pk"))
        .values_list("stage_id", "state", "n")
    )
    for stage_id, state, n in rows:
        counts.setdefault(stage_id, {})[state] = n
    return counts


def totals_of(counts: dict[int, dict[str, int]]) -> dict[str, int]:
    """Level totals per state (as level_totals), in the order of the state values."""
    totals: dict[str, int] = {}
    for by_state in counts.values():
        for state, n in by_state.items():
            totals[state] = totals.get(state, 0) + n
    return dict(sorted(totals.items()))


def level_overview(
    *, phase: Phase, units: Iterable[Unit], counts: dict[int, dict[str, int]]
) -> list[UnitOverview]:
    """The overview lines of ``units`` (one page) at ``phase``: their stage records in
    one query, their counts from ``level_state_counts``. The same figures as
    level_units, which aggregates in the database for every unit of the level."""
    units = list(units)
    records = {
        r.unit_id: r
        for r in UnitScreening.objects.filter(phase=phase, unit__in=[u.pk for u in units])
    }
    passed, undecided = set(ScreeningState.passed()), set(ScreeningState.undecided())
    lines = []
    for unit in units:
        record = records.get(unit.pk)
        by_state = counts.get(record.pk, {}) if record is not None else {}
        override = record.quota_override if record is not None else None
        lines.append(
            UnitOverview(
                pk=unit.pk,
                code=unit.code,
                name=unit.name,
                s_id=record.pk if record is not None else None,
                s_reopened_until=record.reopened_until if record is not None else None,
                s_locked_at=record.locked_at if record is not None else None,
                s_signed_off_at=record.signed_off_at if record is not None else None,
                s_reminded_at=record.reminded_at if record is not None else None,
                s_quota=override if override is not None else (phase.quota or 0),
                arrived=sum(by_state.values()),
                forwarded=sum(n for s, n in by_state.items() if s in passed),
                rejected=by_state.get(ScreeningState.REJECTED, 0),
                pending=sum(n for s, n in by_state.items() if s in undecided),
                stopped=by_state.get(ScreeningState.STOPPED, 0),
            )
        )
    return lines


def level_totals(phase: Phase) -> dict[str, int]:
    return dict(
        EntryScreening.objects.filter(phase=phase)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )


def stages_needing_attention(
    phase: Phase, now: dt.datetime, within: dt.timedelta = ATTENTION_WINDOW
) -> QuerySet[UnitScreening]:
    """Units with entries still undecided, nothing forwarded yet, and a deadline near."""
    undecided = EntryScreening.objects.filter(
        stage=OuterRef("pk"), state__in=ScreeningState.undecided()
    )
    return (
        UnitScreening.objects.filter(
            phase=phase, locked_at__isnull=True, signed_off_at__isnull=True
        )
        .annotate(due=Coalesce("reopened_until", "phase__ends_at"))
        .filter(due__gt=now, due__lte=now + within, phase__starts_at__lte=now)
        .filter(Exists(undecided))
        .select_related("unit", "phase")
        .order_by("due", "unit__path")
    )


def coordinated_stages(user: Any, contest: Contest) -> list[Stage]:
    """The stages of this contest at units the user coordinates (exactly)."""
    unit_ids = [h.unit_id for h in held_roles(user) if h.role == Role.COORDINATOR and h.unit_id]
    if not unit_ids:
        return []
    chain = screening_chain(contest)
    by_level = {p.level_id: p for p in chain}
    organizer = contest.organizer_unit
    units = [
        u
        for u in Unit.objects.filter(
            pk__in=unit_ids, level_id__in=[i for i in by_level if i is not None]
        ).select_related("level")
        if u.is_within(organizer)
    ]
    records = {
        r.unit_id: r
        for r in UnitScreening.objects.filter(phase__in=chain, unit__in=units).select_related(
            "phase"
        )
    }
    return [
        Stage(
            contest=contest,
            phase=by_level[u.level_id],
            unit=u,
            record=records.get(u.pk),
            is_top=by_level[u.level_id].pk == chain[-1].pk,
        )
        for u in sorted(units, key=lambda u: u.path)
    ]


def entry_progress(entry: Entry) -> list[EntryScreening]:
    """The levels an entry reached, bottom-up."""
    return list(
        EntryScreening.objects.filter(entry=entry)
        .select_related("stage__unit", "phase__level", "stage__phase")
        .order_by("-phase__level__rank")
    )


def entry_decisions(entry: Entry) -> QuerySet[ScreeningDecision]:
    return (
        ScreeningDecision.objects.filter(entry=entry)
        .select_related("unit", "phase__level", "by")
        .order_by("at", "pk")
    )


def team_screening_entries(user: Any, contest: Contest) -> QuerySet[Entry]:
    """The user's teams' entries in a contest with every level they reached."""
    return (
        Entry.objects.filter(contest=contest, team__memberships__user=user)
        .select_related("team")
        .prefetch_related(
            Prefetch(
                "screenings",
                queryset=EntryScreening.objects.select_related(
                    "stage__unit", "phase__level"
                ).order_by("-phase__level__rank"),
                to_attr="levels",
            )
        )
        .order_by("created_at", "pk")
        .distinct()
    )
