"""The pure timeline rules: plain data in, messages out."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from clipcontest.contests.enums import PhaseKind, PhaseState
from clipcontest.contests.timeline import PhaseSpec, state_at, validate_timeline

T0 = dt.datetime(2023, 8, 1, tzinfo=dt.UTC)
LEVELS = {0: "tỉnh", 1: "huyện", 2: "xã"}


def day(n: int) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def chain(*ranks: int) -> list[PhaseSpec]:
    """A valid timeline with screening at ``ranks`` (given bottom-up)."""
    phases = [PhaseSpec(PhaseKind.SUBMISSION, day(0), day(30))]
    start = 30
    for rank in ranks:
        phases.append(
            PhaseSpec(
                PhaseKind.SCREENING,
                day(start),
                day(start + 7),
                level_rank=rank,
                level_name=LEVELS[rank],
                quota=3,
            )
        )
        start += 7
    phases += [
        PhaseSpec(PhaseKind.VOTING, day(start), day(start + 14)),
        PhaseSpec(PhaseKind.JUDGING, day(start + 14), day(start + 21)),
        PhaseSpec(PhaseKind.RESULTS, day(start + 21), day(start + 60)),
    ]
    return phases


def check(phases: list[PhaseSpec]) -> list[str]:
    return validate_timeline(phases, level_names=LEVELS, organizer_rank=0)


def test_timeline_2023_chain_commune_district_province_is_valid():
    assert check(chain(2, 1, 0)) == []


def test_timeline_post_2025_chain_without_district_is_valid_in_two_level_hierarchy():
    phases = chain(1, 0)
    assert validate_timeline(phases, level_names={0: "tỉnh", 1: "xã"}, organizer_rank=0) == []


def test_timeline_chain_skipping_a_level_is_refused():
    assert check(chain(2, 0)) == ["The screening chain skips the level huyện."]


def test_timeline_chain_not_reaching_organizer_level_is_refused():
    assert check(chain(2, 1)) == ["The screening chain must end at the organizer's level (tỉnh)."]


def test_timeline_end_before_start_is_refused():
    phases = chain(1, 0)
    phases[0] = PhaseSpec(PhaseKind.SUBMISSION, day(30), day(0))
    errors = check(phases)
    assert "submission must end after it starts." in errors


def test_timeline_overlap_is_refused():
    phases = chain(1, 0)
    voting = phases[3]
    phases[3] = PhaseSpec(PhaseKind.VOTING, voting.starts_at - dt.timedelta(days=1), voting.ends_at)
    assert check(phases) == [
        "public voting starts before screening (tỉnh) ends; phases may not overlap."
    ]


def test_timeline_missing_submission_and_results_are_refused():
    phases = [p for p in chain(1, 0) if p.kind not in (PhaseKind.SUBMISSION, PhaseKind.RESULTS)]
    assert check(phases) == [
        "The timeline needs exactly one submission phase.",
        "The timeline needs exactly one results phase.",
    ]


def test_timeline_screening_without_quota_is_refused():
    phases = chain(0)
    phases[1] = PhaseSpec(
        PhaseKind.SCREENING, day(30), day(37), level_rank=0, level_name="tỉnh", quota=None
    )
    assert check(phases) == ["screening (tỉnh) needs a quota of at least 1."]


def test_timeline_screening_above_organizer_is_refused():
    errors = validate_timeline(chain(2, 1, 0), level_names=LEVELS, organizer_rank=1)
    assert errors == ["A screening level cannot be above the organizer's level."]


@given(st.permutations(chain(2, 1, 0)))
def test_timeline_validity_does_not_depend_on_input_order(phases):
    assert check(list(phases)) == []


@given(st.integers(min_value=-100, max_value=100))
def test_state_at_follows_the_clock(offset_days):
    now = day(offset_days)
    state = state_at(day(0), day(10), now)
    expected = (
        PhaseState.SCHEDULED
        if offset_days < 0
        else PhaseState.OPEN
        if offset_days < 10
        else PhaseState.CLOSED
    )
    assert state == expected
