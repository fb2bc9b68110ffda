"""The pure assignment planner."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from clipcontest.judging.assign import plan_all, plan_panels


def test_plan_all_skips_recused_pairs():
    plan = plan_all(jurors=[1, 2], entries=[10, 11], recused={(2, 11)})
    assert [(a.juror, a.entry) for a in plan.assignments] == [(1, 10), (2, 10), (1, 11)]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 12),
    st.integers(1, 30),
    st.integers(1, 4),
    st.sets(st.tuples(st.integers(1, 12), st.integers(1, 30)), max_size=20),
    st.text(max_size=5),
)
def test_plan_panels_gives_k_jurors_balanced_and_never_recused(
    n_jurors, n_entries, k, recused, seed
):
    jurors, entries = list(range(1, n_jurors + 1)), list(range(1, n_entries + 1))
    plan = plan_panels(jurors=jurors, entries=entries, recused=recused, k=k, seed=seed)
    per_entry = Counter(a.entry for a in plan.assignments)
    for e in entries:
        eligible = sum(1 for j in jurors if (j, e) not in recused)
        assert per_entry[e] == min(k, eligible)
        assert (e in plan.short) == (eligible < k)
    assert not {(a.juror, a.entry) for a in plan.assignments} & recused
    assert len({(a.juror, a.entry) for a in plan.assignments}) == len(plan.assignments)
    assert plan == plan_panels(
        jurors=jurors[::-1], entries=entries[::-1], recused=recused, k=k, seed=seed
    )
    if not recused and n_jurors >= k:
        loads = Counter(a.juror for a in plan.assignments)
        assert max(loads.values()) - min(loads.get(j, 0) for j in jurors) <= max(1, k)
