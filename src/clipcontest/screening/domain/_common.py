"""Helpers shared by the screening domain modules: the row lock and the notices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clipcontest.contests.models import Contest, Phase
from clipcontest.core.errors import NotAllowed
from clipcontest.org.models import Unit

from ..enums import DecisionKind
from ..models import EntryScreening, ScreeningDecision, UnitScreening


def when(value: dt.datetime) -> str:
    return date_format(timezone.localtime(value), "j/n/Y H:i")


def lock_unit_screening(stage_id: int) -> UnitScreening:
    """The one place screening takes its row lock (inside the caller's transaction).

    Whoever holds it is the only one changing this unit's entries at this level, so
    counts read after it (the quota) cannot be raced. SQLite serializes writers anyway
    (BEGIN IMMEDIATE); PostgreSQL blocks here until the other transaction ends.
    """
    return (
        UnitScreening.objects.select_for_update(of=("self",))
        .select_related("phase__level", "unit", "contest")
        .get(pk=stage_id)
    )


def ensure_stage(phase: Phase, unit: Unit) -> UnitScreening:
    """The unit's record at ``phase``, created if missing (the unique constraint settles a
    race), then locked."""
    stage, _created = UnitScreening.objects.get_or_create(
        phase=phase, unit=unit, defaults={"contest_id": phase.contest_id}
    )
    return lock_unit_screening(stage.pk)


def locked_stage(contest: Contest, unit: Unit) -> UnitScreening:
    stage_id = (
        UnitScreening.objects.filter(contest=contest, unit=unit)
        .values_list("pk", flat=True)
        .first()
    )
    if stage_id is None:
        raise NotAllowed(_("No entry has reached %(unit)s in this contest.") % {"unit": unit})
    return lock_unit_screening(stage_id)


def notify_after_commit(decisions: Iterable[ScreeningDecision]) -> None:
    ids = [d.pk for d in decisions]
    if not ids:
        return
    from ..tasks import send_screening_notices

    transaction.on_commit(lambda: send_screening_notices(ids))


def arrive(*, entry_id: int, stage: UnitScreening, now: dt.datetime) -> EntryScreening:
    item = EntryScreening.objects.create(
        entry_id=entry_id, stage=stage, phase_id=stage.phase_id, arrived_at=now
    )
    ScreeningDecision.objects.create(
        contest_id=stage.contest_id,
        phase_id=stage.phase_id,
        unit_id=stage.unit_id,
        entry_id=entry_id,
        kind=DecisionKind.ARRIVED,
        at=now,
    )
    return item
