from __future__ import annotations

from clipcontest.voting import domain, ledger
from clipcontest.voting.demo import load_demo_votes
from clipcontest.voting.enums import VoteState
from clipcontest.voting.models import LedgerRecord, Vote


def test_demo_votes_chain_verifies_and_is_idempotent(voting):
    created = load_demo_votes(contest=voting.contest, by=voting.organizer)
    assert created > 2000
    assert load_demo_votes(contest=voting.contest, by=voting.organizer) == 0
    assert Vote.objects.count() == created
    assert Vote.objects.filter(state=VoteState.HELD).count() == 90
    records = [
        ledger.Record(*r)
        for r in LedgerRecord.objects.order_by("seq").values_list(
            "seq", "kind", "entry", "voter", "at", "ref", "reason", "prev", "hash"
        )
    ]
    result = ledger.verify(domain.ledger_header(voting.contest), records)
    assert result.ok, result.errors[:3]
    assert sum(result.tally.values()) == created
