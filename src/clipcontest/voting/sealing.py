"""The sequencer: turns committed votes and invalidations into leaves of the contest's
vote log and publishes a signed tree head.

Casting a vote never waits for this: a vote is one short insert. Sealing runs apart
(a Huey task kicked after each vote's commit, and a periodic sweep), one sequencer per
contest at a time: PostgreSQL's advisory lock, SQLite's write lock (IMMEDIATE
transactions). The unique constraints on leaves (one index per contest, one leaf per
vote and kind) make a second writer fail rather than fork the log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from clipcontest.audit import domain as audit
from clipcontest.contests.models import Contest
from clipcontest.core import pagecache as core_pagecache

from . import conf, identity, ledger, queries, signing
from .enums import VoteState
from .models import LogLeaf, TreeHead, Vote

BATCH = 5000


@dataclass(frozen=True)
class Pending:
    """A leaf about to be sealed (plain data, in sealing order)."""

    vote_id: int
    entry_id: int
    leaf: ledger.Leaf


def _advisory_lock(contest_id: int) -> None:
    """Wait for this contest's sequencer lock (released at commit). SQLite needs none:
    its IMMEDIATE transactions already hold the database's only write lock."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(
            hashlib.sha256(f"clipcontest.seal:{contest_id}".encode()).digest()[:8],
            "big",
            signed=True,
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def latest_head(contest: Contest | int) -> TreeHead | None:
    contest_id = contest if isinstance(contest, int) else contest.pk
    return TreeHead.objects.filter(contest_id=contest_id).order_by("-size").first()


FIELDS = ("pk", "entry_id", "entry__public_id", "voter__identity_hash", "cast_at", "receipt")


def _vote_leaf(contest: Contest, row: tuple) -> ledger.Leaf:
    _pk, _entry_id, public_id, identity_hash, cast_at, receipt = row[:6]
    return ledger.Leaf(
        contest=contest.slug,
        kind=ledger.VOTE,
        entry=str(public_id),
        voter=identity.pseudonym(contest.pk, identity_hash),
        at=ledger.format_time(cast_at),
        receipt=receipt or "",
    )


def _pending(contest: Contest, size: int) -> list[Pending]:
    """Unsealed votes (cast time, id), then invalidations of sealed votes (review time,
    id): the deterministic order of the next leaves. Plain rows, no model instances."""
    votes = list(
        Vote.objects.filter(contest=contest, leaf_index__isnull=True)
        .order_by("cast_at", "pk")
        .values_list(*FIELDS)[:BATCH]
    )
    out = [Pending(row[0], row[1], _vote_leaf(contest, row)) for row in votes]
    indexes = {row[0]: size + n for n, row in enumerate(votes)}
    struck = (
        Vote.objects.filter(
            contest=contest, state=VoteState.INVALID, invalidation_index__isnull=True
        )
        .order_by("reviewed_at", "pk")
        .values_list(*FIELDS, "leaf_index", "reviewed_at", "reason")[: BATCH - len(out)]
    )
    for row in struck:
        leaf_index, reviewed_at, reason = row[6:]
        ref = leaf_index if leaf_index is not None else indexes.get(row[0])
        if ref is None:
            continue  # the vote itself is not sealed yet: next batch
        voted = _vote_leaf(contest, row)
        leaf = ledger.Leaf(
            contest=voted.contest,
            kind=ledger.INVALIDATE,
            entry=voted.entry,
            voter=voted.voter,
            at=ledger.format_time(reviewed_at or timezone.now()),
            ref=ref,
            reason=reason,
        )
        out.append(Pending(row[0], row[1], leaf))
    return out


def seal(*, contest: Contest, now: dt.datetime | None = None) -> TreeHead | None:
    """Seal every pending vote and invalidation of ``contest`` (in batches of BATCH).

    Writes the leaves, sets each vote's ``leaf_index`` / ``invalidation_index``, and
    publishes one signed tree head per batch; one transaction per batch. Returns the
    last head published, or None when nothing was pending. Idempotent.
    """
    published = None
    while True:
        head = _seal_batch(contest=contest, now=now)
        if head is None:
            return published
        published = head


def _seal_batch(*, contest: Contest, now: dt.datetime | None) -> TreeHead | None:
    with transaction.atomic():
        _advisory_lock(contest.pk)
        head = latest_head(contest)
        size = head.size if head else 0
        frontier = [bytes.fromhex(h) for h in head.frontier] if head else []
        pending = _pending(contest, size)
        if not pending:
            return None
        rows = []
        for offset, item in enumerate(pending):
            data = item.leaf.encode()
            digest = ledger.leaf_hash(data)
            frontier = ledger.frontier_append(frontier, size + offset, digest)
            rows.append(
                LogLeaf(
                    contest=contest,
                    index=size + offset,
                    kind=item.leaf.kind,
                    data=data.decode(),
                    hash=digest.hex(),
                    vote_id=item.vote_id,
                    entry_id=item.entry_id,
                    reason=item.leaf.reason,
                )
            )
        LogLeaf.objects.bulk_create(rows, batch_size=1000)
        # One statement per kind marks the batch's votes with their leaf index.
        for field, kind in (("leaf_index", ledger.VOTE), ("invalidation_index", ledger.INVALIDATE)):
            ids = [r.vote_id for r in rows if r.kind == kind]
            if ids:
                index = LogLeaf.objects.filter(vote=OuterRef("pk"), kind=kind).values("index")
                Vote.objects.filter(pk__in=ids).update(**{field: Subquery(index[:1])})
        # Counts come from sealed leaves: cached pages showing them are stale after commit.
        core_pagecache.changed_on_commit(contest.pk)
        return _publish(contest, size + len(rows), frontier, now or timezone.now())


def _publish(contest: Contest, size: int, frontier: list[bytes], now: dt.datetime) -> TreeHead:
    key = signing.log_key()
    root = ledger.frontier_root(frontier)
    point = ledger.Checkpoint(
        origin=signing.origin(contest.slug),
        size=size,
        root=root,
        time=now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    return TreeHead.objects.create(
        contest=contest,
        size=size,
        root=root.hex(),
        at=now,
        note=key.sign(point.body()),
        frontier=[h.hex() for h in frontier],
    )


def pending_contests() -> list[int]:
    """Contests with a vote or an invalidation waiting to be sealed."""
    unsealed = Vote.objects.filter(leaf_index__isnull=True).values_list("contest_id", flat=True)
    struck = Vote.objects.filter(
        state=VoteState.INVALID, invalidation_index__isnull=True
    ).values_list("contest_id", flat=True)
    return sorted(set(unsealed.distinct()) | set(struck.distinct()))


def check_lag(*, contest: Contest, now: dt.datetime | None = None) -> bool:
    """Alert the organizer when sealing is behind the merge delay: an audit event (at
    most one per contest every ten minutes); the manage page shows the lag too.
    Returns whether the log is behind."""
    lag = queries.sealing_lag_seconds(contest, now)
    delay = conf.get("VOTING_MERGE_DELAY")
    if lag <= delay:
        return False
    if cache.add(f"voting:seal-behind:{contest.pk}", 1, timeout=600):
        audit.record(
            action="voting.sealing_behind",
            target=contest,
            contest=contest,
            after={"lag_seconds": round(lag, 1), "merge_delay": delay},
        )
    return True
