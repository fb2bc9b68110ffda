"""How fast the sequencer seals (issue 15): leaves sealed per second against the rate
at which the same votes are inserted, on a fresh SQLite site, in the same run.

Baseline: inserting BENCH_VOTES votes (bulk, 1,000 a statement: cheaper per vote than
any real cast). Then one ``sealing.seal`` call seals them all (leaf encoding, pseudonym,
SHA-256, 5,000 leaves and one signed head per transaction). The issue asks the
sequencer to keep up with ≥ 10× the vote rate; the vote endpoint's rate is measured by
benchmarks/vote_efficiency.py.

Usage: .venv/bin/python benchmarks/seal_rate.py     (BENCH_VOTES, default 20000)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import django_site


def main() -> None:
    n = int(os.environ.get("BENCH_VOTES", "20000"))
    django_site()
    from clipcontest.contests.models import Contest
    from clipcontest.org.models import Hierarchy, Level, Team, Unit
    from clipcontest.voting import ledger, sealing
    from clipcontest.voting.models import Vote, Voter
    from tests.voting.factories import make_entry, open_voting

    h = Hierarchy.objects.create(slug="b", name="B")
    level = Level.objects.create(hierarchy=h, name="tinh", rank=0)
    unit = Unit.objects.create(hierarchy=h, level=level, code="51", name="QN", path="/51/", depth=0)
    team = Team.objects.create(unit=unit, name="T")
    contest = Contest.objects.create(
        slug="bench", series="bench", title="B", edition=1, organizer_unit=unit, status="published"
    )
    open_voting(contest)
    entries = [make_entry(contest, team, f"E{i}", slot=i + 1) for i in range(21)]
    Voter.objects.bulk_create(
        [Voter(kind="email", identity_hash=f"{i:064x}") for i in range(n)], batch_size=1000
    )
    voters = list(Voter.objects.order_by("pk"))
    started = time.perf_counter()
    Vote.objects.bulk_create(
        [
            Vote(
                contest=contest,
                entry=entries[i % 21],
                voter=voters[i],
                receipt=ledger.receipt_tag(f"R{i}"),
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    insert_s = time.perf_counter() - started
    started = time.perf_counter()
    head = sealing.seal(contest=contest)
    seal_s = time.perf_counter() - started
    assert head is not None and head.size == n
    print(f"load average: {os.getloadavg()[0]:.1f}")
    print(f"bulk insert of {n:,} votes: {insert_s:6.2f} s = {n / insert_s:8,.0f} votes/s")
    print(f"sealing them:              {seal_s:6.2f} s = {n / seal_s:8,.0f} leaves/s")
    print(f"ratio sealing ÷ bulk insert: {insert_s / seal_s:.2f}")


if __name__ == "__main__":
    main()
