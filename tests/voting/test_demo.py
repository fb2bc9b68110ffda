from __future__ import annotations

from clipcontest.voting import publish
from clipcontest.voting.demo import load_demo_votes
from clipcontest.voting.enums import VoteState
from clipcontest.voting.models import LogLeaf, Vote

from .helpers import recount


def test_demo_votes_are_sealed_verify_and_load_once(voting):
    created = load_demo_votes(contest=voting.contest, by=voting.organizer)
    assert created > 2000
    assert load_demo_votes(contest=voting.contest, by=voting.organizer) == 0
    assert Vote.objects.count() == created
    assert Vote.objects.filter(state=VoteState.HELD).count() == 90
    assert LogLeaf.objects.count() == created
    assert Vote.objects.filter(receipt__isnull=True).count() == 0
    result = recount(voting.contest, heads=[h.note for h in publish.heads(voting.contest)])
    assert result.errors == []
    assert sum(result.tally.values()) == created
