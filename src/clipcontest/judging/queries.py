"""Reading judging data: finalists, conflicts, what a juror may see, progress.

Every function here costs a fixed number of queries, whatever the number of entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from clipcontest.accounts.enums import Role
from clipcontest.accounts.models import RoleGrant, User
from clipcontest.contests.models import Contest
from clipcontest.entries.models import Entry
from clipcontest.media.models import Video
from clipcontest.media.player import player_sources
from clipcontest.org.models import TeamMembership

from .enums import RecusalKind, ScorecardState
from .models import Assignment, JuryRound, Recusal, Rubric, Scorecard


def finalist_entries(contest: Contest) -> QuerySet[Entry]:
    """The works the top screening level forwarded to the jury ("finalists").

    Reads the screening app's models: an entry is a finalist when one of its screening
    rows is in the FINALIST state.
    """
    from clipcontest.screening.enums import ScreeningState

    return Entry.objects.filter(
        contest=contest, screenings__state=ScreeningState.FINALIST
    ).distinct()


def jurors_of(contest: Contest) -> QuerySet[User]:
    return User.objects.filter(
        role_grants__role=Role.JUROR, role_grants__contest=contest, is_active=True
    ).order_by("pk")


def rubric_of(contest: Contest) -> Rubric | None:
    return Rubric.objects.filter(contest=contest).prefetch_related("criteria").first()


@dataclass(frozen=True)
class Conflict:
    juror: int
    entry: int
    kind: str
    reason: str


def find_conflicts(
    *,
    organizer_path: str,
    hierarchy_id: int,
    unit_roles: Iterable[tuple[int, str, int, str, str]],
    memberships: set[tuple[int, int]],
    entries: Iterable[tuple[int, str, int]],
) -> list[Conflict]:
    """Pure: which (juror, entry) pairs conflict.

    ``unit_roles`` are (juror, role, hierarchy, unit path, unit name); ``entries`` are
    (entry, unit path, team). A juror conflicts with an entry when they belong to its
    team, or hold a unit role on the entry's unit or any unit above it that lies strictly
    inside the organizer's unit. (A role on the organizer's own unit or above relates a
    juror to every entry alike, so it distinguishes none and recuses from none.)
    """
    entries = list(entries)
    out: dict[tuple[int, int], Conflict] = {}
    for juror, team in sorted(memberships):
        for entry, _path, entry_team in entries:
            if entry_team == team:
                out[(juror, entry)] = Conflict(juror, entry, RecusalKind.TEAM, "")
    for juror, role, hierarchy, path, name in sorted(unit_roles):
        if hierarchy != hierarchy_id or len(path) <= len(organizer_path):
            continue
        if not path.startswith(organizer_path):
            continue
        for entry, entry_path, _team in entries:
            if entry_path.startswith(path) and (juror, entry) not in out:
                out[(juror, entry)] = Conflict(
                    juror, entry, RecusalKind.AUTOMATIC, f"{role}: {name}"
                )
    return [out[k] for k in sorted(out)]


def detect_conflicts_for(contest: Contest, entry_ids: Iterable[int]) -> list[Conflict]:
    """Conflicts between the contest's jurors and the given entries (three queries)."""
    juror_ids = list(jurors_of(contest).values_list("pk", flat=True))
    entries = list(
        Entry.objects.filter(pk__in=list(entry_ids)).values_list("pk", "unit__path", "team_id")
    )
    grants = RoleGrant.objects.filter(
        user_id__in=juror_ids, role__in=Role.unit_roles(), unit__isnull=False
    ).values_list("user_id", "role", "unit__hierarchy_id", "unit__path", "unit__name")
    teams = {t for _e, _p, t in entries}
    memberships = set(
        TeamMembership.objects.filter(user_id__in=juror_ids, team_id__in=teams).values_list(
            "user_id", "team_id"
        )
    )
    organizer = contest.organizer_unit
    return find_conflicts(
        organizer_path=organizer.path,
        hierarchy_id=organizer.hierarchy_id,
        unit_roles=list(grants),
        memberships=memberships,
        entries=entries,
    )


def recused_pairs(contest: Contest) -> set[tuple[int, int]]:
    return set(Recusal.objects.filter(contest=contest).values_list("juror_id", "entry_id"))


@dataclass
class JurorEntry:
    """An entry as a juror sees it. In blind rounds the team, unit, authors and
    description are left out here, so no template or API schema can show them."""

    public_id: str
    title: str
    blind: bool
    team: str = ""
    unit: str = ""
    authors: list[str] = field(default_factory=list)
    description: str = ""
    video: Any = None
    renditions: list[Any] = field(default_factory=list)
    player_sources: list[dict[str, Any]] = field(default_factory=list)


def juror_entry(entry: Entry, *, blind: bool, with_video: bool = False) -> JurorEntry:
    view = JurorEntry(public_id=str(entry.public_id), title=entry.title, blind=blind)
    if not blind:
        view.team = entry.team.name
        view.unit = entry.unit.name
        view.authors = [a.name for a in entry.authors.all()]
        view.description = entry.description
    if with_video:
        video = next(iter(getattr(entry, "current", []) or []), None)
        if video is None:
            video = Video.objects.current_of(entry)
        if video is not None:
            view.video = video
            view.renditions = list(video.renditions.all())
            view.player_sources = player_sources(view.renditions)
    return view


def juror_assignments(round: JuryRound, juror: Any) -> QuerySet[Assignment]:
    """The juror's assignments in a round with their own scorecard (if any)."""
    return (
        Assignment.objects.filter(round=round, juror=juror)
        .select_related("entry__team", "entry__unit", "scorecard")
        .prefetch_related("entry__authors")
        .order_by("entry__title", "entry__pk")
    )


def assignment_for(round: JuryRound, juror: Any, public_id: Any) -> Assignment | None:
    return (
        Assignment.objects.filter(round=round, juror=juror, entry__public_id=public_id)
        .select_related("entry__team", "entry__unit", "entry__contest", "round__contest")
        .first()
    )


@dataclass(frozen=True)
class Progress:
    key: int
    label: str
    assigned: int
    submitted: int
    drafts: int

    @property
    def missing(self) -> int:
        return self.assigned - self.submitted

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.assigned) if self.assigned else 100


def _counts(round: JuryRound, by: str) -> dict[int, tuple[int, int, int]]:
    rows = (
        Assignment.objects.filter(round=round)
        .values(by)
        .annotate(
            assigned=Count("pk"),
            submitted=Count("pk", filter=Q(scorecard__state=ScorecardState.SUBMITTED)),
            drafts=Count("pk", filter=Q(scorecard__state=ScorecardState.DRAFT)),
        )
    )
    return {r[by]: (r["assigned"], r["submitted"], r["drafts"]) for r in rows}


def progress_by_juror(round: JuryRound) -> list[Progress]:
    counts = _counts(round, "juror")
    users = User.objects.filter(pk__in=counts).order_by("pk")
    return [Progress(u.pk, str(u), *counts[u.pk]) for u in users]


def progress_by_entry(round: JuryRound) -> list[Progress]:
    counts = _counts(round, "entry")
    entries = Entry.objects.filter(pk__in=counts).order_by("title", "pk")
    return [Progress(e.pk, e.title, *counts[e.pk]) for e in entries]


def incomplete_count(round: JuryRound) -> int:
    """Assignments without a submitted scorecard."""
    return (
        Assignment.objects.filter(round=round)
        .exclude(scorecard__state=ScorecardState.SUBMITTED)
        .count()
    )


def latest_round(contest: Contest) -> JuryRound | None:
    return JuryRound.objects.filter(contest=contest).order_by("-number").first()


def submitted_cards(round: JuryRound) -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(round=round, state=ScorecardState.SUBMITTED)
