"""Who scores what: a pure plan from jurors, entries, recused pairs and a seed.

No ORM here. The same inputs and seed always give the same plan, so the plan recorded
with the round can be re-derived and checked by anyone.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class PlannedAssignment:
    juror: int
    entry: int
    panel: int | None  # index into Plan.panels; None in all × all mode
    substitute: bool = False  # drawn from another panel because of recusals


@dataclass(frozen=True)
class Plan:
    panels: tuple[tuple[int, ...], ...]
    assignments: tuple[PlannedAssignment, ...]
    short: tuple[int, ...] = field(default=())  # entries with fewer than k eligible jurors


def plan_all(
    *, jurors: Iterable[int], entries: Iterable[int], recused: set[tuple[int, int]]
) -> Plan:
    """Every juror scores every entry, except recused (juror, entry) pairs."""
    items = tuple(
        PlannedAssignment(juror=j, entry=e, panel=None)
        for e in sorted(set(entries))
        for j in sorted(set(jurors))
        if (j, e) not in recused
    )
    return Plan(panels=(), assignments=items)


def plan_panels(
    *,
    jurors: Iterable[int],
    entries: Iterable[int],
    recused: set[tuple[int, int]],
    k: int,
    seed: str,
) -> Plan:
    """Balanced random panels with ``k`` jurors per entry.

    Jurors are shuffled (seeded) into ``len(jurors) // k`` panels; entries are shuffled
    and each goes to the panel whose members have the least work so far (panels may
    differ in size by one, so plain turns would overload the smaller ones). Each entry
    gets the ``k`` least-loaded eligible members of its panel; when recusals leave fewer
    than ``k``, the least-loaded
    eligible jurors of other panels stand in (marked ``substitute``). Entries that still
    lack ``k`` eligible jurors are listed in ``short`` and get as many as there are.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    rng = random.Random(seed)  # noqa: S311 - reproducible, not secret
    pool = sorted(set(jurors))
    todo = sorted(set(entries))
    rng.shuffle(pool)
    rng.shuffle(todo)
    n_panels = max(1, len(pool) // k) if pool else 0
    panels: list[list[int]] = [pool[i::n_panels] for i in range(n_panels)]
    order = {j: i for i, j in enumerate(pool)}  # seeded tie-break between equal loads
    load = dict.fromkeys(pool, 0)
    items: list[PlannedAssignment] = []
    short: list[int] = []
    for entry in todo:
        panel_index = (
            min(
                range(n_panels),
                key=lambda p: (Fraction(sum(load[j] for j in panels[p]), len(panels[p])), p),
            )
            if n_panels
            else None
        )
        home = panels[panel_index] if panel_index is not None else []
        eligible = [j for j in home if (j, entry) not in recused]
        chosen = sorted(eligible, key=lambda j: (load[j], order[j]))[:k]
        extra: list[int] = []
        if len(chosen) < k:
            others = [j for j in pool if j not in home and (j, entry) not in recused]
            extra = sorted(others, key=lambda j: (load[j], order[j]))[: k - len(chosen)]
        if len(chosen) + len(extra) < k:
            short.append(entry)
        for j in chosen:
            load[j] += 1
            items.append(PlannedAssignment(juror=j, entry=entry, panel=panel_index))
        for j in extra:
            load[j] += 1
            items.append(
                PlannedAssignment(juror=j, entry=entry, panel=panel_index, substitute=True)
            )
    items.sort(key=lambda a: (a.entry, a.juror))
    return Plan(
        panels=tuple(tuple(sorted(p)) for p in panels),
        assignments=tuple(items),
        short=tuple(sorted(short)),
    )
