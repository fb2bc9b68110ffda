"""Units (public) and teams (members, coordinators and organizers above them)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from clipcontest.org import domain as org
from clipcontest.org.models import Hierarchy, Team, Unit

from .auth import ANYONE, SIGNED_IN
from .lookups import unit_by_ref
from .schemas import HierarchyOut, LevelOut, TeamIn, TeamOut, UnitDetailOut, UnitOut

router = Router(tags=["units"])


def _unit_out(unit: Unit, parent_code: str | None) -> UnitOut:
    return UnitOut(
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        level=unit.level.name,
        depth=unit.depth,
        parent_code=parent_code,
        path=unit.path,
    )


@router.get("/hierarchies", response=list[HierarchyOut], auth=ANYONE)
def hierarchies(request: HttpRequest) -> list[HierarchyOut]:
    return [
        HierarchyOut(
            slug=h.slug,
            name=h.name,
            source=h.source,
            levels=[LevelOut(name=lv.name, rank=lv.rank) for lv in h.levels.all()],
        )
        for h in Hierarchy.objects.prefetch_related("levels")
    ]


@router.get("/{hierarchy}/{code}", response=UnitDetailOut, auth=ANYONE)
def unit_detail(request: HttpRequest, hierarchy: str, code: str) -> UnitDetailOut:
    unit = unit_by_ref(f"{hierarchy}/{code}")
    children = unit.children.select_related("level").order_by("name")
    return UnitDetailOut(
        **_unit_out(unit, unit.parent.code if unit.parent else None).dict(),
        children=[_unit_out(c, unit.code) for c in children],
    )


@router.get("/{hierarchy}/{code}/subtree", response=list[UnitOut], auth=ANYONE)
@paginate(LimitOffsetPagination)
def subtree(
    request: HttpRequest, hierarchy: str, code: str, level: str | None = None
) -> list[UnitOut]:
    unit = unit_by_ref(f"{hierarchy}/{code}")
    units = Unit.objects.subtree_of(unit).select_related("level", "parent").order_by("path")
    if level:
        units = units.filter(level__name=level)
    return [_unit_out(u, u.parent.code if u.parent else None) for u in units]


teams_router = Router(tags=["teams"])


def _team_out(team: Team) -> TeamOut:
    return TeamOut(
        id=team.pk,
        name=team.name,
        unit=f"{team.unit.hierarchy.slug}/{team.unit.code}",
        unit_name=team.unit.name,
        members=getattr(team, "member_count", 0),
    )


@teams_router.get("", response=list[TeamOut], auth=SIGNED_IN)
def teams(request: HttpRequest, unit: str) -> list[TeamOut]:
    """Teams of a unit's subtree; only for those who manage that unit."""
    where = unit_by_ref(unit)
    if not request.user.has_perm("org.manage_unit", where):
        raise PermissionDenied
    qs = (
        Team.objects.filter(
            unit__hierarchy_id=where.hierarchy_id, unit__path__startswith=where.path
        )
        .select_related("unit__hierarchy")
        .annotate(member_count=Count("memberships"))
    )
    return [_team_out(t) for t in qs]


@teams_router.get("/{team_id}", response=TeamOut, auth=SIGNED_IN)
def team_detail(request: HttpRequest, team_id: int) -> TeamOut:
    team = get_object_or_404(
        Team.objects.select_related("unit__hierarchy").annotate(member_count=Count("memberships")),
        pk=team_id,
    )
    if not request.user.has_perm("org.view_team", team):
        raise PermissionDenied
    return _team_out(team)


@teams_router.post("", response={201: TeamOut}, auth=SIGNED_IN)
def team_create(request: HttpRequest, payload: TeamIn) -> Status[TeamOut]:
    unit = unit_by_ref(payload.unit)
    if not request.user.has_perm("org.add_team", unit):
        raise PermissionDenied
    team = org.create_team(
        unit=unit, name=payload.name, contact_email=payload.contact_email, by=request.user
    )
    team = Team.objects.select_related("unit__hierarchy").get(pk=team.pk)
    return Status(201, _team_out(team))
