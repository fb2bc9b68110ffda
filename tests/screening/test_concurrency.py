"""Concurrent forwards from one unit: the quota holds (row lock on the unit's record).

Each thread has its own database connection. On PostgreSQL the forwards really overlap
and queue on SELECT ... FOR UPDATE; on SQLite the writers queue on BEGIN IMMEDIATE.
"""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import OperationalError, connection

from clipcontest.core.errors import DomainError
from clipcontest.screening import domain
from clipcontest.screening.enums import ScreeningState
from clipcontest.screening.models import EntryScreening, UnitScreening
from tests.factories import (
    ContestFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
    grant,
    level_for,
)

from .factories import during, screening_chain, submitted_entry

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

THREADS = 6
QUOTA = 2


def test_concurrent_forwards_never_exceed_the_quota():
    province = UnitFactory(code="51")
    commune = UnitFactory(parent=UnitFactory(parent=province, code="528"), code="21271")
    contest = ContestFactory(organizer_unit=province)
    hierarchy = province.hierarchy
    low, _mid, _top = screening_chain(
        contest,
        [
            (level_for(hierarchy, 2), QUOTA),
            (level_for(hierarchy, 1), 3),
            (level_for(hierarchy, 0), 9),
        ],
    )
    coordinators = [UserFactory(username=f"dieuphoi{i}") for i in range(THREADS)]
    for user in coordinators:
        grant(user, "coordinator", unit=commune)
    teams = [TeamFactory(unit=commune) for _ in range(THREADS)]
    entries = [submitted_entry(contest, team) for team in teams]
    domain.enter_screening(contest=contest, now=during(low))
    results: list[str] = []
    barrier = threading.Barrier(THREADS)

    def forward(i: int) -> None:
        barrier.wait(timeout=10)
        try:
            results.append(forward_retrying_shared_memory_locks(i))
        finally:
            connection.close()

    def forward_retrying_shared_memory_locks(i: int) -> str:
        # The SQLite *test* database is in memory with a shared cache, where a second
        # writer is refused at once ("table is locked") instead of waiting busy_timeout
        # as it does on the file database. The refused transaction wrote nothing, so it
        # is simply run again; PostgreSQL never takes this path.
        while True:
            try:
                domain.forward_entries(
                    contest=contest, unit=commune, entries=[entries[i]], by=coordinators[i]
                )
            except DomainError as exc:
                return exc.code
            except OperationalError as exc:
                if connection.vendor != "sqlite" or "locked" not in str(exc):
                    raise
                continue
            return "forwarded"

    with time_machine.travel(during(low), tick=False):
        for i, entry in enumerate(entries):
            domain.shortlist_entry(entry=entry, unit=commune, by=coordinators[i])
        threads = [threading.Thread(target=forward, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(results) == ["forwarded"] * QUOTA + ["over_quota"] * (THREADS - QUOTA)
    assert UnitScreening.objects.get(phase=low, unit=commune).forwarded_count == QUOTA
    assert EntryScreening.objects.filter(phase=low, state=ScreeningState.FORWARDED).count() == QUOTA
    assert EntryScreening.objects.exclude(phase=low).count() == QUOTA
