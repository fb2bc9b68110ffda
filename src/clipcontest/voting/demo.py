"""Demo votes for the 2023 contest: thousands of verified votes over the voting weeks,
and a few bursts waiting in the fraud queue. Deterministic and idempotent."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.conf import settings
from django.db import transaction

from clipcontest.contests.models import Contest

from . import identity, ledger
from .enums import IdentityKind, VoteState
from .fraud import BURST_IP, BURST_SUBNET, ROBOTIC_TIMING
from .models import LedgerHead, LedgerRecord, Vote, Voter
from .queries import gallery_entries, settings_for, voting_phase

SEED = 2023
VOTERS = 2400
BURSTS = 3
BURST_SIZE = 30


def load_demo_votes(*, contest: Contest, by: Any = None) -> int:
    """Create the demo votes and their ledger unless the contest has any; returns how
    many votes were created. Writes voters, votes, ledger records and the ledger head in
    one transaction (bulk inserts; the chain is sealed with voting/ledger.py)."""
    phase = voting_phase(contest)
    entries = list(gallery_entries(contest).order_by("pk"))
    if phase is None or not entries or LedgerHead.objects.filter(contest=contest).exists():
        return 0
    rng = random.Random(SEED)  # noqa: S311 - deterministic demo data, not secrets
    span = (phase.ends_at - phase.starts_at).total_seconds()
    weights = [rng.uniform(0.3, 3.0) for _ in entries]
    ballots: list[tuple[dt.datetime, int, int, str, list[str], str]] = []
    for v in range(VOTERS):
        picks = {rng.choices(range(len(entries)), weights)[0] for _ in range(rng.randint(1, 3))}
        for pick in picks:
            at = phase.starts_at + dt.timedelta(seconds=rng.uniform(0, span - 1))
            ip = f"113.{rng.randint(160, 191)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            ballots.append((at, v, pick, ip, [], VoteState.VALID))
    for b in range(BURSTS):
        start = phase.starts_at + dt.timedelta(seconds=rng.uniform(0, span - 600))
        pick = rng.randrange(len(entries))
        for i in range(BURST_SIZE):
            v = VOTERS + b * BURST_SIZE + i
            at = start + dt.timedelta(seconds=2 * i)
            reasons = [BURST_IP, BURST_SUBNET] + ([ROBOTIC_TIMING] if i >= 8 else [])
            ballots.append((at, v, pick, f"27.72.{b}.9", reasons, VoteState.HELD))
    ballots.sort(key=lambda b: (b[0], b[1]))
    with transaction.atomic():
        return _write(contest, entries, ballots)


def _write(contest: Contest, entries: list[Any], ballots: list[Any]) -> int:
    count = max(b[1] for b in ballots) + 1
    hashes = [
        identity.identity_hash(IdentityKind.EMAIL, f"demo-voter-{n}@demo.clipcontest.local")
        for n in range(count)
    ]
    Voter.objects.bulk_create(
        [
            Voter(kind=IdentityKind.EMAIL, identity_hash=h, email_domain="demo.clipcontest.local")
            for h in hashes
        ],
        ignore_conflicts=True,
    )
    voter_ids = dict(
        Voter.objects.filter(identity_hash__in=hashes).values_list("identity_hash", "pk")
    )
    policy = settings_for(contest).policy
    votes = Vote.objects.bulk_create(
        [
            Vote(
                contest=contest,
                entry=entries[pick],
                voter_id=voter_ids[hashes[v]],
                period=ledger.period_key(policy, at, settings.TIME_ZONE),
                cast_at=at,
                state=state,
                signals=reasons,
                ip=ip,
                subnet=ip.rsplit(".", 1)[0] + ".0/24",
            )
            for at, v, pick, ip, reasons, state in ballots
        ],
        batch_size=1000,
    )
    prev, records = ledger.genesis_hash(contest.slug), []
    for seq, (vote, (at, v, pick, _ip, _r, _s)) in enumerate(zip(votes, ballots, strict=True), 1):
        sealed = ledger.seal(
            seq=seq,
            kind=ledger.VOTE,
            entry=str(entries[pick].public_id),
            voter=identity.pseudonym(contest.pk, hashes[v]),
            at=at,
            prev=prev,
        )
        prev = sealed.hash
        records.append(
            LedgerRecord(
                contest=contest,
                vote=vote,
                seq=seq,
                kind=sealed.kind,
                entry=sealed.entry,
                voter=sealed.voter,
                at=sealed.at,
                ref=0,
                reason="",
                prev=sealed.prev,
                hash=sealed.hash,
            )
        )
    LedgerRecord.objects.bulk_create(records, batch_size=1000)
    LedgerHead.objects.create(contest=contest, seq=len(records), hash=prev)
    return len(votes)
