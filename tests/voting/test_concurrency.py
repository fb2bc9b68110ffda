from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, connections

from clipcontest.core.errors import DomainError
from clipcontest.voting import domain, ledger
from clipcontest.voting.models import LedgerRecord, Vote, Voter

from ..factories import ContestFactory, TeamFactory, UnitFactory
from .factories import make_entry, open_voting, solved

pytestmark = pytest.mark.django_db(transaction=True)


def on_shared_memory_sqlite(action):
    """Run ``action``; on the test suite's in-memory SQLite, retry "table is locked".

    The test database is SQLite's shared-cache memory database, whose table locks fail
    at once (SQLITE_LOCKED) instead of waiting like the real data file does (WAL, busy
    timeout, BEGIN IMMEDIATE). Each retry starts over with a fresh challenge, exactly
    as a browser would. PostgreSQL never takes this path.
    """
    for _ in range(10_000):
        try:
            return action()
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
    raise AssertionError("SQLite stayed locked")


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
    header = domain.ledger_header(contest)
    records = [
        ledger.Record(*r)
        for r in LedgerRecord.objects.order_by("seq").values_list(
            "seq", "kind", "entry", "voter", "at", "ref", "reason", "prev", "hash"
        )
    ]
    assert ledger.verify(header, records).ok
    assert len(records) == 1


def test_concurrent_votes_of_many_voters_keep_the_chain_linear(settings):
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
    records = [
        ledger.Record(*r)
        for r in LedgerRecord.objects.order_by("seq").values_list(
            "seq", "kind", "entry", "voter", "at", "ref", "reason", "prev", "hash"
        )
    ]
    result = ledger.verify(domain.ledger_header(contest), records)
    assert result.ok, result.errors
    assert result.tally == {str(entry.public_id): 20}
