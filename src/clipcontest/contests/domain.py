"""Contest editions: create, change, schedule, move phases, publish, clone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clipcontest.audit.domain import record, snapshot
from clipcontest.core.errors import Conflict, DomainError, FieldError
from clipcontest.org.models import Level, Unit

from .enums import ContestStatus, PhaseKind, PrizeKind
from .models import Contest, Phase, PrizeTier
from .timeline import PhaseSpec, state_at, validate_timeline


class CloneStep(Protocol):
    def __call__(self, *, source: Contest, target: Contest, by: Any) -> object: ...


_CLONE_STEPS: list[CloneStep] = []


def register_clone_step(step: CloneStep) -> None:
    """Apps built on contests (screening, voting, judging, results) copy their own
    per-edition settings when an edition is cloned; they register a step here from
    ``AppConfig.ready()``, so this app never imports them."""
    if step not in _CLONE_STEPS:
        _CLONE_STEPS.append(step)


class PrizeGuard(Protocol):
    def __call__(self, *, contest: Contest) -> str | None: ...


class TimelineGuard(Protocol):
    def __call__(
        self, *, contest: Contest, before: list[PhaseSpec], after: list[PhaseSpec]
    ) -> str | None: ...


_PRIZE_GUARDS: list[PrizeGuard] = []
_TIMELINE_GUARDS: list[TimelineGuard] = []


def register_prize_guard(guard: PrizeGuard) -> None:
    """An app above contests (results) says when the prize tiers may no longer change:
    the guard returns the reason shown to the organizer, or None."""
    if guard not in _PRIZE_GUARDS:
        _PRIZE_GUARDS.append(guard)


def register_timeline_guard(guard: TimelineGuard) -> None:
    """An app above contests (results) refuses timeline changes (``before`` → ``after``):
    the guard returns the reason shown to the organizer, or None."""
    if guard not in _TIMELINE_GUARDS:
        _TIMELINE_GUARDS.append(guard)


def prize_tiers_locked(contest: Contest) -> str | None:
    """Why the contest's prize tiers are read-only (e.g. prizes were awarded in a
    published result), or None. Reads only."""
    return next((why for guard in _PRIZE_GUARDS if (why := guard(contest=contest))), None)


def _check_timeline_guards(
    contest: Contest, before: Iterable[Phase], after: list[PhaseInput]
) -> None:
    specs_before, specs_after = _specs(contest, before), _specs(contest, after)
    for guard in _TIMELINE_GUARDS:
        why = guard(contest=contest, before=specs_before, after=specs_after)
        if why:
            raise Conflict(why)


CONTEST_FIELDS = (
    "title",
    "series",
    "edition",
    "organizer_unit",
    "organizer_name",
    "summary",
    "rules_text",
    "entries_per_team",
    "max_video_mb",
    "min_duration_seconds",
    "max_duration_seconds",
    "max_video_height",
    "entry_level",
)


@dataclass(frozen=True)
class PhaseInput:
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    level: Level | None = None
    quota: int | None = None


@dataclass(frozen=True)
class PrizeInput:
    name: str
    count: int = 1
    kind: str = PrizeKind.JURY
    reward: str = ""
    description: str = ""


def _check_contest_values(values: dict[str, Any]) -> None:
    errors = []
    if values.get("min_duration_seconds", 0) >= values.get("max_duration_seconds", 1):
        errors.append(_("The shortest video must be shorter than the longest."))
    if not str(values.get("title", "")).strip():
        errors.append(_("A contest needs a title."))
    if errors:
        raise DomainError(*errors)


def _check_entry_level(organizer_unit: Unit, level: Level | None) -> None:
    """The entering level must be a level of the organizer's map, not above its unit."""
    if level is None:
        return
    if level.hierarchy_id != organizer_unit.hierarchy_id:
        raise FieldError(
            _("The entering level %(level)s belongs to another map than the organizer's unit.")
            % {"level": level.name},
            field="entry_level",
        )
    if level.rank < organizer_unit.level.rank:
        raise FieldError(
            _("Teams cannot enter from the level %(level)s: it is above the organizer's unit.")
            % {"level": level.name},
            field="entry_level",
        )


@transaction.atomic
def create_contest(*, by: Any, slug: str, **values: Any) -> Contest:
    """Create a draft edition. Writes the contest and an audit event."""
    unknown = set(values) - set(CONTEST_FIELDS)
    if unknown:
        raise TypeError(f"unknown contest fields: {sorted(unknown)}")
    _check_contest_values(values)
    _check_entry_level(values["organizer_unit"], values.get("entry_level"))
    try:
        with transaction.atomic():
            contest = Contest.objects.create(slug=slug, created_by=by, **values)
    except IntegrityError as exc:
        # The unique constraints decide; the message says which one refused.
        if Contest.objects.filter(slug=slug).exists():
            raise DomainError(
                _("Another contest already uses the address %(slug)s.") % {"slug": slug},
                code="conflict",
            ) from exc
        raise DomainError(
            _("This series already has an edition number %(n)s.") % {"n": values["edition"]},
            code="conflict",
        ) from exc
    record(
        action="contest.created",
        target=contest,
        contest=contest,
        actor=by,
        after=snapshot(contest, ("slug", *CONTEST_FIELDS)),
    )
    return contest


@transaction.atomic
def update_contest(*, contest: Contest, by: Any, **changes: Any) -> Contest:
    """Change a contest's fields. Writes an audit event with before and after."""
    unknown = set(changes) - set(CONTEST_FIELDS)
    if unknown:
        raise TypeError(f"unknown contest fields: {sorted(unknown)}")
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    before = snapshot(contest, changes)
    merged = {**snapshot(contest, CONTEST_FIELDS), **changes}
    _check_contest_values(merged)
    _check_entry_level(
        changes.get("organizer_unit", contest.organizer_unit),
        changes.get("entry_level", contest.entry_level),
    )
    if "organizer_unit" in changes and contest.phases.filter(kind=PhaseKind.SCREENING).exists():
        new_unit = changes["organizer_unit"]
        if new_unit.hierarchy_id != contest.organizer_unit.hierarchy_id:
            raise DomainError(
                _("Remove the screening phases before moving the contest to another hierarchy.")
            )
    for name, value in changes.items():
        setattr(contest, name, value)
    contest.save()
    record(
        action="contest.updated",
        target=contest,
        contest=contest,
        actor=by,
        before=before,
        after=snapshot(contest, changes),
    )
    return contest


@transaction.atomic
def set_status(*, contest: Contest, status: str, by: Any) -> Contest:
    """Publish, archive or return a contest to draft; logged."""
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if status == ContestStatus.PUBLISHED and not contest.phases.exists():
        raise DomainError(_("Set the timeline before publishing the contest."))
    before = contest.status
    contest.status = ContestStatus(status)
    contest.save(update_fields=["status"])
    record(
        action="contest.status",
        target=contest,
        contest=contest,
        actor=by,
        before={"status": before},
        after={"status": contest.status},
    )
    return contest


def _specs(contest: Contest, phases: Iterable[PhaseInput | Phase]) -> list[PhaseSpec]:
    return [
        PhaseSpec(
            kind=p.kind,
            starts_at=p.starts_at,
            ends_at=p.ends_at,
            quota=p.quota,
            level_rank=p.level.rank if p.level else None,
            level_name=p.level.name if p.level else "",
        )
        for p in phases
    ]


def _validate(contest: Contest, phases: list[PhaseInput]) -> None:
    organizer = contest.organizer_unit
    unknown = sorted({str(p.kind) for p in phases if p.kind not in PhaseKind.values})
    if unknown:
        raise FieldError(
            _("Unknown kind of phase: %(kinds)s. Known kinds: %(known)s.")
            % {"kinds": ", ".join(unknown), "known": ", ".join(PhaseKind.values)},
            field="kind",
        )
    for phase in phases:
        if phase.level is not None and phase.level.hierarchy_id != organizer.hierarchy_id:
            raise DomainError(
                _("The level %(level)s belongs to another hierarchy than the organizer's unit.")
                % {"level": phase.level.name}
            )
        if phase.kind != PhaseKind.SCREENING and phase.level is not None:
            raise DomainError(_("Only screening phases have a level."))
    levels = {lv.rank: lv.name for lv in Level.objects.filter(hierarchy_id=organizer.hierarchy_id)}
    errors = validate_timeline(
        _specs(contest, phases), level_names=levels, organizer_rank=organizer.level.rank
    )
    if errors:
        raise DomainError(*errors)


def _timeline_record(phases: Iterable[Phase | PhaseInput]) -> list[dict[str, Any]]:
    return [
        {
            "kind": p.kind,
            "level": p.level.name if p.level else None,
            "quota": p.quota,
            "starts_at": p.starts_at.isoformat(),
            "ends_at": p.ends_at.isoformat(),
        }
        for p in phases
    ]


@transaction.atomic
def set_timeline(
    *, contest: Contest, phases: list[PhaseInput], by: Any, reason: str = ""
) -> list[Phase]:
    """Replace the contest's phases after validating the whole timeline.

    Phases are matched on (kind, level) so their ids survive; phase states are then
    brought in line with the clock. Writes one audit event.
    """
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    _validate(contest, phases)
    existing = {(p.kind, p.level_id): p for p in contest.phases.select_related("level")}
    _check_timeline_guards(contest, existing.values(), phases)
    before = _timeline_record(existing.values())
    keep: list[int] = []
    for item in phases:
        key = (item.kind, item.level.pk if item.level else None)
        phase = existing.get(key) or Phase(contest=contest, kind=item.kind, level=item.level)
        phase.starts_at, phase.ends_at, phase.quota = item.starts_at, item.ends_at, item.quota
        phase.save()
        keep.append(phase.pk)
    contest.phases.exclude(pk__in=keep).delete()
    record(
        action="contest.timeline_set",
        target=contest,
        contest=contest,
        actor=by,
        before={"phases": before},
        after={"phases": _timeline_record(phases)},
        reason=reason,
    )
    sync_phase_states(contest=contest, now=timezone.now())
    return list(contest.phases.order_by("starts_at"))


@transaction.atomic
def move_phase(
    *, phase: Phase, starts_at: dt.datetime, ends_at: dt.datetime, by: Any, reason: str
) -> Phase:
    """Move one phase by hand (also how an organizer opens or closes it now).

    The whole timeline is validated with the new dates; logged with the reason.
    """
    if not reason.strip():
        raise DomainError(_("Say why the phase is moved."))
    contest = Contest.objects.select_for_update().get(pk=phase.contest_id)
    phases = list(contest.phases.select_related("level"))
    proposed = [
        PhaseInput(
            kind=p.kind,
            level=p.level,
            quota=p.quota,
            starts_at=starts_at if p.pk == phase.pk else p.starts_at,
            ends_at=ends_at if p.pk == phase.pk else p.ends_at,
        )
        for p in phases
    ]
    _validate(contest, proposed)
    _check_timeline_guards(contest, phases, proposed)
    target = next(p for p in phases if p.pk == phase.pk)
    before = {"starts_at": target.starts_at, "ends_at": target.ends_at}
    target.starts_at, target.ends_at = starts_at, ends_at
    target.save(update_fields=["starts_at", "ends_at"])
    record(
        action="phase.moved",
        target=target,
        contest=contest,
        actor=by,
        reason=reason,
        before=before,
        after={"starts_at": starts_at, "ends_at": ends_at},
    )
    sync_phase_states(contest=contest, now=timezone.now())
    target.refresh_from_db()
    return target


def sync_phase_states(*, contest: Contest | None = None, now: dt.datetime) -> int:
    """Open and close phases whose dates say so; each change logged. Returns the count.

    Idempotent: a second run at the same time changes nothing.
    """
    phases = Phase.objects.select_related("contest", "level")
    if contest is not None:
        phases = phases.filter(contest=contest)
    changed = 0
    for phase in phases:
        wanted = state_at(phase.starts_at, phase.ends_at, now)
        if wanted == phase.state:
            continue
        with transaction.atomic():
            updated = Phase.objects.filter(pk=phase.pk, state=phase.state).update(state=wanted)
            if updated:
                record(
                    action=f"phase.{wanted}",
                    target=phase,
                    contest=phase.contest,
                    before={"state": phase.state},
                    after={"state": wanted},
                )
                changed += 1
    return changed


@transaction.atomic
def set_prize_tiers(*, contest: Contest, tiers: list[PrizeInput], by: Any) -> list[PrizeTier]:
    """Replace the ordered prize tiers; logged. Refused (Conflict) once they are
    read-only (``prize_tiers_locked``: prizes were awarded in a published result)."""
    errors = [_("Each prize needs a name.") for t in tiers if not t.name.strip()]
    errors += [_("A prize tier awards at least one prize.") for t in tiers if t.count < 1]
    if errors:
        raise DomainError(*dict.fromkeys(errors))
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    locked = prize_tiers_locked(contest)
    if locked:
        raise Conflict(locked)
    before = [{"name": t.name, "count": t.count, "kind": t.kind} for t in contest.prize_tiers.all()]
    contest.prize_tiers.all().delete()
    created = [
        PrizeTier.objects.create(
            contest=contest,
            position=i,
            name=t.name,
            count=t.count,
            kind=t.kind,
            reward=t.reward,
            description=t.description,
        )
        for i, t in enumerate(tiers, start=1)
    ]
    record(
        action="contest.prizes_set",
        target=contest,
        contest=contest,
        actor=by,
        before={"tiers": before},
        after={"tiers": [{"name": t.name, "count": t.count, "kind": t.kind} for t in tiers]},
    )
    return created


@transaction.atomic
def clone_contest(
    *,
    source: Contest,
    by: Any,
    slug: str,
    title: str,
    edition: int,
    submission_starts_at: dt.datetime,
    organizer_unit: Unit | None = None,
) -> Contest:
    """Start a new edition from an earlier one: rules, limits, entering level, prizes and
    timeline.

    Phases keep their lengths and gaps, shifted so submission opens at
    ``submission_starts_at``; each registered clone step then copies its app's
    settings (rubric, result method, voting and screening settings). With a new
    organizer unit in another hierarchy (e.g. after the 2025 reform), screening levels
    are matched by name; levels that no longer exist are dropped and the new timeline
    must still validate.
    """
    values = snapshot(source, CONTEST_FIELDS)
    values.pop("organizer_unit")
    unit = organizer_unit or source.organizer_unit
    # The entering level is matched by name on the new map, like the screening levels.
    values["entry_level"] = (
        Level.objects.filter(hierarchy_id=unit.hierarchy_id, name=source.entry_level.name).first()
        if source.entry_level
        else None
    )
    values.update(title=title, edition=edition)
    contest = create_contest(by=by, slug=slug, organizer_unit=unit, **values)
    contest.cloned_from = source
    contest.save(update_fields=["cloned_from"])
    phases = list(source.phases.select_related("level"))
    submission = next((p for p in phases if p.kind == PhaseKind.SUBMISSION), None)
    if submission is not None:
        shift = submission_starts_at - submission.starts_at
        levels = {lv.name: lv for lv in Level.objects.filter(hierarchy_id=unit.hierarchy_id)}
        new_phases = []
        for p in phases:
            level = levels.get(p.level.name) if p.level else None
            if p.level and level is None:
                continue
            new_phases.append(
                PhaseInput(
                    kind=p.kind,
                    level=level,
                    quota=p.quota,
                    starts_at=p.starts_at + shift,
                    ends_at=p.ends_at + shift,
                )
            )
        set_timeline(
            contest=contest,
            phases=new_phases,
            by=by,
            reason=_("Cloned from %(title)s") % {"title": source.title},
        )
    set_prize_tiers(
        contest=contest,
        by=by,
        tiers=[
            PrizeInput(
                name=t.name, count=t.count, kind=t.kind, reward=t.reward, description=t.description
            )
            for t in source.prize_tiers.all()
        ],
    )
    for step in _CLONE_STEPS:
        step(source=source, target=contest, by=by)
    record(
        action="contest.cloned",
        target=contest,
        contest=contest,
        actor=by,
        after={"from": source.slug},
    )
    return contest
