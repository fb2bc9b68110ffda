from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from clipcontest.contests.models import Phase
from clipcontest.core.errors import DomainError
from clipcontest.core.ratelimit import RateLimited
from clipcontest.voting import domain, ledger, queries, sealing
from clipcontest.voting.challenge import ChallengeFailed
from clipcontest.voting.enums import VoteState
from clipcontest.voting.models import LogLeaf, TreeHead, Vote, VotingSettings

from .factories import make_entry, solved


def cast(w, voter, entry=None, **kw):
    kw.setdefault("challenge_payload", solved())
    kw.setdefault("ip", "203.0.113.9")
    return domain.cast_vote(contest=w.contest, entry=entry or w.entry_a, voter=voter, **kw)


def test_vote_is_counted_once_sealed(voting, voter):
    vote = cast(voting, voter)
    assert vote.state == VoteState.VALID
    assert queries.tally(voting.contest) == {}
    head = sealing.seal(contest=voting.contest)
    leaf = LogLeaf.objects.get(vote=vote)
    assert (leaf.index, leaf.kind, head.size) == (0, ledger.VOTE, 1)
    assert ledger.Leaf.decode(leaf.data.encode()).receipt == ledger.receipt_tag(vote.receipt_code)
    assert head.root == ledger.root_of([bytes.fromhex(leaf.hash)]).hex()
    assert queries.tally(voting.contest) == {voting.entry_a.pk: 1}


def test_seal_twice_seals_nothing_the_second_time(voting, voter):
    cast(voting, voter)
    sealing.seal(contest=voting.contest)
    assert sealing.seal(contest=voting.contest) is None
    assert (LogLeaf.objects.count(), TreeHead.objects.count()) == (1, 1)


def test_second_vote_same_entry_refused_other_entry_allowed(voting, voter):
    cast(voting, voter)
    with pytest.raises(domain.AlreadyVoted):
        cast(voting, voter)
    cast(voting, voter, voting.entry_b)
    assert Vote.objects.count() == 2
    sealing.seal(contest=voting.contest)
    assert LogLeaf.objects.count() == 2


def test_daily_policy_caps_votes_per_day(voting, voter):
    VotingSettings.objects.create(contest=voting.contest, policy="daily", votes_per_day=1)
    cast(voting, voter)
    with pytest.raises(domain.AlreadyVoted, match="all 1 of today"):
        cast(voting, voter, voting.entry_b)
    tomorrow = timezone.now() + dt.timedelta(days=1)
    cast(voting, voter, now=tomorrow)
    assert list(Vote.objects.values_list("slot", flat=True)) == [1, 1]


@pytest.mark.parametrize("shift", [dt.timedelta(days=-5), dt.timedelta(days=20)])
def test_vote_outside_window_refused(voting, voter, shift):
    with pytest.raises(DomainError, match="Voting is not open"):
        cast(voting, voter, now=timezone.now() + shift)


def test_no_voting_phase_refused(world, voter):
    entry = make_entry(world.contest, world.team_a)
    with pytest.raises(DomainError, match="Voting is not open"):
        domain.cast_vote(
            contest=world.contest, entry=entry, voter=voter, challenge_payload=solved(), ip=None
        )


@pytest.mark.parametrize("finalist, video", [(False, True), (True, False)])
def test_vote_for_non_gallery_entry_refused(voting, voter, finalist, video):
    entry = make_entry(voting.contest, voting.team_a, "x", finalist=finalist, video=video, slot=2)
    with pytest.raises(DomainError, match="cannot receive votes"):
        cast(voting, voter, entry)
    assert not Vote.objects.exists()


def test_forged_challenge_refused(voting, voter):
    import base64
    import json

    payload = json.loads(base64.b64decode(solved()))
    payload["number"] += 1
    with pytest.raises(ChallengeFailed):
        cast(
            voting, voter, challenge_payload=base64.b64encode(json.dumps(payload).encode()).decode()
        )
    with pytest.raises(ChallengeFailed):
        cast(voting, voter, challenge_payload="garbage")
    with pytest.raises(ChallengeFailed):
        cast(voting, voter, challenge_payload="")


def test_replayed_challenge_refused(voting, voter):
    payload = solved()
    cast(voting, voter, challenge_payload=payload)
    with pytest.raises(ChallengeFailed, match="already used"):
        cast(voting, voter, voting.entry_b, challenge_payload=payload)


def test_expired_challenge_refused(voting, voter):
    with pytest.raises(ChallengeFailed):
        cast(voting, voter, challenge_payload=solved(expires_in=-5))


def test_vote_rate_limited_per_ip(voting, voter, settings):
    settings.VOTING_RATE_IP = 1
    cast(voting, voter)
    with pytest.raises(RateLimited) as info:
        cast(voting, voter, voting.entry_b)
    assert info.value.status == 429


def test_burst_from_one_address_is_held(voting, settings):
    from clipcontest.voting.models import Voter

    settings.VOTING_RATE_IP = 1000
    voters = [Voter.objects.create(kind="email", identity_hash=f"{i:064d}") for i in range(25)]
    start = timezone.now()
    # Irregular spacing, so that only the burst signal fires (not machine-like timing).
    states = [
        cast(voting, v, now=start + dt.timedelta(seconds=i * i)).state for i, v in enumerate(voters)
    ]
    assert states[:20] == [VoteState.VALID] * 20
    assert states[20:] == [VoteState.HELD] * 5
    assert Vote.objects.filter(state=VoteState.HELD).first().signals == ["burst_ip"]


def test_back_to_back_votes_from_one_network_are_held_as_robotic(voting, settings):
    from clipcontest.voting.models import Voter

    settings.VOTING_RATE_IP = 1000
    voters = [Voter.objects.create(kind="email", identity_hash=f"{i:064d}") for i in range(10)]
    start = timezone.now()
    votes = [cast(voting, v, now=start + dt.timedelta(seconds=2 * i)) for i, v in enumerate(voters)]
    assert [v.state for v in votes] == [VoteState.VALID] * 8 + [VoteState.HELD] * 2
    assert votes[-1].signals == ["robotic_timing"]


def test_log_rows_cannot_be_changed_or_deleted(voting, voter, append_only):
    cast(voting, voter)
    sealing.seal(contest=voting.contest)
    with pytest.raises(DatabaseError), transaction.atomic():
        LogLeaf.objects.update(data="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        LogLeaf.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        TreeHead.objects.update(root="0" * 64)


def test_ledger_cannot_be_emptied(voting, voter, append_only):
    cast(voting, voter)
    sealing.seal(contest=voting.contest)
    # TRUNCATE on PostgreSQL (a statement trigger); an unqualified DELETE on SQLite.
    if connection.vendor == "postgresql":
        statement, refusal = "TRUNCATE voting_logleaf", "append-only (TRUNCATE refused)"
    else:
        statement, refusal = "DELETE FROM voting_logleaf", "append-only (DELETE refused)"
    with (
        pytest.raises(DatabaseError, match=re.escape(refusal)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The test's transaction holds deferred foreign-key checks, which TRUNCATE would
        # refuse on their own ("pending trigger events"): settle them first.
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(statement)
    assert LogLeaf.objects.count() == 1


def test_phase_closed_counts_hidden_until_close(voting, voter):
    VotingSettings.objects.create(contest=voting.contest, counts="after_close")
    voter_settings = queries.settings_for(voting.contest)
    window = queries.voting_window(voting.contest)
    assert not queries.counts_visible(voting.contest, voter_settings, window)
    Phase.objects.filter(contest=voting.contest, kind="voting").update(
        ends_at=timezone.now() - dt.timedelta(seconds=1),
        starts_at=timezone.now() - dt.timedelta(days=3),
    )
    window = queries.voting_window(voting.contest)
    assert queries.counts_visible(voting.contest, voter_settings, window)
