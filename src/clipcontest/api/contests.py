"""Contest editions through the API: the same domain functions as the organizer's pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from clipcontest.audit.models import AuditEvent
from clipcontest.contests import domain
from clipcontest.contests.enums import ContestStatus
from clipcontest.contests.models import Contest, Phase
from clipcontest.core.errors import DomainError, FieldError
from clipcontest.org.models import Level, Unit

from .auth import ANYONE, SIGNED_IN
from .lookups import unit_by_ref, visible_contest
from .schemas import (
    AuditOut,
    CloneIn,
    ContestIn,
    ContestOut,
    ContestPatch,
    PhaseIn,
    PhaseMoveIn,
    PhaseOut,
    PrizeIO,
    StatusIn,
)

router = Router(tags=["contests"])


def _phase_out(p: Phase) -> PhaseOut:
    return PhaseOut(
        id=p.pk,
        kind=p.kind,
        level=p.level.name if p.level else None,
        quota=p.quota,
        starts_at=p.starts_at,
        ends_at=p.ends_at,
        state=p.state,
    )


def contest_out(c: Contest) -> ContestOut:
    unit = c.organizer_unit
    return ContestOut(
        slug=c.slug,
        series=c.series,
        title=c.title,
        edition=c.edition,
        status=c.status,
        organizer_unit=f"{unit.hierarchy.slug}/{unit.code}",
        organizer_name=c.organizer_name,
        summary=c.summary,
        rules_text=c.rules_text,
        entries_per_team=c.entries_per_team,
        max_video_mb=c.max_video_mb,
        min_duration_seconds=c.min_duration_seconds,
        max_duration_seconds=c.max_duration_seconds,
        max_video_height=c.max_video_height,
        entry_level=c.entry_level.name if c.entry_level else None,
        phases=[_phase_out(p) for p in c.phases.all()],
        prizes=[
            PrizeIO(
                name=t.name, count=t.count, kind=t.kind, reward=t.reward, description=t.description
            )
            for t in c.prize_tiers.all()
        ],
    )


def _contests() -> QuerySet[Contest]:
    return Contest.objects.select_related(
        "organizer_unit__hierarchy", "entry_level"
    ).prefetch_related("phases__level", "prize_tiers")


def _managed(request: HttpRequest, slug: str) -> Contest:
    contest = visible_contest(request, slug)
    if not request.user.has_perm("contests.change_contest", contest):
        raise PermissionDenied
    return contest


def _entry_level(unit: Unit, name: str | None) -> Level | None:
    """The level named ``name`` on the organizer unit's map (None for no name)."""
    if not name:
        return None
    level = Level.objects.filter(hierarchy_id=unit.hierarchy_id, name=name).first()
    if level is None:
        raise FieldError(
            _("The map %(map)s has no level %(level)s.")
            % {"map": unit.hierarchy.name, "level": name},
            field="entry_level",
        )
    return level


def _reload(contest: Contest) -> ContestOut:
    return contest_out(_contests().get(pk=contest.pk))


@router.get("", response=list[ContestOut], auth=ANYONE)
@paginate(LimitOffsetPagination)
def contests(request: HttpRequest) -> list[ContestOut]:
    """Public contests, plus drafts the caller may see."""
    visible = [
        c
        for c in _contests().order_by("-created_at")
        if c.status in ContestStatus.public() or request.user.has_perm("contests.view_contest", c)
    ]
    return [contest_out(c) for c in visible]


@router.get("/{slug}", response=ContestOut, auth=ANYONE)
def contest_detail(request: HttpRequest, slug: str) -> ContestOut:
    return _reload(visible_contest(request, slug))


@router.post("", response={201: ContestOut}, auth=SIGNED_IN)
def contest_create(request: HttpRequest, payload: ContestIn) -> Status[ContestOut]:
    if not request.user.has_perm("contests.add_contest"):
        raise PermissionDenied
    values = payload.dict()
    unit = unit_by_ref(values.pop("organizer_unit"))
    if not request.user.has_perm("org.organize_unit", unit):
        raise PermissionDenied
    values["entry_level"] = _entry_level(unit, values.get("entry_level"))
    contest = domain.create_contest(
        by=request.user, slug=values.pop("slug"), organizer_unit=unit, **values
    )
    return Status(201, _reload(contest))


@router.patch("/{slug}", response=ContestOut, auth=SIGNED_IN)
def contest_update(request: HttpRequest, slug: str, payload: ContestPatch) -> ContestOut:
    contest = _managed(request, slug)
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    if "entry_level" in changes:
        changes["entry_level"] = _entry_level(contest.organizer_unit, changes["entry_level"])
    domain.update_contest(contest=contest, by=request.user, **changes)
    return _reload(contest)


@router.put("/{slug}/timeline", response=ContestOut, auth=SIGNED_IN)
def contest_timeline(request: HttpRequest, slug: str, payload: list[PhaseIn]) -> ContestOut:
    """Replace the timeline. 422 (with ``field``) for an unknown phase kind or level;
    409 when a published result forbids moving phases (withdraw it first)."""
    contest = _managed(request, slug)
    levels = {
        lv.name: lv for lv in Level.objects.filter(hierarchy_id=contest.organizer_unit.hierarchy_id)
    }
    unknown = [p.level for p in payload if p.level and p.level not in levels]
    if unknown:
        raise FieldError(
            _("The map %(map)s has no level %(level)s.")
            % {"map": contest.organizer_unit.hierarchy.name, "level": ", ".join(unknown)},
            field="level",
        )
    phases = [
        domain.PhaseInput(
            kind=p.kind,
            level=levels[p.level] if p.level else None,
            quota=p.quota,
            starts_at=p.starts_at,
            ends_at=p.ends_at,
        )
        for p in payload
    ]
    domain.set_timeline(contest=contest, phases=phases, by=request.user)
    return _reload(contest)


@router.post("/{slug}/phases/{phase_id}/move", response=PhaseOut, auth=SIGNED_IN)
def phase_move(request: HttpRequest, slug: str, phase_id: int, payload: PhaseMoveIn) -> PhaseOut:
    contest = _managed(request, slug)
    phase = get_object_or_404(Phase, pk=phase_id, contest=contest)
    moved = domain.move_phase(
        phase=phase,
        by=request.user,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        reason=payload.reason,
    )
    return _phase_out(moved)


@router.put("/{slug}/prizes", response=ContestOut, auth=SIGNED_IN)
def contest_prizes(request: HttpRequest, slug: str, payload: list[PrizeIO]) -> ContestOut:
    """Replace the prize tiers. 409 once prizes were awarded in a published result (the
    tiers are then read-only)."""
    contest = _managed(request, slug)
    domain.set_prize_tiers(
        contest=contest, by=request.user, tiers=[domain.PrizeInput(**p.dict()) for p in payload]
    )
    return _reload(contest)


@router.post("/{slug}/status", response=ContestOut, auth=SIGNED_IN)
def contest_status(request: HttpRequest, slug: str, payload: StatusIn) -> ContestOut:
    contest = _managed(request, slug)
    if payload.status not in ContestStatus.values:
        raise DomainError(f"Unknown status {payload.status!r}")
    domain.set_status(contest=contest, status=payload.status, by=request.user)
    return _reload(contest)


@router.post("/{slug}/clone", response={201: ContestOut}, auth=SIGNED_IN)
def contest_clone(request: HttpRequest, slug: str, payload: CloneIn) -> Status[ContestOut]:
    source = _managed(request, slug)
    if not request.user.has_perm("contests.add_contest"):
        raise PermissionDenied
    unit = unit_by_ref(payload.organizer_unit) if payload.organizer_unit else None
    if unit is not None and not request.user.has_perm("org.organize_unit", unit):
        raise PermissionDenied
    contest = domain.clone_contest(
        source=source,
        by=request.user,
        slug=payload.slug,
        title=payload.title,
        edition=payload.edition,
        submission_starts_at=payload.submission_starts_at,
        organizer_unit=unit,
    )
    return Status(201, _reload(contest))


@router.get("/{slug}/audit", response=list[AuditOut], auth=SIGNED_IN)
@paginate(LimitOffsetPagination)
def contest_audit(request: HttpRequest, slug: str) -> list[AuditOut]:
    contest = visible_contest(request, slug)
    if not request.user.has_perm("contests.view_audit", contest):
        raise PermissionDenied
    events = AuditEvent.objects.filter(contest=contest).select_related("actor")
    return [
        AuditOut(
            at=e.at,
            actor=e.actor.username if e.actor else None,
            via=e.via,
            ip=e.ip,
            action=e.action,
            target_type=e.target_type,
            target_id=e.target_id,
            target_repr=e.target_repr,
            before=e.before,
            after=e.after,
            reason=e.reason,
        )
        for e in events
    ]
