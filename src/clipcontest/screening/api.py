"""Screening through the JSON API (/api/v1/screening/...): the same lookups, permissions
and domain functions as the screening pages."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from clipcontest.core.errors import DomainError

from . import domain
from .lookups import contest_or_404, entry_in_contest, entry_or_404, require, stage_or_404
from .models import EntryScreening
from .queries import (
    Stage,
    entry_decisions,
    entry_progress,
    level_totals,
    level_units,
    screening_chain,
    stage_for,
    stage_items,
    stage_state_counts,
    stages_needing_attention,
)

router = Router(tags=["screening"])


class ItemOut(Schema):
    entry: uuid.UUID
    title: str
    team: str
    state: str
    reason: str
    note: str
    arrived_at: dt.datetime
    decided_at: dt.datetime | None


class StageOut(Schema):
    contest: str
    unit: str
    unit_name: str
    level: str
    quota: int
    forwarded: int
    deadline: dt.datetime
    is_open: bool
    locked: bool
    signed_off_by: str | None
    signed_off_at: dt.datetime | None
    counts: dict[str, int]
    items: list[ItemOut]


class NoteIn(Schema):
    note: str = ""


class RejectIn(Schema):
    reason: str = ""
    note: str = ""


class ForwardIn(Schema):
    entries: list[uuid.UUID]
    sign_off: bool
    note: str = ""


class ReasonIn(Schema):
    reason: str


class ReopenIn(Schema):
    until: dt.datetime
    reason: str


class UnitRowOut(Schema):
    unit: str
    name: str
    arrived: int
    forwarded: int
    rejected: int
    pending: int
    stopped: int
    quota: int
    deadline: dt.datetime
    locked: bool
    signed_off_at: dt.datetime | None


class ScreeningLevelOut(Schema):
    phase_id: int
    level: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    quota: int
    totals: dict[str, int]
    needs_attention: list[str]
    units: list[UnitRowOut]


class LevelReachedOut(Schema):
    level: str
    unit: str | None
    state: str | None
    reason: str
    arrived_at: dt.datetime | None
    decided_at: dt.datetime | None


class DecisionOut(Schema):
    at: dt.datetime
    unit: str
    level: str
    kind: str
    by: str | None
    reason: str
    note: str | None


class ScreeningProgressOut(Schema):
    entry: uuid.UUID
    title: str
    levels: list[LevelReachedOut]
    decisions: list[DecisionOut]


def _item_out(item: EntryScreening) -> ItemOut:
    return ItemOut(
        entry=item.entry.public_id,
        title=item.entry.title,
        team=item.entry.team.name,
        state=item.state,
        reason=item.reason,
        note=item.note,
        arrived_at=item.arrived_at,
        decided_at=item.decided_at,
    )


def _stage_out(stage: Stage) -> StageOut:
    record = stage.record
    items = list(stage_items(record)) if record else []
    return StageOut(
        contest=stage.contest.slug,
        unit=stage.unit.code,
        unit_name=stage.unit.name,
        level=stage.phase.level.name if stage.phase.level else "",
        quota=stage.quota(),
        forwarded=stage.forwarded(),
        deadline=stage.deadline(),
        is_open=stage.is_open(timezone.now()),
        locked=bool(record and record.locked_at),
        signed_off_by=str(record.signed_off_by) if record and record.signed_off_by else None,
        signed_off_at=record.signed_off_at if record else None,
        counts=stage_state_counts(record),
        items=[_item_out(i) for i in items],
    )


def _reload(stage: Stage) -> StageOut:
    fresh = stage_for(stage.contest, stage.unit)
    assert fresh is not None
    return _stage_out(fresh)


@router.get("/contests/{slug}/units/{code}", response=StageOut)
def unit_screening(request: HttpRequest, slug: str, code: str) -> StageOut:
    """The entries that reached a unit at its level, with the unit's quota and deadline."""
    return _stage_out(stage_or_404(request.user, slug, code))


@router.post("/contests/{slug}/units/{code}/entries/{public_id}/shortlist", response=StageOut)
def shortlist(
    request: HttpRequest, slug: str, code: str, public_id: uuid.UUID, payload: NoteIn
) -> StageOut:
    stage = stage_or_404(request.user, slug, code, "screening.decide")
    entry = entry_in_contest(stage.contest, public_id)
    domain.shortlist_entry(entry=entry, unit=stage.unit, by=request.user, note=payload.note)
    return _reload(stage)


@router.post("/contests/{slug}/units/{code}/entries/{public_id}/reject", response=StageOut)
def reject(
    request: HttpRequest, slug: str, code: str, public_id: uuid.UUID, payload: RejectIn
) -> StageOut:
    stage = stage_or_404(request.user, slug, code, "screening.decide")
    entry = entry_in_contest(stage.contest, public_id)
    domain.reject_entry(
        entry=entry, unit=stage.unit, by=request.user, reason=payload.reason, note=payload.note
    )
    return _reload(stage)


@router.post("/contests/{slug}/units/{code}/entries/{public_id}/clear", response=StageOut)
def clear(
    request: HttpRequest, slug: str, code: str, public_id: uuid.UUID, payload: NoteIn
) -> StageOut:
    stage = stage_or_404(request.user, slug, code, "screening.decide")
    entry = entry_in_contest(stage.contest, public_id)
    domain.clear_decision(entry=entry, unit=stage.unit, by=request.user, note=payload.note)
    return _reload(stage)


@router.post("/contests/{slug}/units/{code}/forward", response=StageOut)
def forward(request: HttpRequest, slug: str, code: str, payload: ForwardIn) -> StageOut:
    """Forward shortlisted entries; ``sign_off`` must be true (the caller signs the list)."""
    stage = stage_or_404(request.user, slug, code, "screening.decide")
    if not payload.sign_off:
        raise DomainError(_("Sign off the list to forward it."))
    entries = list(stage.contest.entries.filter(public_id__in=payload.entries))
    if len(entries) != len(set(payload.entries)):
        raise DomainError(_("Some of these entries are not in this contest."))
    domain.forward_entries(
        contest=stage.contest, unit=stage.unit, entries=entries, by=request.user, note=payload.note
    )
    return _reload(stage)


@router.post(
    "/contests/{slug}/units/{code}/entries/{public_id}/withdraw-forward", response=StageOut
)
def withdraw_forward(
    request: HttpRequest, slug: str, code: str, public_id: uuid.UUID, payload: ReasonIn
) -> StageOut:
    stage = stage_or_404(request.user, slug, code, "screening.decide")
    entry = entry_in_contest(stage.contest, public_id)
    domain.withdraw_forward(entry=entry, unit=stage.unit, by=request.user, reason=payload.reason)
    return _reload(stage)


@router.post("/contests/{slug}/units/{code}/reopen", response=StageOut)
def reopen(request: HttpRequest, slug: str, code: str, payload: ReopenIn) -> StageOut:
    stage = stage_or_404(request.user, slug, code, "screening.manage_stage")
    domain.reopen_unit(
        contest=stage.contest,
        unit=stage.unit,
        until=payload.until,
        by=request.user,
        reason=payload.reason,
    )
    return _reload(stage)


@router.get("/contests/{slug}/levels", response=list[ScreeningLevelOut])
def overview(request: HttpRequest, slug: str) -> list[ScreeningLevelOut]:
    """Every level of the chain with every unit's counts (the organizer's overview)."""
    contest = contest_or_404(request.user, slug)
    require(request.user, "screening.manage", contest)
    now = timezone.now()
    out = []
    for phase in screening_chain(contest):
        units = level_units(phase=phase, organizer_unit=contest.organizer_unit)
        out.append(
            ScreeningLevelOut(
                phase_id=phase.pk,
                level=phase.level.name if phase.level else "",
                starts_at=phase.starts_at,
                ends_at=phase.ends_at,
                quota=phase.quota or 0,
                totals=level_totals(phase),
                needs_attention=[s.unit.code for s in stages_needing_attention(phase, now)],
                units=[
                    UnitRowOut(
                        unit=u.code,
                        name=u.name,
                        arrived=u.arrived,  # type: ignore[attr-defined]
                        forwarded=u.forwarded,  # type: ignore[attr-defined]
                        rejected=u.rejected,  # type: ignore[attr-defined]
                        pending=u.pending,  # type: ignore[attr-defined]
                        stopped=u.stopped,  # type: ignore[attr-defined]
                        quota=u.s_quota,  # type: ignore[attr-defined]
                        deadline=u.s_reopened_until or phase.ends_at,  # type: ignore[attr-defined]
                        locked=u.s_locked_at is not None,  # type: ignore[attr-defined]
                        signed_off_at=u.s_signed_off_at,  # type: ignore[attr-defined]
                    )
                    for u in units
                ],
            )
        )
    return out


@router.post("/contests/{slug}/reminders", response=list[str])
def reminders(request: HttpRequest, slug: str) -> list[str]:
    """E-mail the coordinators of units that have not acted with the deadline near."""
    contest = contest_or_404(request.user, slug)
    require(request.user, "screening.manage", contest)
    return [s.unit.code for s in domain.send_reminders(contest=contest, by=request.user)]


@router.get("/entries/{public_id}", response=ScreeningProgressOut)
def entry_progress_view(request: HttpRequest, public_id: uuid.UUID) -> ScreeningProgressOut:
    """Where an entry stands at each level and every decision (notes only for screeners)."""
    entry = entry_or_404(request.user, public_id)
    notes = request.user.has_perm("screening.view_notes", entry)
    reached = {i.phase_id: i for i in entry_progress(entry)}
    levels = []
    for phase in screening_chain(entry.contest):
        item = reached.get(phase.pk)
        levels.append(
            LevelReachedOut(
                level=phase.level.name if phase.level else "",
                unit=item.stage.unit.code if item else None,
                state=item.state if item else None,
                reason=item.reason if item else "",
                arrived_at=item.arrived_at if item else None,
                decided_at=item.decided_at if item else None,
            )
        )
    return ScreeningProgressOut(
        entry=entry.public_id,
        title=entry.title,
        levels=levels,
        decisions=[
            DecisionOut(
                at=d.at,
                unit=d.unit.code,
                level=d.phase.level.name if d.phase.level else "",
                kind=d.kind,
                by=str(d.by) if d.by else None,
                reason=d.reason,
                note=d.note if notes else None,
            )
            for d in entry_decisions(entry)
        ],
    )
