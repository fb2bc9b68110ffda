"""Who may enter a contest: teams of units inside the organizer's unit, on the contest's
map, at the entering level or below it.

The rule itself (``refusal``) is plain data in, a reason out; ``eligibility_problem`` and
``require_eligible`` apply it to stored units with a translated message. Every path that
attaches a team to a contest (the entry form, the API, the demo) calls
``require_eligible`` through ``entries.domain``; the screening clock calls
``eligibility_problem`` to report entries it cannot place.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.utils.translation import gettext as _

from clipcontest.core.errors import FieldError
from clipcontest.org.models import Level, Team, Unit

from .enums import PhaseKind
from .models import Contest, Phase


class Refusal(enum.Enum):
    OTHER_MAP = "other_map"
    OUTSIDE = "outside"
    LEVEL = "level"


@dataclass(frozen=True)
class Place:
    """Where a unit sits: its map (hierarchy), its path of codes and its level's rank."""

    hierarchy: int
    path: str
    rank: int


def refusal(*, unit: Place, organizer: Place, entry_rank: int) -> Refusal | None:
    """Why a team of ``unit`` may not enter (None: it may). Ranks grow downwards."""
    if unit.hierarchy != organizer.hierarchy:
        return Refusal.OTHER_MAP
    if not unit.path.startswith(organizer.path):
        return Refusal.OUTSIDE
    if unit.rank < entry_rank:
        return Refusal.LEVEL
    return None


def entering_level(contest: Contest) -> Level:
    """The contest's entering level: its setting, else the lowest screening level, else
    the organizer's own level (no screening: any unit inside the organizer's)."""
    if contest.entry_level_id is not None:
        return Level.objects.get(pk=contest.entry_level_id)
    lowest = (
        Phase.objects.filter(contest=contest, kind=PhaseKind.SCREENING, level__isnull=False)
        .select_related("level")
        .order_by("-level__rank")
        .first()
    )
    if lowest is not None and lowest.level is not None:
        return lowest.level
    return contest.organizer_unit.level


def _place(unit: Unit) -> Place:
    return Place(hierarchy=unit.hierarchy_id, path=unit.path, rank=unit.level.rank)


def eligibility_problem(
    *, contest: Contest, unit: Unit, who: str, level: Level | None = None
) -> str | None:
    """A translated sentence saying why ``who`` (a team, of ``unit``) may not enter
    ``contest``, or None. ``level`` is the entering level when the caller already has it
    (checking many entries). Reads only."""
    organizer = contest.organizer_unit
    level = level or entering_level(contest)
    why = refusal(unit=_place(unit), organizer=_place(organizer), entry_rank=level.rank)
    names = {"team": who, "unit": unit.name, "organizer": organizer.name}
    if why is Refusal.OTHER_MAP:
        return _(
            "%(team)s belongs to %(unit)s on the map %(map)s; this contest uses the map "
            "%(contest_map)s and is open to teams of units inside %(organizer)s."
        ) % {**names, "map": unit.hierarchy.name, "contest_map": organizer.hierarchy.name}
    if why is Refusal.OUTSIDE:
        return (
            _(
                "%(team)s belongs to %(unit)s, which is not inside %(organizer)s; this contest is "
                "open to teams of units inside %(organizer)s."
            )
            % names
        )
    if why is Refusal.LEVEL:
        return _(
            "%(team)s belongs to %(unit)s (%(unit_level)s); this contest is open to teams of "
            "units at the level %(level)s or below it."
        ) % {**names, "unit_level": unit.level.name, "level": level.name}
    return None


def require_eligible(*, contest: Contest, team: Team) -> None:
    """Refuse (FieldError on ``team``, code ``ineligible``) a team that may not enter
    ``contest``. Reads only."""
    unit = Unit.objects.select_related("hierarchy", "level").get(pk=team.unit_id)
    problem = eligibility_problem(contest=contest, unit=unit, who=team.name)
    if problem:
        raise FieldError(problem, field="team", code="ineligible")
