"""What coordinators (and organizers acting for a unit) decide: shortlist, reject, clear,
forward with sign-off, withdraw a forward.

Every function takes the unit's row lock first (``lock_unit_screening``), checks the
level's window, writes the entries' new states, a decision per entry and an audit event
in the same transaction, and e-mails the teams after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from clipcontest.audit.domain import record
from clipcontest.contests.models import Contest
from clipcontest.core.errors import Conflict, DomainError, NotAllowed
from clipcontest.entries.domain import publish_entries, unpublish_entry
from clipcontest.entries.enums import EntryStatus
from clipcontest.entries.models import Entry
from clipcontest.org.models import Unit

from ..enums import DecisionKind, ScreeningState
from ..models import EntryScreening, ScreeningDecision, UnitScreening
from ..queries import (
    ancestor_at,
    ancestor_units,
    next_phase,
    processing_entry_ids,
    ready_entry_ids,
    reason_required,
    screening_chain,
)
from ._common import (
    arrive,
    ensure_stage,
    lock_unit_screening,
    locked_stage,
    notify_after_commit,
    when,
)


def _require_open(stage: UnitScreening, now: dt.datetime) -> None:
    if now < stage.phase.starts_at:
        raise DomainError(
            _("Screening at the level %(level)s opens on %(date)s.")
            % {"level": stage.phase.level, "date": when(stage.phase.starts_at)},
            code="not_open",
        )
    if not stage.is_open(now):
        raise DomainError(
            _("The deadline for %(unit)s at this level has passed (%(date)s).")
            % {"unit": stage.unit, "date": when(stage.deadline())},
            code="closed",
        )


def _item(stage: UnitScreening, entry: Entry, *, allow_withdrawn: bool = False) -> EntryScreening:
    item = (
        EntryScreening.objects.select_related("entry__team")
        .filter(stage=stage, entry_id=entry.pk)
        .first()
    )
    if item is None:
        raise NotAllowed(
            _("The entry “%(title)s” has not reached %(unit)s.")
            % {"title": entry.title, "unit": stage.unit}
        )
    item.stage = stage
    if item.entry.status != EntryStatus.SUBMITTED and not allow_withdrawn:
        raise DomainError(_("The team has withdrawn this entry."))
    return item


def _decide(
    *,
    item: EntryScreening,
    kind: DecisionKind,
    by: Any,
    now: dt.datetime,
    state: ScreeningState | None = None,
    reason: str = "",
    note: str = "",
) -> ScreeningDecision:
    """Move ``item`` to ``state`` (if given) and write the decision and its audit event."""
    before = item.state
    if state is not None:
        EntryScreening.objects.filter(pk=item.pk).update(
            state=state, reason=reason, note=note, decided_at=now, decided_by=by
        )
        item.state = state
    decision = ScreeningDecision.objects.create(
        contest_id=item.stage.contest_id,
        phase_id=item.phase_id,
        unit_id=item.stage.unit_id,
        entry_id=item.entry_id,
        kind=kind,
        reason=reason,
        note=note,
        by=by,
        at=now,
    )
    record(
        action=f"screening.{kind}",
        target=item.entry,
        contest=item.stage.contest,
        actor=by,
        before={"unit": item.stage.unit.code, "state": before},
        after={"unit": item.stage.unit.code, "state": item.state, "note": note},
        reason=reason,
    )
    return decision


def _change_state(
    *,
    entry: Entry,
    unit: Unit,
    by: Any,
    state: ScreeningState,
    kind: DecisionKind,
    reason: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> ScreeningDecision | None:
    now = now or timezone.now()
    stage = locked_stage(entry.contest, unit)
    _require_open(stage, now)
    item = _item(stage, entry)
    if item.state not in ScreeningState.decidable():
        if item.state in ScreeningState.passed():
            raise DomainError(_("This entry has been forwarded; withdraw the forward first."))
        raise DomainError(_("This entry is no longer in screening at %(unit)s.") % {"unit": unit})
    if state == ScreeningState.REJECTED and not reason and reason_required(stage.phase):
        raise DomainError(_("Give the team a reason for not selecting their entry."))
    if item.state == state and item.reason == reason and item.note == note:
        return None  # nothing changes: a double click writes nothing twice
    if state == ScreeningState.SHORTLISTED and entry.pk not in ready_entry_ids([entry.pk]):
        raise DomainError(
            _("The video of “%(title)s” is not ready yet; watch it before shortlisting.")
            % {"title": item.entry.title},
            code="video_not_ready",
        )
    if state == ScreeningState.REJECTED and entry.pk in processing_entry_ids([entry.pk]):
        raise DomainError(
            _("The video of “%(title)s” is still being processed; watch it before deciding.")
            % {"title": item.entry.title},
            code="video_not_ready",
        )
    decision = _decide(item=item, kind=kind, by=by, now=now, state=state, reason=reason, note=note)
    notify_after_commit([decision])
    return decision


@transaction.atomic
def shortlist_entry(
    *, entry: Entry, unit: Unit, by: Any, note: str = "", now: dt.datetime | None = None
) -> ScreeningDecision | None:
    """Put an entry that reached ``unit`` on its shortlist (its video must be watchable).

    Locks the unit's screening row, writes a decision and an audit event, e-mails the team
    after commit. Returns None when the entry was already shortlisted with this note.
    """
    return _change_state(
        entry=entry,
        unit=unit,
        by=by,
        state=ScreeningState.SHORTLISTED,
        kind=DecisionKind.SHORTLISTED,
        note=note.strip(),
        now=now,
    )


@transaction.atomic
def reject_entry(
    *,
    entry: Entry,
    unit: Unit,
    by: Any,
    reason: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> ScreeningDecision | None:
    """Mark an entry not selected at ``unit``; ``reason`` is shown to the team (required
    when the level says so), ``note`` only to screeners.

    Locks the unit's screening row, writes a decision and an audit event, e-mails the team
    after commit.
    """
    return _change_state(
        entry=entry,
        unit=unit,
        by=by,
        state=ScreeningState.REJECTED,
        kind=DecisionKind.REJECTED,
        reason=reason.strip(),
        note=note.strip(),
        now=now,
    )


@transaction.atomic
def clear_decision(
    *, entry: Entry, unit: Unit, by: Any, note: str = "", now: dt.datetime | None = None
) -> ScreeningDecision | None:
    """Take an entry back off the shortlist (or undo a rejection): it waits again.

    Locks the unit's screening row, writes a decision and an audit event, e-mails the team
    after commit.
    """
    return _change_state(
        entry=entry,
        unit=unit,
        by=by,
        state=ScreeningState.PENDING,
        kind=DecisionKind.CLEARED,
        note=note.strip(),
        now=now,
    )


def _forwardable(stage: UnitScreening, entries: list[Entry]) -> list[EntryScreening]:
    wanted = {e.pk for e in entries}
    if not wanted:
        raise DomainError(_("Choose the shortlisted entries to forward."))
    items = list(
        EntryScreening.objects.select_related("entry__team").filter(stage=stage, entry__in=wanted)
    )
    if len(items) != len(wanted):
        raise NotAllowed(
            _("Some of these entries have not reached %(unit)s.") % {"unit": stage.unit}
        )
    errors = []
    ready = ready_entry_ids(wanted)
    for item in items:
        item.stage = stage
        title = {"title": item.entry.title}
        if item.entry.status != EntryStatus.SUBMITTED:
            errors.append(_("The team has withdrawn “%(title)s”.") % title)
        elif item.state != ScreeningState.SHORTLISTED:
            errors.append(_("“%(title)s” is not on the shortlist.") % title)
        elif item.entry_id not in ready:
            errors.append(_("The video of “%(title)s” is not ready yet.") % title)
    if errors:
        raise DomainError(*errors)
    return items


def _upper_stage(stage: UnitScreening, now: dt.datetime) -> UnitScreening | None:
    """The locked record of the unit one level up, or None when ``stage`` is the top."""
    upper = next_phase(screening_chain(stage.contest), stage.phase)
    if upper is None:
        return None
    unit = ancestor_at(stage.unit, upper.level_id, ancestor_units([stage.unit], [upper.level_id]))
    if unit is None:  # the timeline validation makes the chain contiguous, so never
        raise DomainError(_("This unit has no unit above it at the next screening level."))
    upper_stage = ensure_stage(upper, unit)
    if upper_stage.locked_at is not None or now >= upper_stage.deadline():
        raise Conflict(
            _("Screening at %(unit)s has closed; ask the organizers to reopen it.") % {"unit": unit}
        )
    return upper_stage


@transaction.atomic
def forward_entries(
    *,
    contest: Contest,
    unit: Unit,
    entries: Iterable[Entry],
    by: Any,
    note: str = "",
    now: dt.datetime | None = None,
) -> list[ScreeningDecision]:
    """Forward shortlisted entries from ``unit`` to its unit one level up, signed off by
    ``by`` (at the top level they become finalists).

    Locks the unit's screening row and refuses, with nothing written, anything over the
    unit's quota; writes a decision and an audit event per entry, the sign-off (who,
    when) and the forwarded count; e-mails the teams after commit. ``now`` replays a
    past decision (the demo); live callers leave it out.
    """
    now = now or timezone.now()
    stage = locked_stage(contest, unit)
    _require_open(stage, now)
    items = _forwardable(stage, list(entries))
    left = stage.quota() - stage.forwarded_count
    if len(items) > left:
        raise Conflict(
            _(
                "%(unit)s may forward %(quota)s entries at this level and has forwarded "
                "%(done)s; %(n)s more would exceed the quota."
            )
            % {
                "unit": unit,
                "quota": stage.quota(),
                "done": stage.forwarded_count,
                "n": len(items),
            },
            code="over_quota",
        )
    upper = _upper_stage(stage, now)
    state = ScreeningState.FORWARDED if upper else ScreeningState.FINALIST
    decisions = []
    for item in items:
        decisions.append(
            _decide(item=item, kind=DecisionKind.FORWARDED, by=by, now=now, state=state, note=note)
        )
        if upper is not None:
            arrive(entry_id=item.entry_id, stage=upper, now=now)
    UnitScreening.objects.filter(pk=stage.pk).update(
        forwarded_count=F("forwarded_count") + len(items), signed_off_by=by, signed_off_at=now
    )
    if state == ScreeningState.FINALIST:
        publish_entries(entry_ids=[i.entry_id for i in items], by=by, now=now)
    record(
        action="screening.signed_off",
        target=stage,
        contest=contest,
        actor=by,
        after={
            "forwarded": [i.entry_id for i in items],
            "total": stage.forwarded_count + len(items),
        },
    )
    notify_after_commit(decisions)
    return decisions


@transaction.atomic
def withdraw_forward(
    *, entry: Entry, unit: Unit, by: Any, reason: str, now: dt.datetime | None = None
) -> ScreeningDecision:
    """Take back a forward before the level's deadline: the entry returns to the unit's
    shortlist and leaves the level above (only while that level has not decided on it).

    Locks the unit's row, then the upper unit's row; frees one place of the quota;
    writes a decision and an audit event; e-mails the team after commit.
    """
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the forward is withdrawn."))
    now = now or timezone.now()
    stage = locked_stage(entry.contest, unit)
    _require_open(stage, now)
    item = _item(stage, entry, allow_withdrawn=True)
    if item.state not in ScreeningState.passed():
        raise DomainError(_("This entry has not been forwarded."))
    upper = next_phase(screening_chain(stage.contest), stage.phase)
    if upper is not None:
        above = EntryScreening.objects.filter(entry=entry, phase=upper).first()
        if above is not None:
            lock_unit_screening(above.stage_id)
            above.refresh_from_db()
            if above.state != ScreeningState.PENDING:
                raise Conflict(
                    _("The level above has already decided on this entry; the forward stands.")
                )
            above.delete()
    decision = _decide(
        item=item,
        kind=DecisionKind.FORWARD_WITHDRAWN,
        by=by,
        now=now,
        state=ScreeningState.SHORTLISTED,
        reason=reason,
    )
    UnitScreening.objects.filter(pk=stage.pk).update(forwarded_count=F("forwarded_count") - 1)
    if upper is None:  # a finalist goes back to the shortlist: out of public view
        unpublish_entry(entry=entry, by=by, reason=reason)
    notify_after_commit([decision])
    return decision
