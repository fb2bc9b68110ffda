"""Who wins what: prize tiers handed out over a ranking, with a reason for every entry.

Pure: plain data in, plain data out. Tiers are handled in their declared order; within
a tier, candidates come in ranking order (jury tiers) or by valid votes (audience tiers).

A *distinction* tier (``distinction=True``) is a mark of quality rather than a prize in
the one-prize-per-entry sense: it may go to an entry that already holds a prize, and it
does not count towards the per-unit limit. That is how the 2023 contest's "works of high
communication quality" include the first prize overall.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .compute import Standing
from .enums import Outcome


@dataclass(frozen=True)
class Tier:
    position: int
    name: str
    kind: str  # contests.enums.PrizeKind value
    count: int
    distinction: bool = False


@dataclass(frozen=True)
class Rules:
    one_prize_per_entry: bool = True
    max_per_unit: int | None = None


@dataclass(frozen=True)
class Award:
    tier: int
    entry: str
    place: int  # 1..tier.count


@dataclass(frozen=True)
class Reason:
    tier: int
    outcome: str  # Outcome value


@dataclass(frozen=True)
class Allocation:
    awards: tuple[Award, ...]
    reasons: tuple[tuple[str, tuple[Reason, ...]], ...]  # (entry, reasons), ranking order
    boundary_ties: tuple[tuple[str, ...], ...] = ()  # tied groups split by a prize

    def reasons_for(self, entry: str) -> tuple[Reason, ...]:
        return dict(self.reasons).get(entry, ())

    def winners(self, tier: int) -> list[str]:
        return [a.entry for a in self.awards if a.tier == tier]


def _candidates(tier: Tier, standings: Sequence[Standing]) -> list[Standing]:
    if tier.kind == "audience":
        return sorted(standings, key=lambda s: (-s.votes, s.position))
    return list(standings)


def allocate(*, standings: Sequence[Standing], tiers: Sequence[Tier], rules: Rules) -> Allocation:
    """Hand out each tier's ``count`` prizes; never more, one per entry per tier."""
    standings = sorted(standings, key=lambda s: s.position)
    awards: list[Award] = []
    reasons: dict[str, list[Reason]] = {s.entry: [] for s in standings}
    holds: set[str] = set()
    per_unit: dict[str, int] = defaultdict(int)
    for tier in sorted(tiers, key=lambda t: t.position):
        if tier.kind not in ("jury", "audience"):
            for s in standings:
                reasons[s.entry].append(Reason(tier.position, Outcome.NOT_COMPUTED))
            continue
        given = 0
        for s in _candidates(tier, standings):
            outcome = _outcome(tier, s, rules, given, holds, per_unit)
            reasons[s.entry].append(Reason(tier.position, outcome))
            if outcome != Outcome.AWARDED:
                continue
            given += 1
            awards.append(Award(tier=tier.position, entry=s.entry, place=given))
            if not tier.distinction:
                holds.add(s.entry)
                per_unit[s.unit] += 1
    return Allocation(
        awards=tuple(awards),
        reasons=tuple((s.entry, tuple(reasons[s.entry])) for s in standings),
        boundary_ties=_boundary_ties(standings, awards),
    )


def _outcome(
    tier: Tier,
    s: Standing,
    rules: Rules,
    given: int,
    holds: set[str],
    per_unit: dict[str, int],
) -> str:
    if tier.kind == "jury" and s.combined is None:
        return Outcome.NO_SCORE
    if tier.kind == "audience" and s.votes == 0:
        return Outcome.NO_VOTES
    if given >= tier.count:
        return Outcome.BELOW
    if not tier.distinction:
        if rules.one_prize_per_entry and s.entry in holds:
            return Outcome.HOLDS_PRIZE
        if rules.max_per_unit is not None and per_unit[s.unit] >= rules.max_per_unit:
            return Outcome.UNIT_CAP
    return Outcome.AWARDED


def _boundary_ties(
    standings: Sequence[Standing], awards: Sequence[Award]
) -> tuple[tuple[str, ...], ...]:
    """Groups of entries tied on every declared key that did not all get the same prizes:
    the declared order could not separate them, so the committee has to."""
    got: dict[str, set[int]] = defaultdict(set)
    for a in awards:
        got[a.entry].add(a.tier)
    seen: set[str] = set()
    out = []
    for s in standings:
        if not s.tied_with or s.entry in seen or s.placed_by_committee:
            continue
        group = (s.entry, *s.tied_with)
        seen.update(group)
        if len({frozenset(got[e]) for e in group}) > 1:
            out.append(tuple(sorted(group)))
    return tuple(out)
