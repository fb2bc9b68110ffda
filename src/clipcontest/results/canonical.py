"""The canonical JSON of a computation: what is published, hashed and re-checked.

Canonical means: keys sorted, no spaces, UTF-8, computed numbers as fixed 6-decimal
strings, card scores as integers in hundredths of a scale point (as stored: exact).
The same inputs give the same bytes on any machine, so the SHA-256 proves that a
recomputation matches what was published.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .allocate import Allocation
from .compute import WEIGHT_UNIT, CardScore, Ranking
from .queries import Inputs

FORMAT = 1


def number(x: float | None) -> str | None:
    return None if x is None else f"{x:.6f}"


def _fixed(value: int, unit: int) -> str:
    whole, part = divmod(value, unit)
    digits = len(str(unit)) - 1
    return f"{whole}.{part:0{digits}d}"


def _card_rows(
    entry: str, cards: tuple[CardScore, ...], scores: dict[tuple[str, str], tuple[int, ...]]
) -> list[list[Any]]:
    """An entry's cards as rows of ``card_fields`` (``number`` inlined: 50,000 cards in
    a large contest)."""
    return [
        [
            c.juror,
            None if c.total is None else f"{c.total:.6f}",
            None if c.z is None else f"{c.z:.6f}",
            list(scores[c.juror, entry]),
        ]
        for c in cards
    ]


def document(inputs: Inputs, ranking: Ranking, allocation: Allocation) -> dict[str, Any]:
    m = ranking.method
    scores = {(c.juror, c.entry): c.scores for c in inputs.cards}
    reasons = dict(allocation.reasons)
    return {
        "format": FORMAT,
        "contest": inputs.contest.slug,
        "round": inputs.round.number,
        "method": {
            "aggregation": m.aggregation,
            "trim_percent": m.trim_percent,
            "jury_percent": m.jury_percent,
            "public_percent": m.public_percent,
            "tie_break": list(m.tie_break),
        },
        "rubric": {
            "scale": [m.scale_min, m.scale_max],
            "criteria": [
                {"position": c.position, "name": c.name, "weight": _fixed(c.weight, WEIGHT_UNIT)}
                for c in ranking.criteria
            ],
        },
        "tiers": [
            {
                "position": t.position,
                "name": t.name,
                "kind": t.kind,
                "count": t.count,
                "distinction": t.distinction,
            }
            for t in sorted(inputs.tiers, key=lambda t: t.position)
        ],
        "rules": {
            "one_prize_per_entry": inputs.rules.one_prize_per_entry,
            "max_per_unit": inputs.rules.max_per_unit,
        },
        "decisions": [
            {"entry": d.entry, "kind": d.kind, "value": d.value, "reason": d.reason}
            for d in ranking.decisions
        ],
        "scorecards": {"submitted": len(inputs.cards), "assigned": inputs.assigned},
        # Each standing's cards are rows of these fields (scores in hundredths).
        "card_fields": ["juror", "total", "z", "scores"],
        "standings": [
            {
                "entry": s.entry,
                "unit": s.unit,
                "position": s.position,
                "rank": s.rank,
                "jury": number(s.jury),
                "public": number(s.public),
                "combined": number(s.combined),
                "votes": s.votes,
                "criterion_means": [number(x) for x in s.criterion_means],
                "cards": _card_rows(s.entry, s.cards, scores),
                "decided_by": s.decided_by,
                "tied_with": list(s.tied_with),
                "placed_by_committee": s.placed_by_committee,
                "reasons": [{"tier": r.tier, "outcome": r.outcome} for r in reasons[s.entry]],
            }
            for s in ranking.standings
        ],
        "awards": [{"tier": a.tier, "entry": a.entry, "place": a.place} for a in allocation.awards],
        "boundary_ties": [list(g) for g in allocation.boundary_ties],
    }


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
