"""What the clock does: entries enter screening when it opens, units lock at their deadline.

Both are idempotent: a second run at the same time changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from clipcontest.audit.domain import record
from clipcontest.audit.models import AuditEvent
from clipcontest.contests.eligibility import eligibility_problem, entering_level
from clipcontest.contests.enums import PhaseKind
from clipcontest.contests.models import Contest, Phase
from clipcontest.entries.enums import EntryStatus
from clipcontest.entries.models import Entry

from ..enums import DecisionKind, ScreeningState
from ..models import EntryScreening, ScreeningDecision, UnitScreening
from ..queries import ancestor_at, ancestor_units, screening_chain
from ._common import lock_unit_screening, notify_after_commit

#: The audit action that tells the organizer an entry could not enter screening.
UNPLACED = "screening.entry_unplaced"


@dataclass(frozen=True)
class Placements:
    """Where each waiting entry goes: (phase id, unit id) → entries; and the entries that
    cannot be placed, each with the reason (translated) the organizer is shown."""

    placed: dict[tuple[int, int], list[Entry]]
    unplaced: list[tuple[Entry, str]]


def place_entries(contest: Contest, entries: list[Entry], chain: list[Phase]) -> Placements:
    """Each entry on its own: at its unit's ancestor (or the unit) on the lowest screening
    level at or above it, if its unit may enter the contest (``contests.eligibility``).
    One entry that cannot be placed never stops the others. Reads only (two queries)."""
    level = entering_level(contest)
    placed: dict[tuple[int, int], list[Entry]] = {}
    unplaced: list[tuple[Entry, str]] = []
    eligible = []
    for entry in entries:
        problem = eligibility_problem(
            contest=contest, unit=entry.unit, who=str(entry.team), level=level
        )
        if problem:
            unplaced.append((entry, problem))
        else:
            eligible.append(entry)
    # Every eligible unit lies on the organizer's map, so one lookup serves them all.
    ancestors = ancestor_units([e.unit for e in eligible], [p.level_id for p in chain])
    for entry in eligible:
        for phase in chain:
            unit = ancestor_at(entry.unit, phase.level_id, ancestors)
            if unit is not None:
                placed.setdefault((phase.pk, unit.pk), []).append(entry)
                break
        else:
            unplaced.append(
                (
                    entry,
                    _("No screening level of this contest is at or above %(unit)s.")
                    % {"unit": entry.unit.name},
                )
            )
    return Placements(placed=placed, unplaced=unplaced)


def waiting_entries(contest: Contest) -> list[Entry]:
    """Submitted entries of ``contest`` not yet in screening, oldest first."""
    return list(
        Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED)
        .exclude(Exists(EntryScreening.objects.filter(entry=OuterRef("pk"))))
        .select_related("unit__hierarchy", "unit__level", "team")
        .order_by("submitted_at", "pk")
    )


def unplaced_entries(
    contest: Contest, chain: list[Phase], now: dt.datetime
) -> list[tuple[Entry, str]]:
    """Submitted entries that cannot enter screening, with the reason: what the
    organizer's screening overview lists once screening has opened. Reads only."""
    if not chain or now < chain[0].starts_at:
        return []
    return place_entries(contest, waiting_entries(contest), chain).unplaced


def _report_unplaced(contest: Contest, unplaced: list[tuple[Entry, str]]) -> int:
    """One ``screening.entry_unplaced`` audit event per entry, the first time only (the
    organizer's screening overview lists them while they wait). Returns how many new."""
    if not unplaced:
        return 0
    reported = set(
        AuditEvent.objects.filter(
            action=UNPLACED,
            target_type=Entry._meta.label_lower,
            target_id__in=[str(e.pk) for e, _problem in unplaced],
        ).values_list("target_id", flat=True)
    )
    new = [(e, problem) for e, problem in unplaced if str(e.pk) not in reported]
    for entry, problem in new:
        record(
            action=UNPLACED,
            target=entry,
            contest=contest,
            after={"unit": f"{entry.unit.hierarchy.slug}/{entry.unit.code}", "problem": problem},
        )
    return len(new)


@transaction.atomic
def enter_screening(*, contest: Contest, now: dt.datetime) -> int:
    """Once the lowest screening level has opened, put every submitted entry not yet in
    screening at its unit on that level (or the lowest screening level above its team).

    Each entry is placed on its own (``place_entries``): an entry whose unit may not enter
    the contest, or has no screening level above it, stays waiting and is reported to the
    organizer once (audit event ``screening.entry_unplaced``, listed on the screening
    overview); the others enter. Locks the contest row so two runs cannot both enter the
    same entries; creates the units' screening records, one "arrived" decision per entry
    and one audit event. Returns how many entries entered; idempotent.
    """
    chain = screening_chain(contest)
    if not chain or now < chain[0].starts_at:
        return 0
    Contest.objects.select_for_update().filter(pk=contest.pk).exists()
    waiting = waiting_entries(contest)
    if not waiting:
        return 0
    placements = place_entries(contest, waiting, chain)
    _report_unplaced(contest, placements.unplaced)
    placed = placements.placed
    if not placed:
        return 0
    UnitScreening.objects.bulk_create(
        [UnitScreening(contest=contest, phase_id=p, unit_id=u) for p, u in placed],
        ignore_conflicts=True,
    )
    stages = {
        (s.phase_id, s.unit_id): s
        for s in UnitScreening.objects.filter(phase__in=chain, unit_id__in={u for _p, u in placed})
    }
    items, decisions = [], []
    for key, entries in placed.items():
        stage = stages[key]
        # Entering a unit that already locked (an entry submitted very late) stops at once.
        state = ScreeningState.STOPPED if stage.locked_at else ScreeningState.PENDING
        for entry in entries:
            items.append(
                EntryScreening(
                    entry=entry, stage=stage, phase_id=stage.phase_id, state=state, arrived_at=now
                )
            )
            decisions.append(
                ScreeningDecision(
                    contest=contest,
                    phase_id=stage.phase_id,
                    unit_id=stage.unit_id,
                    entry=entry,
                    kind=DecisionKind.ARRIVED,
                    at=now,
                )
            )
    EntryScreening.objects.bulk_create(items, batch_size=1000)
    ScreeningDecision.objects.bulk_create(decisions, batch_size=1000)
    record(
        action="screening.entered",
        target=contest,
        contest=contest,
        after={"entries": len(items), "units": len(placed)},
    )
    return len(items)


def lock_due_stages(*, now: dt.datetime, contest: Contest | None = None) -> int:
    """Lock every unit whose deadline has passed: its entries not forwarded stop there.

    Each unit in its own transaction, under its row lock; returns how many locked.
    """
    due = UnitScreening.objects.filter(locked_at__isnull=True).filter(
        Q(reopened_until__isnull=True, phase__ends_at__lte=now) | Q(reopened_until__lte=now)
    )
    if contest is not None:
        due = due.filter(contest=contest)
    return sum(lock_stage(stage_id=pk, now=now) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def lock_stage(*, stage_id: int, now: dt.datetime) -> int:
    """Lock one unit at its deadline (1 if it locked now, 0 if not due or already locked).

    Entries still pending or shortlisted become "stopped"; writes a decision and an audit
    event per entry and one for the unit; e-mails the teams after commit.
    """
    stage = lock_unit_screening(stage_id)
    if stage.locked_at is not None or now < stage.deadline():
        return 0
    stopping = list(
        EntryScreening.objects.filter(
            stage=stage, state__in=ScreeningState.undecided()
        ).select_related("entry")
    )
    EntryScreening.objects.filter(pk__in=[i.pk for i in stopping]).update(
        state=ScreeningState.STOPPED, decided_at=now, decided_by=None
    )
    decisions = []
    for item in stopping:
        decisions.append(
            ScreeningDecision.objects.create(
                contest_id=stage.contest_id,
                phase_id=stage.phase_id,
                unit_id=stage.unit_id,
                entry_id=item.entry_id,
                kind=DecisionKind.STOPPED,
                at=now,
            )
        )
        record(
            action="screening.stopped",
            target=item.entry,
            contest=stage.contest,
            before={"unit": stage.unit.code, "state": item.state},
            after={"unit": stage.unit.code, "state": ScreeningState.STOPPED},
        )
    UnitScreening.objects.filter(pk=stage.pk).update(locked_at=now)
    record(
        action="screening.locked",
        target=stage,
        contest=stage.contest,
        after={"deadline": stage.deadline(), "stopped": len(stopping)},
    )
    notify_after_commit(decisions)
    return 1


def run_clock(*, now: dt.datetime) -> int:
    """Enter waiting entries in every contest whose screening has opened, then lock the
    units whose deadline has passed. What the periodic task runs; idempotent."""
    contests = Contest.objects.filter(
        phases__kind=PhaseKind.SCREENING, phases__starts_at__lte=now, phases__ends_at__gt=now
    ).distinct()
    changed = sum(enter_screening(contest=c, now=now) for c in contests)
    return changed + lock_due_stages(now=now)
