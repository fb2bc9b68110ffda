from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection, connections

from clipcontest.core.errors import DomainError
from clipcontest.voting import domain, publish, sealing
from clipcontest.voting.models import LogLeaf, TreeHead, Vote, Voter

from ..factories import ContestFactory, TeamFactory, UnitFactory
from .factories import make_entry, open_voting, solved
from .helpers import recount

pytestmark = pytest.mark.django_db(transaction=True)


LOCK_RETRY = threading.Event()  # never set: its wait() is the retry back-off


def on_shared_memory_sqlite(action):
    """Run ``action``; on the test suite's in-memory SQLite, retry "table is locked".

    The test database is SQLite's shared-cache memory database, whose table locks fail
    at once (SQLITE_LOCKED) instead of waiting like the real data file does (WAL, busy
    timeout, BEGIN IMMEDIATE). Each retry starts over with a fresh challenge, exactly
    as a browser would. PostgreSQL never takes this path.
    """
    # Bounded by time, not by a count of tries: on a loaded machine another thread may
    # hold the lock for longer than any fixed number of immediate retries takes.
    give_up = time.monotonic() + 120
    while time.monotonic() < give_up:
        try:
            return action()
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            LOCK_RETRY.wait(0.002)  # back off a little, as a client would, then retry
    raise AssertionError("SQLite stayed locked for two minutes")


def test_fifty_concurrent_attempts_of_one_voter_give_one_vote(settings):
    settings.VOTING_RATE_IP = 1000
    settings.VOTING_RATE_SUBNET = 1000
    settings.VOTING_RATE_VOTER = 1000
    province = UnitFactory(code="51")
    contest = ContestFactory(organizer_unit=province)
    open_voting(contest)
    entry = make_entry(contest, TeamFactory(unit=province))
    voter = Voter.objects.create(kind="email", identity_hash="b" * 64)
    payloads = list(range(50))
    start = threading.Barrier(50)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(_n: int) -> None:
        start.wait()
        try:
            on_shared_memory_sqlite(
                lambda: domain.cast_vote(
                    contest=contest,
                    entry=entry,
                    voter=voter,
                    challenge_payload=solved(),
                    ip="198.51.100.7",
                )
            )
            result = "ok"
        except domain.AlreadyVoted:
            result = "already"
        except DomainError as exc:
            result = f"refused:{exc.code}"
        except Exception as exc:  # a 500 in the web: must not happen
            result = f"crash:{exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(p,)) for p in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(set(outcomes)) == ["already", "ok"], outcomes
    assert outcomes.count("ok") == 1
    assert Vote.objects.count() == 1
    result = recount(contest)
    assert result.errors == []
    assert result.leaves == 1


def test_concurrent_votes_of_many_voters_are_sealed_once_each(settings):
    settings.VOTING_RATE_IP = 1000
    settings.VOTING_RATE_SUBNET = 1000
    province = UnitFactory(code="51")
    contest = ContestFactory(organizer_unit=province)
    open_voting(contest)
    entry = make_entry(contest, TeamFactory(unit=province))
    voters = [Voter.objects.create(kind="email", identity_hash=f"{i:064d}") for i in range(20)]
    start = threading.Barrier(20)
    errors: list[str] = []

    def attempt(voter: Voter) -> None:
        start.wait()
        try:
            on_shared_memory_sqlite(
                lambda: domain.cast_vote(
                    contest=contest,
                    entry=entry,
                    voter=voter,
                    challenge_payload=solved(),
                    ip=f"198.51.{voters.index(voter)}.7",
                )
            )
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(v,)) for v in voters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    heads = [h.note for h in publish.heads(contest)]
    result = recount(contest, heads=heads)
    assert result.errors == []
    assert result.tally == {str(entry.public_id): 20}
    assert LogLeaf.objects.filter(contest=contest).count() == 20
    assert result.heads_checked == TreeHead.objects.filter(contest=contest).count()


def test_concurrent_sequencers_never_fork_the_log(settings):
    province = UnitFactory(code="51")
    contest = ContestFactory(organizer_unit=province)
    open_voting(contest)
    entry = make_entry(contest, TeamFactory(unit=province))
    for i in range(30):
        voter = Voter.objects.create(kind="email", identity_hash=f"{i:064d}")
        Vote.objects.create(contest=contest, entry=entry, voter=voter, receipt=f"{i:032d}")
    start = threading.Barrier(4)
    errors: list[str] = []

    def run() -> None:
        start.wait()
        try:
            on_shared_memory_sqlite(lambda: sealing.seal(contest=contest))
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(LogLeaf.objects.values_list("index", flat=True)) == list(range(30))
    assert Vote.objects.filter(leaf_index__isnull=True).count() == 0
    heads = [h.note for h in publish.heads(contest)]
    assert recount(contest, heads=heads).errors == []
