from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clipcontest.audit.models import AuditEvent
from clipcontest.contests import domain
from clipcontest.contests.enums import PhaseKind, PhaseState, PrizeKind
from clipcontest.contests.models import Contest
from clipcontest.contests.tasks import advance_phases
from clipcontest.core.errors import DomainError
from clipcontest.org.models import Level

from ..factories import HierarchyFactory, UnitFactory, UserFactory, level_for

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2030, 3, 1, tzinfo=dt.UTC)


def d(n: int) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def timeline(levels: list[Level]) -> list[domain.PhaseInput]:
    phases = [domain.PhaseInput(kind=PhaseKind.SUBMISSION, starts_at=d(0), ends_at=d(30))]
    start = 30
    for level in levels:
        phases.append(
            domain.PhaseInput(
                kind=PhaseKind.SCREENING,
                level=level,
                quota=2,
                starts_at=d(start),
                ends_at=d(start + 5),
            )
        )
        start += 5
    phases += [
        domain.PhaseInput(kind=PhaseKind.VOTING, starts_at=d(start), ends_at=d(start + 10)),
        domain.PhaseInput(kind=PhaseKind.RESULTS, starts_at=d(start + 20), ends_at=d(start + 40)),
    ]
    return phases


@pytest.fixture
def province():
    unit = UnitFactory(code="51")
    district = UnitFactory(parent=unit)
    UnitFactory(parent=district)
    return unit


@pytest.fixture
def organizer():
    return UserFactory(username="org")


def new_contest(province, organizer, slug="c1", edition=1) -> Contest:
    return domain.create_contest(
        by=organizer,
        slug=slug,
        series="s",
        edition=edition,
        organizer_unit=province,
        title="Cuộc thi",
    )


def test_create_contest_logs_event(province, organizer):
    contest = new_contest(province, organizer)
    event = AuditEvent.objects.get(action="contest.created")
    assert event.contest == contest
    assert event.actor == organizer
    assert event.after["title"] == "Cuộc thi"


def test_create_contest_duplicate_edition_is_refused_and_nothing_written(province, organizer):
    new_contest(province, organizer)
    with pytest.raises(DomainError) as exc:
        new_contest(province, organizer, slug="c2")
    assert exc.value.messages == ["This series already has an edition number 1."]
    assert Contest.objects.count() == 1
    assert AuditEvent.objects.filter(action="contest.created").count() == 1


def test_create_contest_duplicate_slug_is_refused(province, organizer):
    new_contest(province, organizer)
    with pytest.raises(DomainError) as exc:
        new_contest(province, organizer, edition=2)
    assert exc.value.messages == ["Another contest already uses the address c1."]


def test_update_contest_records_before_and_after(province, organizer):
    contest = new_contest(province, organizer)
    domain.update_contest(contest=contest, by=organizer, entries_per_team=3)
    event = AuditEvent.objects.get(action="contest.updated")
    assert (event.before, event.after) == ({"entries_per_team": 2}, {"entries_per_team": 3})


def test_update_contest_bad_durations_refused(province, organizer):
    contest = new_contest(province, organizer)
    with pytest.raises(DomainError):
        domain.update_contest(contest=contest, by=organizer, min_duration_seconds=900)
    contest.refresh_from_db()
    assert contest.min_duration_seconds == 30


def test_set_timeline_with_three_level_chain(province, organizer):
    contest = new_contest(province, organizer)
    h = province.hierarchy
    phases = domain.set_timeline(
        contest=contest,
        by=organizer,
        phases=timeline([level_for(h, 2), level_for(h, 1), level_for(h, 0)]),
    )
    assert [str(p) for p in phases] == [
        "submission",
        "screening: xã",
        "screening: huyện",
        "screening: tỉnh",
        "public voting",
        "results",
    ]


def test_set_timeline_skipping_level_changes_nothing(province, organizer):
    contest = new_contest(province, organizer)
    h = province.hierarchy
    domain.set_timeline(contest=contest, by=organizer, phases=timeline([level_for(h, 0)]))
    with pytest.raises(DomainError) as exc:
        domain.set_timeline(
            contest=contest, by=organizer, phases=timeline([level_for(h, 2), level_for(h, 0)])
        )
    assert exc.value.messages == ["The screening chain skips the level huyện."]
    assert contest.phases.count() == 4
    assert AuditEvent.objects.filter(action="contest.timeline_set").count() == 1


def test_set_timeline_refuses_level_of_other_hierarchy(province, organizer):
    contest = new_contest(province, organizer)
    other = level_for(HierarchyFactory(), 0)
    with pytest.raises(DomainError) as exc:
        domain.set_timeline(contest=contest, by=organizer, phases=timeline([other]))
    assert exc.value.messages == [
        "The level tỉnh belongs to another hierarchy than the organizer's unit."
    ]


def test_phases_open_and_close_by_the_clock_and_log_once(province, organizer):
    contest = new_contest(province, organizer)
    with time_machine.travel(d(-1), tick=False):
        domain.set_timeline(contest=contest, by=organizer, phases=timeline([]))
    with time_machine.travel(d(1), tick=False):
        assert advance_phases.call_local() == 1
        assert advance_phases.call_local() == 0
    states = dict(contest.phases.values_list("kind", "state"))
    assert states[PhaseKind.SUBMISSION] == PhaseState.OPEN
    assert states[PhaseKind.VOTING] == PhaseState.SCHEDULED
    event = AuditEvent.objects.get(action="phase.open")
    assert event.actor is None
    assert event.via == "worker"


def test_move_phase_needs_reason_and_revalidates(province, organizer):
    contest = new_contest(province, organizer)
    with time_machine.travel(d(-5), tick=False):
        domain.set_timeline(contest=contest, by=organizer, phases=timeline([]))
    submission = contest.phases.get(kind=PhaseKind.SUBMISSION)
    with pytest.raises(DomainError, match="Say why"):
        domain.move_phase(phase=submission, starts_at=d(0), ends_at=d(20), by=organizer, reason=" ")
    with pytest.raises(DomainError, match="may not overlap"):
        domain.move_phase(
            phase=submission, starts_at=d(0), ends_at=d(45), by=organizer, reason="longer"
        )
    with time_machine.travel(d(-5), tick=False):
        moved = domain.move_phase(
            phase=submission,
            starts_at=d(-5),
            ends_at=d(20),
            by=organizer,
            reason="Mở sớm theo đề nghị",
        )
    assert moved.state == PhaseState.OPEN
    event = AuditEvent.objects.get(action="phase.moved")
    assert event.reason == "Mở sớm theo đề nghị"
    assert event.before["starts_at"] == d(0).isoformat()


def test_prize_tiers_replace_in_order(province, organizer):
    contest = new_contest(province, organizer)
    domain.set_prize_tiers(
        contest=contest,
        by=organizer,
        tiers=[
            domain.PrizeInput(name="Giải Nhất toàn diện"),
            domain.PrizeInput(name="Chất lượng cao", count=4),
            domain.PrizeInput(name="Khán giả", kind=PrizeKind.AUDIENCE),
        ],
    )
    assert list(contest.prize_tiers.values_list("position", "name", "count")) == [
        (1, "Giải Nhất toàn diện", 1),
        (2, "Chất lượng cao", 4),
        (3, "Khán giả", 1),
    ]
    with pytest.raises(DomainError):
        domain.set_prize_tiers(
            contest=contest, by=organizer, tiers=[domain.PrizeInput(name="", count=0)]
        )
    assert contest.prize_tiers.count() == 3


def test_publish_without_timeline_is_refused(province, organizer):
    contest = new_contest(province, organizer)
    with pytest.raises(DomainError, match="timeline"):
        domain.set_status(contest=contest, status="published", by=organizer)


def test_clone_shifts_timeline_and_copies_prizes(province, organizer):
    source = new_contest(province, organizer)
    h = province.hierarchy
    domain.set_timeline(
        contest=source, by=organizer, phases=timeline([level_for(h, 1), level_for(h, 0)])
    )
    domain.set_prize_tiers(
        contest=source, by=organizer, tiers=[domain.PrizeInput(name="Giải Nhất", count=1)]
    )
    clone = domain.clone_contest(
        source=source,
        by=organizer,
        slug="c2",
        title="Lần II",
        edition=2,
        submission_starts_at=d(365),
    )
    assert clone.cloned_from == source
    assert [(p.kind, p.starts_at) for p in clone.phases.order_by("starts_at")] == [
        (p.kind, p.starts_at + dt.timedelta(days=365)) for p in source.phases.order_by("starts_at")
    ]
    assert list(clone.prize_tiers.values_list("name", flat=True)) == ["Giải Nhất"]


def test_clone_across_reform_drops_vanished_district_level(province, organizer):
    source = new_contest(province, organizer)
    h = province.hierarchy
    domain.set_timeline(
        contest=source,
        by=organizer,
        phases=timeline([level_for(h, 2), level_for(h, 1), level_for(h, 0)]),
    )
    new_map = HierarchyFactory(slug="vn-2025")
    new_province = UnitFactory(hierarchy=new_map, code="51")
    Level.objects.create(hierarchy=new_map, name="xã", rank=1)
    UnitFactory(parent=new_province, code="100")
    clone = domain.clone_contest(
        source=source,
        by=organizer,
        slug="c2",
        title="Lần II",
        edition=2,
        submission_starts_at=d(900),
        organizer_unit=new_province,
    )
    assert [str(p) for p in clone.phases.order_by("starts_at")] == [
        "submission",
        "screening: xã",
        "screening: tỉnh",
        "public voting",
        "results",
    ]


def test_sync_phase_states_query_count_is_constant(province, organizer):
    contest = new_contest(province, organizer)
    domain.set_timeline(contest=contest, by=organizer, phases=timeline([]))
    with CaptureQueriesContext(connection) as ctx:
        domain.sync_phase_states(now=d(-10))
    assert len(ctx.captured_queries) == 1
