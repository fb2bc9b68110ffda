"""Benchmark: the full results computation ÷ the bare SQL aggregates, same data, same run.

Data: 1,000 finalists, 50 jurors scoring all of them on 4 criteria (50,000 submitted
scorecards, 200,000 scores) and 1,000,000 counted public votes (1,000 voters × 1,000
entries). "Ours" is ``results.domain.compute_results``: load the scores and the vote
tally, weighted totals, aggregation, public normalisation, tie-breaks and prize
allocation with reasons: what the organizer's preview and the exports run. "Ours +
canonical JSON" adds the canonical document and its SHA-256, which only publishing,
verifying and the API preview build. "Bare SQL" is the two aggregate queries a
spreadsheet-minded implementation would run: the mean weighted total per entry and the
vote count per entry. Median of 5 interleaved runs each. Target ≤ 1.5.

Run:  .venv/bin/python benchmarks/results_computation.py            (throwaway SQLite)
      BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<your scratch db> \\
      .venv/bin/python benchmarks/results_computation.py            (creates, then drops,
                                                                     a scratch database)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SCRATCH = "clipcontest_bench_results"
BASE_URL = os.environ.get("BENCH_DATABASE_URL", "")
if BASE_URL:
    import psycopg

    with psycopg.connect(BASE_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
        admin.execute(f"CREATE DATABASE {SCRATCH}")
    os.environ["DATABASE_URL"] = BASE_URL.rsplit("/", 1)[0] + "/" + SCRATCH
else:
    os.environ.pop("DATABASE_URL", None)
os.environ["CLIPCONTEST_DATA_DIR"] = tempfile.mkdtemp(prefix="clipcontest-bench-")
os.environ.pop("REDIS_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "clipcontest.settings.test"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

N_ENTRIES, N_JURORS, N_VOTERS = 1000, 50, 1000


def build() -> object:
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from clipcontest.accounts.models import RoleGrant, User
    from clipcontest.contests.models import Contest, Phase, PrizeTier
    from clipcontest.entries.models import Entry
    from clipcontest.judging.models import (
        Assignment,
        Criterion,
        JuryRound,
        Rubric,
        Score,
        Scorecard,
    )
    from clipcontest.org.models import Hierarchy, Level, Team, Unit
    from clipcontest.screening.models import EntryScreening, UnitScreening
    from clipcontest.voting.models import Vote, Voter

    now = timezone.now()
    h = Hierarchy.objects.create(slug="bench", name="Bench")
    top = Level.objects.create(hierarchy=h, name="tỉnh", rank=0)
    low = Level.objects.create(hierarchy=h, name="xã", rank=1)
    province = Unit.objects.create(hierarchy=h, level=top, code="1", name="P", path="/1/", depth=0)
    units = Unit.objects.bulk_create(
        Unit(
            hierarchy=h,
            level=low,
            parent=province,
            code=f"c{i}",
            name=f"Xã {i}",
            path=f"/1/c{i}/",
            depth=1,
        )
        for i in range(50)
    )
    contest = Contest.objects.create(
        slug="bench",
        series="bench",
        title="Bench",
        edition=1,
        organizer_unit=province,
        status="published",
    )
    PrizeTier.objects.create(contest=contest, position=1, name="Giải Nhất", count=1)
    PrizeTier.objects.create(contest=contest, position=2, name="Giải Nhì", count=3)
    PrizeTier.objects.create(contest=contest, position=3, name="Khán giả", count=1, kind="audience")
    phase = Phase.objects.create(
        contest=contest,
        kind="screening",
        level=top,
        starts_at=now - dt.timedelta(days=9),
        ends_at=now - dt.timedelta(days=2),
        quota=N_ENTRIES,
    )
    stage = UnitScreening.objects.create(contest=contest, phase=phase, unit=province)
    teams = Team.objects.bulk_create(
        Team(unit=units[i % 50], name=f"Tổ {i}") for i in range(N_ENTRIES)
    )
    entries = Entry.objects.bulk_create(
        Entry(
            contest=contest, team=t, unit=t.unit, title=f"Tác phẩm {i}", slot=1, status="submitted"
        )
        for i, t in enumerate(teams)
    )
    EntryScreening.objects.bulk_create(
        EntryScreening(entry=e, stage=stage, phase=phase, state="finalist") for e in entries
    )
    jurors = User.objects.bulk_create(User(username=f"j{i}") for i in range(N_JURORS))
    RoleGrant.objects.bulk_create(RoleGrant(user=u, role="juror", contest=contest) for u in jurors)
    rubric = Rubric.objects.create(contest=contest)
    criteria = Criterion.objects.bulk_create(
        Criterion(rubric=rubric, position=i, name=f"c{i}", weight=Decimal(w))
        for i, w in enumerate(["0.3", "0.2", "0.2", "0.3"], start=1)
    )
    jury_round = JuryRound.objects.create(contest=contest, number=1, name="R", state="closed")
    for j, juror in enumerate(jurors):
        assignments = Assignment.objects.bulk_create(
            Assignment(round=jury_round, juror=juror, entry=e) for e in entries
        )
        cards = Scorecard.objects.bulk_create(
            Scorecard(
                assignment=a,
                round=jury_round,
                juror=juror,
                entry=a.entry,
                state="submitted",
                submitted_at=now,
            )
            for a in assignments
        )
        Score.objects.bulk_create(
            Score(
                scorecard=card,
                criterion=c,
                value=Decimal(((i * 37 + j * 11 + c.position * 7) % 41) / 4),
            )
            for i, card in enumerate(cards)
            for c in criteria
        )
    voters = Voter.objects.bulk_create(
        Voter(kind="email", identity_hash=f"{i:064x}") for i in range(N_VOTERS)
    )
    for voter in voters:
        Vote.objects.bulk_create(
            [
                Vote(contest=contest, entry=e, voter=voter, state="valid", cast_at=now)
                for e in entries
            ],
            batch_size=5000,
        )
    return contest, jury_round


def bare_sql(contest_id: int, round_id: int) -> tuple[list, list]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.entry_id, AVG(t.total) FROM ("
            " SELECT sc.entry_id AS entry_id, SUM(s.value * c.weight) / SUM(c.weight) AS total"
            " FROM judging_score s"
            " JOIN judging_scorecard sc ON sc.id = s.scorecard_id"
            " JOIN judging_criterion c ON c.id = s.criterion_id"
            " WHERE sc.round_id = %s AND sc.state = 'submitted'"
            " GROUP BY sc.id, sc.entry_id) t GROUP BY t.entry_id",
            [round_id],
        )
        jury = cursor.fetchall()
        cursor.execute(
            "SELECT entry_id, COUNT(*) FROM voting_vote"
            " WHERE contest_id = %s AND state IN ('valid', 'held') GROUP BY entry_id",
            [contest_id],
        )
        votes = cursor.fetchall()
    return jury, votes


def main() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        contest, jury_round = build()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"data built in {time.perf_counter() - started:.0f} s on {connection.vendor}")

    from clipcontest.results.domain import compute_results

    ours, canonical, sql = [], [], []
    for _ in range(5):
        t0 = time.perf_counter()
        result = compute_results(contest=contest)  # type: ignore[arg-type]
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        assert len(result.sha256) == 64  # builds the canonical JSON
        canonical.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        jury, votes = bare_sql(contest.pk, jury_round.pk)  # type: ignore[attr-defined]
        sql.append(time.perf_counter() - t0)
    assert len(result.ranking.standings) == N_ENTRIES and len(jury) == N_ENTRIES
    assert sum(n for _e, n in votes) == N_ENTRIES * N_VOTERS
    assert len(result.inputs.cards) == N_ENTRIES * N_JURORS
    a, b = statistics.median(ours), statistics.median(sql)
    c = statistics.median(x + y for x, y in zip(ours, canonical, strict=True))
    print(f"ours (computation, preview):     {a * 1000:.0f} ms  {[round(x * 1000) for x in ours]}")
    print(f"ours + canonical JSON (publish): {c * 1000:.0f} ms")
    print(f"bare SQL aggregates:             {b * 1000:.0f} ms  {[round(x * 1000) for x in sql]}")
    print(f"ratio: {a / b:.2f} (target ≤ 1.5); with the canonical JSON: {c / b:.2f}")


if __name__ == "__main__":
    try:
        main()
    finally:
        if BASE_URL:
            connection.close()
            import psycopg

            with psycopg.connect(BASE_URL, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
