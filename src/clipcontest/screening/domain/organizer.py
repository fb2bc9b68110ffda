"""What the organizers do about screening: reopen a unit, remind units, set level rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clipcontest.audit.domain import record
from clipcontest.contests.enums import PhaseKind
from clipcontest.contests.models import Contest, Phase
from clipcontest.core.errors import DomainError
from clipcontest.org.models import Unit

from ..enums import DecisionKind, ScreeningState
from ..models import EntryScreening, ScreeningDecision, ScreeningLevel, UnitScreening
from ..queries import screening_chain, stages_needing_attention
from ._common import ensure_stage, notify_after_commit


def _phase_of(contest: Contest, unit: Unit) -> Phase:
    phase = next((p for p in screening_chain(contest) if p.level_id == unit.level_id), None)
    if phase is None or not unit.is_within(contest.organizer_unit):
        raise DomainError(_("%(unit)s does not screen in this contest.") % {"unit": unit})
    return phase


@transaction.atomic
def reopen_unit(
    *,
    contest: Contest,
    unit: Unit,
    until: dt.datetime,
    by: Any,
    reason: str,
    now: dt.datetime | None = None,
) -> UnitScreening:
    """Give one unit a new deadline at its level (after its deadline, or to extend it).

    Locks the unit's row; entries that had stopped there wait for a decision again;
    writes a decision per such entry and one for the unit, and an audit event with the
    reason; e-mails those teams after commit.
    """
    reason = reason.strip()
    now = now or timezone.now()
    if not reason:
        raise DomainError(_("Say why the unit is reopened."))
    if until <= now:
        raise DomainError(_("The new deadline must be in the future."))
    phase = _phase_of(contest, unit)
    if now < phase.starts_at:
        raise DomainError(_("Screening at this level has not started yet."))
    stage = ensure_stage(phase, unit)
    before = {"deadline": stage.deadline(), "locked_at": stage.locked_at}
    stopped = list(EntryScreening.objects.filter(stage=stage, state=ScreeningState.STOPPED))
    EntryScreening.objects.filter(pk__in=[i.pk for i in stopped]).update(
        state=ScreeningState.PENDING, decided_at=None, decided_by=None
    )
    common = {"contest": contest, "phase": phase, "unit": unit, "by": by, "at": now}
    decisions = [
        ScreeningDecision.objects.create(
            entry_id=item.entry_id, kind=DecisionKind.REOPENED, reason=reason, **common
        )
        for item in stopped
    ]
    ScreeningDecision.objects.create(
        kind=DecisionKind.REOPENED, reason=reason, notified_at=now, **common
    )
    UnitScreening.objects.filter(pk=stage.pk).update(locked_at=None, reopened_until=until)
    record(
        action="screening.reopened",
        target=stage,
        contest=contest,
        actor=by,
        before=before,
        after={"deadline": until, "entries_back": [i.entry_id for i in stopped]},
        reason=reason,
    )
    notify_after_commit(decisions)
    stage.refresh_from_db()
    return stage


@transaction.atomic
def send_reminders(
    *, contest: Contest, by: Any, now: dt.datetime | None = None, phase: Phase | None = None
) -> list[UnitScreening]:
    """E-mail the coordinators of every unit with undecided entries, nothing forwarded
    and its deadline within the attention window (at one level, or at every level).

    Writes a "reminded" decision per unit and one audit event; the e-mails leave after
    commit. Returns the units reminded.
    """
    now = now or timezone.now()
    phases = [phase] if phase is not None else screening_chain(contest)
    stages = [s for p in phases for s in stages_needing_attention(p, now)]
    decisions = [
        ScreeningDecision.objects.create(
            contest=contest,
            phase_id=s.phase_id,
            unit_id=s.unit_id,
            kind=DecisionKind.REMINDED,
            by=by,
            at=now,
        )
        for s in stages
    ]
    UnitScreening.objects.filter(pk__in=[s.pk for s in stages]).update(reminded_at=now)
    record(
        action="screening.reminded",
        target=contest,
        contest=contest,
        actor=by,
        after={"units": [s.unit.code for s in stages]},
    )
    notify_after_commit(decisions)
    return stages


@transaction.atomic
def configure_level(
    *,
    phase: Phase,
    by: Any,
    reason_required: bool,
    quota_overrides: dict[Unit, int | None] | None = None,
) -> ScreeningLevel:
    """Set whether rejections need a reason at ``phase``'s level and, per unit, a quota
    other than the level's (e.g. larger units forward more); None restores the level's.

    Locks each changed unit's row so a quota never drops below what it already
    forwarded; writes one audit event.
    """
    contest = phase.contest
    errors = []
    for unit, quota in (quota_overrides or {}).items():
        if unit.level_id != phase.level_id or not unit.is_within(contest.organizer_unit):
            errors.append(_("%(unit)s is not a unit of this level.") % {"unit": unit})
        elif quota is not None and quota < 1:
            errors.append(_("The quota of %(unit)s must be at least 1.") % {"unit": unit})
    if errors:
        raise DomainError(*errors)
    settings, _created = ScreeningLevel.objects.update_or_create(
        phase=phase, defaults={"reason_required": reason_required}
    )
    changed = {}
    for unit, quota in (quota_overrides or {}).items():
        stage = ensure_stage(phase, unit)
        if quota is not None and quota < stage.forwarded_count:
            errors.append(
                _("%(unit)s has already forwarded %(n)s entries.")
                % {"unit": unit, "n": stage.forwarded_count}
            )
            continue
        UnitScreening.objects.filter(pk=stage.pk).update(quota_override=quota)
        changed[unit.code] = quota
    if errors:
        raise DomainError(*errors)
    record(
        action="screening.level_configured",
        target=phase,
        contest=contest,
        actor=by,
        after={"reason_required": reason_required, "quota_overrides": changed},
    )
    return settings


def clone_level_settings(*, source: Contest, target: Contest, by: Any) -> int:
    """Carry each level's "rejection needs a reason" rule over to a cloned edition,
    matching levels by name (a contests clone step). Per-unit quota overrides are not
    copied: units may have changed. Returns how many levels were configured."""
    wanted = {
        s.phase.level.name: s.reason_required
        for s in ScreeningLevel.objects.filter(phase__contest=source).select_related("phase__level")
        if s.phase.level is not None
    }
    copied = 0
    phases = Phase.objects.filter(contest=target, kind=PhaseKind.SCREENING).select_related(
        "level", "contest"
    )
    for phase in phases:
        if phase.level is not None and phase.level.name in wanted:
            configure_level(phase=phase, by=by, reason_required=wanted[phase.level.name])
            copied += 1
    return copied
