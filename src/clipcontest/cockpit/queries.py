"""What the organizer's cockpit shows: the funnel, what needs attention, and the data
behind each chart, each read in a fixed number of queries from the apps that own it.

Per-entry vote numbers are included only when the contest's rule lets counts be shown
(live, or after voting closed): while a vote is hidden the organizer sees totals only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncDay, TruncHour
from django.utils import timezone

from clipcontest.contests.models import Contest, Phase
from clipcontest.entries.enums import EntryStatus
from clipcontest.entries.models import Entry
from clipcontest.judging.models import JuryRound
from clipcontest.judging.queries import Progress, latest_round, progress_by_juror
from clipcontest.media.enums import VideoStatus
from clipcontest.media.models import Video
from clipcontest.org.models import Unit
from clipcontest.screening.enums import ScreeningState
from clipcontest.screening.models import EntryScreening
from clipcontest.screening.queries import screening_chain, stages_needing_attention
from clipcontest.voting.enums import VoteState
from clipcontest.voting.models import Vote
from clipcontest.voting.queries import counts_visible, settings_for, tally, voting_window

HOURLY_UNTIL = dt.timedelta(days=3)  # shorter vote histories are drawn per hour


@dataclass(frozen=True)
class LevelFunnel:
    name: str
    arrived: int
    passed: int
    rejected: int
    pending: int
    stopped: int


@dataclass(frozen=True)
class UnitProgress:
    name: str
    passed: int
    rejected: int
    pending: int
    stopped: int


@dataclass(frozen=True)
class VoteSlot:
    start: dt.datetime
    valid: int
    held: int
    invalid: int


@dataclass
class Cockpit:
    entries: dict[str, int]
    levels: list[LevelFunnel]
    finalists: int
    votes: dict[str, int]
    cards_submitted: int
    cards_assigned: int
    failed_videos: int
    units_behind: list[tuple[str, dt.datetime]]
    jurors: list[Progress]
    round: JuryRound | None
    vote_slots: list[VoteSlot]
    hourly: bool
    per_entry: list[tuple[str, int]] | None  # None: counts are hidden
    screening_level: str
    screening_units: list[UnitProgress]
    submissions: list[tuple[str, int]]
    notes: list[str] = field(default_factory=list)

    @property
    def jurors_behind(self) -> list[Progress]:
        return [p for p in self.jurors if p.missing]


def entry_counts(contest: Contest) -> dict[str, int]:
    rows = Entry.objects.filter(contest=contest).values_list("status").annotate(n=Count("pk"))
    found = dict(rows.values_list("status", "n"))
    return {status: found.get(status, 0) for status in EntryStatus.values}


def level_funnel(chain: list[Phase]) -> list[LevelFunnel]:
    rows = (
        EntryScreening.objects.filter(phase__in=chain)
        .order_by()
        .values_list("phase_id", "state")
        .annotate(n=Count("pk"))
        .values_list("phase_id", "state", "n")
    )
    by_phase: dict[int, Counter[str]] = {}
    for phase_id, state, n in rows:
        by_phase.setdefault(phase_id, Counter())[state] += n
    passed, undecided = set(ScreeningState.passed()), set(ScreeningState.undecided())
    out = []
    for phase in chain:
        c = by_phase.get(phase.pk, Counter())
        out.append(
            LevelFunnel(
                name=str(phase.level) if phase.level else str(phase),
                arrived=sum(c.values()),
                passed=sum(n for s, n in c.items() if s in passed),
                rejected=c[ScreeningState.REJECTED],
                pending=sum(n for s, n in c.items() if s in undecided),
                stopped=c[ScreeningState.STOPPED],
            )
        )
    return out


def unit_progress(phase: Phase) -> list[UnitProgress]:
    """Per unit at one level: its entries by outcome (units with entries only)."""
    rows = (
        EntryScreening.objects.filter(phase=phase)
        .order_by()
        .values_list("stage__unit__name", "state")
        .annotate(n=Count("pk"))
        .values_list("stage__unit__name", "state", "n")
    )
    by_unit: dict[str, Counter[str]] = {}
    for name, state, n in rows:
        by_unit.setdefault(name, Counter())[state] += n
    passed, undecided = set(ScreeningState.passed()), set(ScreeningState.undecided())
    return [
        UnitProgress(
            name=name,
            passed=sum(n for s, n in c.items() if s in passed),
            rejected=c[ScreeningState.REJECTED],
            pending=sum(n for s, n in c.items() if s in undecided),
            stopped=c[ScreeningState.STOPPED],
        )
        for name, c in sorted(by_unit.items())
    ]


def current_level(chain: list[Phase], now: dt.datetime) -> Phase | None:
    """The screening level open now, else the last one that started, else the first."""
    started = [p for p in chain if p.starts_at <= now]
    return started[-1] if started else (chain[0] if chain else None)


def pictured_level(chain: list[Phase], level: Phase | None) -> Phase | None:
    """The level whose units are drawn: the current one, or the one below it when the
    current level is the organizer's own (one unit says nothing per unit)."""
    if level is None or level is not chain[-1] or len(chain) < 2:
        return level
    return chain[-2]


def vote_counts(contest: Contest) -> dict[str, int]:
    found = dict(
        Vote.objects.filter(contest=contest)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return {state: found.get(state, 0) for state in VoteState.values}


def vote_slots(contest: Contest) -> tuple[list[VoteSlot], bool]:
    """Votes per hour (short histories) or per day, by state; empty slots included."""
    votes = Vote.objects.filter(contest=contest).order_by()
    span = votes.values_list("cast_at", flat=True)
    first, last = span.order_by("cast_at").first(), span.order_by("-cast_at").first()
    if first is None or last is None:
        return [], True
    hourly = last - first <= HOURLY_UNTIL
    trunc = TruncHour if hourly else TruncDay
    tz = timezone.get_current_timezone()
    rows = (
        votes.annotate(bucket=trunc("cast_at", tzinfo=tz))
        .values_list("bucket", "state")
        .annotate(n=Count("pk"))
        .values_list("bucket", "state", "n")
    )
    by_slot: dict[dt.datetime, Counter[str]] = {}
    for slot, state, n in rows:
        by_slot.setdefault(slot, Counter())[state] += n
    step = dt.timedelta(hours=1) if hourly else dt.timedelta(days=1)
    slots, at, end = [], min(by_slot), max(by_slot)
    while at <= end:
        c = by_slot.get(at, Counter())
        slots.append(VoteSlot(at, c[VoteState.VALID], c[VoteState.HELD], c[VoteState.INVALID]))
        at = timezone.localtime(at + step, tz).replace(minute=0, second=0, microsecond=0)
        if not hourly:
            at = at.replace(hour=0)
    return slots, hourly


def votes_per_entry(contest: Contest, now: dt.datetime) -> list[tuple[str, int]] | None:
    """The public tally (sealed leaves) per entry title, or None while counts are hidden."""
    voting = settings_for(contest)
    if not counts_visible(contest, voting, voting_window(contest, now)):
        return None
    counted = tally(contest)
    titles = dict(Entry.objects.filter(pk__in=counted).values_list("pk", "title"))
    return sorted(((titles[pk], n) for pk, n in counted.items()), key=lambda r: (-r[1], r[0]))


def submissions_per_unit(contest: Contest) -> list[tuple[str, int]]:
    """Entries (not drafts) per unit one level below the organizer's."""
    organizer = contest.organizer_unit
    below = {
        u.path: u.name
        for u in Unit.objects.filter(
            hierarchy_id=organizer.hierarchy_id,
            depth=organizer.depth + 1,
            path__startswith=organizer.path,
        )
    }
    counts: Counter[str] = Counter()
    paths = Entry.objects.filter(contest=contest).exclude(status=EntryStatus.DRAFT)
    for path in paths.values_list("unit__path", flat=True):
        for prefix, name in below.items():
            if path.startswith(prefix):
                counts[name] += 1
                break
    return sorted(counts.items(), key=lambda r: (-r[1], r[0]))


def cockpit_for(contest: Contest, now: dt.datetime | None = None) -> Cockpit:
    now = now or timezone.now()
    chain = screening_chain(contest)
    level = current_level(chain, now)
    pictured = pictured_level(chain, level)
    round = latest_round(contest)
    jurors = progress_by_juror(round) if round is not None else []
    slots, hourly = vote_slots(contest)
    behind = []
    if level is not None:
        behind = [
            (s.unit.name, s.due)  # type: ignore[attr-defined]
            for s in stages_needing_attention(level, now)
        ]
    return Cockpit(
        entries=entry_counts(contest),
        levels=level_funnel(chain),
        finalists=Entry.objects.filter(contest=contest, published_at__isnull=False).count(),
        votes=vote_counts(contest),
        cards_submitted=sum(p.submitted for p in jurors),
        cards_assigned=sum(p.assigned for p in jurors),
        failed_videos=Video.objects.filter(
            entry__contest=contest, status=VideoStatus.FAILED
        ).count(),
        units_behind=behind,
        jurors=jurors,
        round=round,
        vote_slots=slots,
        hourly=hourly,
        per_entry=votes_per_entry(contest, now),
        screening_level=str(pictured.level) if pictured is not None and pictured.level else "",
        screening_units=unit_progress(pictured) if pictured is not None else [],
        submissions=submissions_per_unit(contest),
    )
