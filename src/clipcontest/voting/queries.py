"""What the public sees: the gallery rule, tallies, exclusions, reach. Fixed query counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from clipcontest.contests.enums import ContestStatus, PhaseKind, PhaseState
from clipcontest.contests.models import Contest, Phase
from clipcontest.contests.timeline import state_at
from clipcontest.core.errors import DomainError
from clipcontest.entries.models import Entry
from clipcontest.entries.queries import with_current_video
from clipcontest.media.enums import VideoStatus
from clipcontest.media.models import Video

from . import ledger
from .enums import CountsVisibility, VoteState
from .models import LogLeaf, ReachVisit, TreeHead, Vote, VotingSettings


def gallery_entries(contest: Contest) -> QuerySet[Entry]:
    """THE rule for what the public gallery shows and what may receive votes: the
    contest's finalists (forwarded by the top screening level) whose current video can
    be watched, in a public contest. Each entry carries ``current`` (its current video
    with renditions) in two extra queries.

    Screening publishes an entry (``Entry.published_at``) when it becomes a finalist.
    """
    if contest.status not in ContestStatus.public():
        return Entry.objects.none()
    playable = Video.objects.filter(
        entry=OuterRef("pk"), is_current=True, status__in=VideoStatus.watchable()
    )
    return with_current_video(
        Entry.objects.filter(contest=contest)
        .filter(published_at__isnull=False)
        .filter(Exists(playable))
        .select_related("team", "unit")
    )


def settings_for(contest: Contest) -> VotingSettings:
    """The contest's voting settings (unsaved defaults when the organizer set none)."""
    found = VotingSettings.objects.filter(contest=contest).first()
    return found if found is not None else VotingSettings(contest=contest)


def voting_phase(contest: Contest) -> Phase | None:
    return Phase.objects.filter(contest=contest, kind=PhaseKind.VOTING).first()


@dataclass(frozen=True)
class Window:
    phase: Phase | None
    state: str  # PhaseState; "" when the contest has no voting phase

    @property
    def is_open(self) -> bool:
        return self.state == PhaseState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == PhaseState.CLOSED


def voting_window(contest: Contest, now: dt.datetime | None = None) -> Window:
    return window_of(voting_phase(contest), now or timezone.now())


def window_of(phase: Phase | None, now: dt.datetime) -> Window:
    """The voting window of a (possibly cached) phase at ``now``: no query."""
    if phase is None:
        return Window(None, "")
    return Window(phase, state_at(phase.starts_at, phase.ends_at, now))


def counts_visible(contest: Contest, voting: VotingSettings, window: Window) -> bool:
    """Counts are public live, or only once voting has closed."""
    return voting.counts == CountsVisibility.LIVE or window.is_closed


def require_counts_visible(contest: Contest) -> None:
    """Refuse (DomainError) while the contest hides its counts: nobody, organizers
    included, computes anything from per-entry votes before the close."""
    if not counts_visible(contest, settings_for(contest), voting_window(contest)):
        raise DomainError(_("Public votes stay sealed until public voting closes."))


def tally(contest: Contest) -> dict[int, int]:
    """Counted votes per entry id, from the sealed vote log: vote leaves minus
    invalidation leaves (held votes count until struck out, as the public recount does).
    A vote counts once sealed, within the merge delay."""
    out: dict[int, int] = {}
    rows = (
        LogLeaf.objects.filter(contest=contest)
        .values_list("entry_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("entry_id", "kind", "n")
    )
    for entry_id, kind, n in rows:
        out[entry_id] = out.get(entry_id, 0) + (n if kind == ledger.VOTE else -n)
    return out


def ledger_size(contest: Contest) -> int:
    """Sealed vote leaves in the contest's public log (what the benchmarks compare with
    the votes, the 2xx responses and the tally, once sealing has caught up)."""
    return LogLeaf.objects.filter(contest=contest, kind=ledger.VOTE).count()


def held_counts(contest: Contest) -> dict[int, int]:
    rows = (
        Vote.objects.filter(contest=contest, state=VoteState.HELD)
        .values_list("entry_id")
        .annotate(n=Count("pk"))
        .values_list("entry_id", "n")
    )
    return dict(rows)


def exclusions(contest: Contest) -> dict[int, Counter[str]]:
    """Invalidated votes per entry id, counted by reason code (from the sealed log)."""
    out: dict[int, Counter[str]] = {}
    rows = (
        LogLeaf.objects.filter(contest=contest, kind=ledger.INVALIDATE)
        .values_list("entry_id", "reason")
        .annotate(n=Count("pk"))
    )
    for entry_id, reason, n in rows:
        out.setdefault(entry_id, Counter())[reason] += n
    return out


def totals(contest: Contest) -> dict[str, int]:
    """Whole-contest numbers an organizer may see while counts are hidden: votes cast,
    sealed into the log, held for review, invalidated. Never per entry."""
    by_state = dict(
        Vote.objects.filter(contest=contest)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return {
        "cast": sum(by_state.values()),
        "sealed": LogLeaf.objects.filter(contest=contest, kind=ledger.VOTE).count(),
        "held": by_state.get(VoteState.HELD, 0),
        "invalid": by_state.get(VoteState.INVALID, 0),
    }


def latest_head(contest: Contest) -> TreeHead | None:
    return TreeHead.objects.filter(contest=contest).order_by("-size").first()


def sealing_lag_seconds(contest: Contest, now: dt.datetime | None = None) -> float:
    """How long the oldest vote not yet sealed has waited (0 when all are sealed): the
    figure to compare with the merge delay (metrics, the organizer's alert)."""
    oldest = (
        Vote.objects.filter(contest=contest, leaf_index__isnull=True)
        .order_by("cast_at")
        .values_list("cast_at", flat=True)
        .first()
    )
    if oldest is None:
        return 0.0
    return max(0.0, ((now or timezone.now()) - oldest).total_seconds())


def reach(contest: Contest) -> dict[int, int]:
    """Visits through share links per entry id (never votes)."""
    rows = (
        ReachVisit.objects.filter(link__contest=contest)
        .values_list("entry_id")
        .annotate(n=Count("pk"))
        .values_list("entry_id", "n")
    )
    return dict(rows)


def held_votes(contest: Contest) -> QuerySet[Vote]:
    """The organizer's review queue, oldest first."""
    return (
        Vote.objects.filter(contest=contest, state=VoteState.HELD)
        .select_related("entry", "voter")
        .order_by("cast_at", "pk")
    )


def filter_gallery(
    entries: QuerySet[Entry], *, unit_path: str = "", search: str = ""
) -> QuerySet[Entry]:
    """Narrow the gallery by unit (and everything below it) and a text search. Topics
    are filtered on the loaded works (JSON containment differs between databases)."""
    if unit_path:
        entries = entries.filter(unit__path__startswith=unit_path)
    if search:
        entries = entries.filter(Q(title__icontains=search) | Q(team__name__icontains=search))
    return entries
