"""Demo votes for the 2023 contest: thousands of verified votes over the voting weeks,
and a few bursts waiting in the fraud queue. Deterministic and idempotent."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from clipcontest.contests.models import Contest

from . import domain, identity, sealing
from .enums import IdentityKind
from .fraud import BURST_IP, BURST_SUBNET, ROBOTIC_TIMING
from .models import Vote, Voter
from .queries import gallery_entries, settings_for, voting_phase

SEED = 2023
VOTERS = 2400
BURSTS = 3
BURST_SIZE = 30


def load_demo_votes(*, contest: Contest, by: Any = None) -> int:
    """Create the demo votes unless the contest has any; returns how many were created.

    Every vote goes through ``domain.record_vote`` (the insert a real vote makes, with
    its receipt) and the sequencer seals them into the log: the demo has no writer of
    its own. One transaction for the votes, then the seal.
    """
    phase = voting_phase(contest)
    entries = list(gallery_entries(contest).order_by("pk"))
    if phase is None or not entries or Vote.objects.filter(contest=contest).exists():
        return 0
    rng = random.Random(SEED)  # noqa: S311 - deterministic demo data, not secrets
    span = (phase.ends_at - phase.starts_at).total_seconds()
    weights = [rng.uniform(0.3, 3.0) for _ in entries]
    ballots: list[tuple[dt.datetime, int, int, str, list[str], bool]] = []
    for v in range(VOTERS):
        picks = {rng.choices(range(len(entries)), weights)[0] for _ in range(rng.randint(1, 3))}
        for pick in picks:
            at = phase.starts_at + dt.timedelta(seconds=rng.uniform(0, span - 1))
            ip = f"113.{rng.randint(160, 191)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            ballots.append((at, v, pick, ip, [], False))
    for b in range(BURSTS):
        start = phase.starts_at + dt.timedelta(seconds=rng.uniform(0, span - 600))
        pick = rng.randrange(len(entries))
        for i in range(BURST_SIZE):
            v = VOTERS + b * BURST_SIZE + i
            at = start + dt.timedelta(seconds=2 * i)
            reasons = [BURST_IP, BURST_SUBNET] + ([ROBOTIC_TIMING] if i >= 8 else [])
            ballots.append((at, v, pick, f"27.72.{b}.9", reasons, True))
    ballots.sort(key=lambda b: (b[0], b[1]))
    with transaction.atomic():
        created = _write(contest, entries, ballots)
    sealing.seal(contest=contest)
    return created


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
    voters = {v.identity_hash: v for v in Voter.objects.filter(identity_hash__in=hashes)}
    voting = settings_for(contest)
    for at, v, pick, ip, reasons, held in ballots:
        domain.record_vote(
            contest=contest,
            entry=entries[pick],
            voter=voters[hashes[v]],
            at=at,
            voting=voting,
            held=held,
            signals=reasons,
            ip=ip,
            subnet=ip.rsplit(".", 1)[0] + ".0/24",
        )
    return len(ballots)
