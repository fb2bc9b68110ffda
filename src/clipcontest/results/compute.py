"""How scores become a ranking: pure functions over plain data, no ORM.

Scores are fixed-point integers (hundredths of a scale point) and weights are
thousandths, so every sum, mean, median and deviation is exact; floats appear only at
the end, each as the correctly rounded value of an exact quantity. Hence the order of
jurors or entries in the input never changes a result, and adding a constant to all of
one juror's scores leaves that juror's z-scores bit-for-bit identical.
"""

from __future__ import annotations

import math
import operator
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from .enums import Aggregation, DecisionKind, TieBreak

SCORE_UNIT = 100  # scores are stored in hundredths
WEIGHT_UNIT = 1000  # weights in thousandths


@dataclass(frozen=True)
class CriterionSpec:
    position: int
    name: str
    weight: int  # thousandths


@dataclass(frozen=True, slots=True)
class Card:
    """One submitted scorecard: ``scores`` follow the criteria order, in hundredths."""

    juror: str
    entry: str
    scores: tuple[int, ...]


@dataclass(frozen=True)
class Finalist:
    entry: str
    unit: str
    votes: int = 0


@dataclass(frozen=True)
class Decision:
    """A recorded committee decision: ``place`` puts the entry at ``value`` (1-based);
    ``tie`` gives it priority ``value`` (lower first) when every other tie-break ties."""

    entry: str
    kind: str
    value: int
    reason: str


@dataclass(frozen=True)
class Method:
    aggregation: str = Aggregation.MEAN
    trim_percent: int = 20  # dropped from each end by the trimmed mean
    jury_percent: int = 100
    public_percent: int = 0
    tie_break: tuple[str, ...] = (TieBreak.JURY, TieBreak.PUBLIC, TieBreak.COMMITTEE)
    scale_min: int = 0
    scale_max: int = 10


@dataclass(frozen=True, slots=True)
class CardScore:
    juror: str
    total: float  # weighted total on the scale
    z: float | None  # the juror's z-score for this card (z-score method only)


@dataclass(frozen=True)
class Standing:
    entry: str
    unit: str
    position: int  # 1-based place in the final order
    rank: int  # shared by entries that tie on every declared key
    jury: float | None
    public: float
    combined: float | None
    votes: int
    cards: tuple[CardScore, ...]
    criterion_means: tuple[float | None, ...]
    decided_by: str = ""  # which declared tie-break separated it from the entry above
    tied_with: tuple[str, ...] = ()  # entries it ties with on every declared key
    placed_by_committee: str = ""  # the public reason, when a decision placed it


@dataclass(frozen=True)
class Ranking:
    method: Method
    criteria: tuple[CriterionSpec, ...]
    standings: tuple[Standing, ...]
    decisions: tuple[Decision, ...] = field(default=())


def check_card(card: Card, criteria: Sequence[CriterionSpec], method: Method) -> list[str]:
    """Problems with a card (wrong number of scores, score outside the scale)."""
    problems = []
    if len(card.scores) != len(criteria):
        problems.append(f"{card.juror}/{card.entry}: {len(card.scores)} scores")
    low, high = method.scale_min * SCORE_UNIT, method.scale_max * SCORE_UNIT
    problems += [
        f"{card.juror}/{card.entry}: {s} outside the scale"
        for s in card.scores
        if not low <= s <= high
    ]
    return problems


def weighted_points(card: Card, criteria: Sequence[CriterionSpec]) -> int:
    """Σ weight × score, exact (hundredths × thousandths)."""
    return sum(c.weight * s for c, s in zip(criteria, card.scores, strict=True))


def _points(cards: Sequence[Card], criteria: Sequence[CriterionSpec]) -> dict[tuple[str, str], int]:
    """weighted_points of every card by (juror, entry), in one tight loop (50,000 cards
    in a large contest); a later card for the same pair replaces an earlier one."""
    weights = tuple(c.weight for c in criteria)
    width = len(weights)
    points: dict[tuple[str, str], int] = {}
    for card in cards:
        scores = card.scores
        if len(scores) != width:
            raise ValueError(f"{card.juror}/{card.entry}: {len(scores)} scores, {width} criteria")
        points[card.juror, card.entry] = sum(map(operator.mul, weights, scores))
    return points


#: Mean z-scores are compared to this many decimals: differences below it are noise.
Z_DIGITS = 9


def zscores(points: Sequence[int]) -> list[float]:
    """Population z-scores of one juror's weighted points, from exact integers.

    With d_i = n·p_i − Σp and Q = Σd², z_i = d_i·√n / √Q; d and Q do not change when a
    constant is added to every p_i. A juror who gave every card the same total has no
    spread: all z are 0.
    """
    n = len(points)
    s = sum(points)
    devs = [n * p - s for p in points]
    q = sum(d * d for d in devs)
    if q == 0:
        return [0.0] * n
    factor = math.sqrt(n) / math.sqrt(q)
    return [d * factor for d in devs]


def _aggregate(values: list[int], method: Method) -> Fraction:
    """Mean, median or trimmed mean of exact integer points, as an exact fraction."""
    values = sorted(values)
    n = len(values)
    if method.aggregation == Aggregation.MEDIAN:
        mid = n // 2
        return Fraction(values[mid]) if n % 2 else Fraction(values[mid - 1] + values[mid], 2)
    if method.aggregation == Aggregation.TRIMMED_MEAN:
        cut = (n * method.trim_percent) // 100
        if n - 2 * cut >= 1:
            values = values[cut : n - cut]
    return Fraction(sum(values), len(values))


def _jury_scores(
    cards: Sequence[Card], criteria: Sequence[CriterionSpec], method: Method
) -> tuple[dict[str, float], dict[str, list[CardScore]]]:
    weight_sum = sum(c.weight for c in criteria)
    unit = weight_sum * SCORE_UNIT
    points = _points(cards, criteria)
    per_entry: dict[str, list[CardScore]] = defaultdict(list)
    jury: dict[str, float] = {}
    if method.aggregation == Aggregation.ZSCORE:
        by_juror: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for (juror, entry), p in points.items():
            by_juror[juror].append((entry, p))
        z_by_entry: dict[str, list[float]] = defaultdict(list)
        for juror, items in by_juror.items():
            for (entry, p), z in zip(items, zscores([p for _e, p in items]), strict=True):
                z_by_entry[entry].append(z)
                per_entry[entry].append(CardScore(juror, p / unit, z))
        # Back on the rubric's scale: the pooled mean plus the mean z times the pooled
        # spread (n²·variance = n·Σp² − (Σp)², exact in integers).
        all_points = list(points.values())
        n, total = len(all_points), sum(all_points)
        spread = math.sqrt(n * sum(p * p for p in all_points) - total * total) / (n * unit)
        mean_total = total / (n * unit)
        for entry, zs in z_by_entry.items():
            # Each z carries float noise from √Q; rounding the mean z (which a shift of
            # one juror's scores cannot change) makes equal standings tie exactly.
            mean_z = round(math.fsum(zs) / len(zs), Z_DIGITS)
            jury[entry] = mean_total + mean_z * spread
    else:
        totals: dict[str, list[int]] = defaultdict(list)
        for (juror, entry), p in points.items():
            totals[entry].append(p)
            per_entry[entry].append(CardScore(juror, p / unit, None))
        for entry, values in totals.items():
            jury[entry] = float(_aggregate(values, method) / unit)
    for cards_of_entry in per_entry.values():
        cards_of_entry.sort(key=lambda c: c.juror)
    return jury, per_entry


def public_scores(finalists: Iterable[Finalist], method: Method) -> dict[str, float]:
    """Valid votes on the rubric's scale: the most-voted entry gets the top of the scale,
    an entry without votes the bottom (linear in between)."""
    finalists = list(finalists)
    top = max((f.votes for f in finalists), default=0)
    span = method.scale_max - method.scale_min
    return {
        f.entry: float(method.scale_min + Fraction(f.votes * span, top))
        if top
        else float(method.scale_min)
        for f in finalists
    }


def _criterion_means(cards: Sequence[Card], n_criteria: int) -> dict[str, tuple[float | None, ...]]:
    by_entry: dict[str, list[tuple[int, ...]]] = defaultdict(list)
    for card in cards:
        by_entry[card.entry].append(card.scores)
    # int / int is the correctly rounded quotient, as float(Fraction(s, d)) would be.
    return {
        entry: tuple(sum(column) / (len(rows) * SCORE_UNIT) for column in zip(*rows, strict=True))
        for entry, rows in by_entry.items()
    }


def _key_value(
    kind: str, entry: str, values: dict[str, dict[str, float | None]], committee: dict[str, int]
) -> float:
    """Sort key for one declared tie-break; larger is better."""
    if kind == TieBreak.COMMITTEE:
        return -committee.get(entry, math.inf)
    value = values[kind].get(entry)
    return -math.inf if value is None else value


def rank(
    *,
    criteria: Sequence[CriterionSpec],
    cards: Iterable[Card],
    finalists: Iterable[Finalist],
    method: Method,
    decisions: Iterable[Decision] = (),
) -> Ranking:
    """Rank the finalists by the declared method. Entries without a submitted card come
    last. Cards for entries that are not finalists are ignored."""
    criteria = tuple(sorted(criteria, key=lambda c: c.position))
    finalists = sorted(finalists, key=lambda f: f.entry)
    known = {f.entry for f in finalists}
    cards = [c for c in cards if c.entry in known]
    decisions = tuple(sorted(decisions, key=lambda d: (d.kind, d.value, d.entry)))
    jury, per_entry = _jury_scores(cards, criteria, method) if cards else ({}, {})
    public = public_scores(finalists, method)
    means = _criterion_means(cards, len(criteria))
    combined: dict[str, float | None] = {
        f.entry: None
        if f.entry not in jury
        else (method.jury_percent * jury[f.entry] + method.public_percent * public[f.entry]) / 100
        for f in finalists
    }
    values: dict[str, dict[str, float | None]] = {
        TieBreak.JURY: dict(jury),
        TieBreak.PUBLIC: {f.entry: float(f.votes) for f in finalists},
    }
    for i, c in enumerate(criteria):
        values[TieBreak.criterion(c.position)] = {e: m[i] for e, m in means.items()}
    committee = {d.entry: d.value for d in decisions if d.kind == DecisionKind.TIE}
    keys = [k for k in method.tie_break if k in values or k == TieBreak.COMMITTEE]

    def sort_key(f: Finalist) -> tuple[float, ...]:
        primary = combined[f.entry]
        head = -math.inf if primary is None else primary
        return (head, *(_key_value(k, f.entry, values, committee) for k in keys))

    keyed = sorted(((sort_key(f), f) for f in finalists), key=lambda kf: kf[0], reverse=True)
    order = [f for _k, f in keyed]
    key_of = {f.entry: k for k, f in keyed}
    order = _apply_places(order, decisions)
    return Ranking(
        method=method,
        criteria=criteria,
        standings=tuple(
            _standings(order, key_of, keys, decisions, jury, public, combined, per_entry, means)
        ),
        decisions=decisions,
    )


def _apply_places(order: list[Finalist], decisions: Sequence[Decision]) -> list[Finalist]:
    placed = [d for d in decisions if d.kind == DecisionKind.PLACE]
    moved = {d.entry for d in placed}
    rest = [f for f in order if f.entry not in moved]
    by_entry = {f.entry: f for f in order}
    for d in sorted(placed, key=lambda d: (d.value, d.entry)):
        if d.entry in by_entry:
            rest.insert(min(max(d.value, 1), len(rest) + 1) - 1, by_entry[d.entry])
    return rest


def _standings(
    order: list[Finalist],
    key_of: dict[str, tuple[float, ...]],
    keys: list[str],
    decisions: Sequence[Decision],
    jury: dict[str, float],
    public: dict[str, float],
    combined: dict[str, float | None],
    per_entry: dict[str, list[CardScore]],
    means: dict[str, tuple[float | None, ...]],
) -> Iterable[Standing]:
    placed = {d.entry: d.reason for d in decisions if d.kind == DecisionKind.PLACE}
    groups: dict[tuple[float, ...], list[str]] = defaultdict(list)
    for f in order:
        groups[key_of[f.entry]].append(f.entry)
    n_criteria = len(next(iter(means.values()))) if means else 0
    rank_no = 0
    previous: Finalist | None = None
    for i, f in enumerate(order, start=1):
        key = key_of[f.entry]
        if f.entry in placed or previous is None or key_of[previous.entry] != key:
            rank_no = i
        yield Standing(
            entry=f.entry,
            unit=f.unit,
            position=i,
            rank=rank_no,
            jury=jury.get(f.entry),
            public=public[f.entry],
            combined=combined[f.entry],
            votes=f.votes,
            cards=tuple(per_entry.get(f.entry, ())),
            criterion_means=means.get(f.entry, (None,) * n_criteria),
            decided_by=_decided_by(previous, f, key_of, keys) if previous else "",
            tied_with=tuple(e for e in groups[key] if e != f.entry),
            placed_by_committee=placed.get(f.entry, ""),
        )
        previous = f


def _decided_by(
    above: Finalist, this: Finalist, key_of: dict[str, tuple[float, ...]], keys: list[str]
) -> str:
    """The first declared key on which ``this`` differs from the entry above it, when
    the combined score ties ("" when the combined score already separates them)."""
    a, b = key_of[above.entry], key_of[this.entry]
    if a[0] != b[0]:
        return ""
    for name, x, y in zip(keys, a[1:], b[1:], strict=True):
        if x != y:
            return name
    return ""
