"""Vote efficiency, burst behaviour and public page speed on PostgreSQL (issues 5, 15).

Creates a scratch PostgreSQL database, seeds one contest (21 finalists, live counts)
and verified voters, starts the production web server (``clipcontest serve
--no-worker``: gunicorn gthread, settings.base, DEBUG off, Redis cache) on loopback,
then in the same run:

1. vote efficiency: accepted votes/s at 16 keep-alive connections ÷ pgbench single-row
   INSERT transactions/s at 16 connections; p50/p99 of accepted votes (targets: ≥ 0.10,
   p99 ≤ 100 ms);
2. burst at 3× the sustainable rate (open loop, latency counted from the scheduled send
   time) against half the rate: p99 of accepted votes at 3× ÷ at half the rate (≤ 3),
   p99 of refused requests (429 rate limit, 503 admission limit; ≤ 20 ms), nothing else
   allowed, and afterwards votes in the database = ledger entries = 201 responses =
   published tally;
3. gallery and entry page requests/s ÷ /healthz requests/s, each (wrk, 16 connections,
   interleaved, BENCH_PAGE_ROUNDS rounds; target ≥ 0.5): what a share brings (anonymous
   visitors, pages cached whole).

Ledger entries are counted by ``clipcontest.voting.queries.ledger_size`` (or the
function named by BENCH_LEDGER_SIZE, ``module:function`` taking the contest), so the
script follows the ledger's storage whatever it becomes.

Every vote is a fresh verified voter (signed voter token, made outside the timed window)
with a challenge fetched from the server and solved outside the timed window; the
server still verifies and spends each challenge.

Usage:
  BENCH_PG=postgres://postgres@127.0.0.1:5432 BENCH_REDIS=redis://127.0.0.1:6379/11 \
    .venv/bin/python benchmarks/vote_efficiency.py
Knobs: BENCH_SECONDS (10), BENCH_PORT (8765), BENCH_DB (bench_votes), BENCH_PAGE_ROUNDS (2),
BENCH_ADMIN_DB (postgres: the database CREATE/DROP DATABASE connect to),
BENCH_BURST_LIMIT (votes/s per address during the burst phases; default 0.8 × the
measured sustainable rate).
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/11")
DB = os.environ.get("BENCH_DB", "bench_votes")
ADMIN_DB = os.environ.get("BENCH_ADMIN_DB", "postgres")  # where CREATE/DROP DATABASE run
PORT = int(os.environ.get("BENCH_PORT", "8765"))
CONNS = 16
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
BURST_SECONDS = 5.0
VOTERS = 20_000
#: The client's cost only: the server verifies one hash whatever the difficulty, so a
#: small search space keeps pre-solving thousands of challenges quick.
CHALLENGE_MAX_NUMBER = 2_000
SLUG = "bench"
PY = sys.executable
PAGE_ROUNDS = int(os.environ.get("BENCH_PAGE_ROUNDS", "2"))
LEDGER_SIZE = os.environ.get("BENCH_LEDGER_SIZE", "clipcontest.voting.queries:ledger_size")
REFUSED = {429, 503}


def sh(*args: str, **kw) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


def psql(db: str, sql: str) -> None:
    sh("psql", f"{PG}/{db}", "-qXc", sql)


def server_env(data: Path, *, rate_ip: int, window: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clipcontest.settings.base",
        "CLIPCONTEST_DEBUG": "0",
        "DATABASE_URL": f"{PG}/{DB}",
        "REDIS_URL": REDIS,
        "CLIPCONTEST_DATA_DIR": str(data),
        "CLIPCONTEST_BIND": f"127.0.0.1:{PORT}",
        # Rate limits raised for the load test (one loopback address, a fresh voter per
        # vote): per address as given, per subnet and per voter effectively off.
        "CLIPCONTEST_VOTING_RATE_WINDOW": str(window),
        "CLIPCONTEST_VOTING_RATE_IP": str(rate_ip),
        "CLIPCONTEST_VOTING_RATE_SUBNET": str(rate_ip),
        "CLIPCONTEST_VOTING_RATE_VOTER": "1000000",
        "CLIPCONTEST_VOTING_CHALLENGE_MAX_NUMBER": str(CHALLENGE_MAX_NUMBER),
        "PYTHONPATH": str(ROOT),
    }


SEED = r"""
import json, sys
from clipcontest.org.models import Team
from clipcontest.voting.models import Voter, VotingSettings
from clipcontest.voting.sessions import voter_token
from tests.factories import ContestFactory, UnitFactory
from tests.voting.factories import make_entry, open_voting
province = UnitFactory(code="51")
contest = ContestFactory(organizer_unit=province, slug="bench")
open_voting(contest)
VotingSettings.objects.create(contest=contest, counts="live")
team = Team.objects.create(unit=province, name="Tổ CNSCĐ")
entries = [str(make_entry(contest, team, f"Work {i}", slot=i + 1).public_id) for i in range(21)]
voters = Voter.objects.bulk_create(
    [Voter(kind="email", identity_hash=f"{i:064d}", email_domain="example.vn")
     for i in range(int(sys.argv[1]))])
print(json.dumps({"entries": entries, "tokens": [voter_token(v) for v in voters]}))
"""


class Server:
    """``clipcontest serve --no-worker`` in its own process group; stopped by its id."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log.open("ab")
        self.proc = subprocess.Popen(
            [PY, "-m", "clipcontest", "serve", "--no-migrate", "--no-worker"],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + float(os.environ.get("BENCH_START_TIMEOUT", "240"))
        while time.monotonic() < deadline:
            try:
                if get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not start; see {log}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def get(path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def solve(challenge: dict) -> str:
    salt, target = challenge["salt"], challenge["challenge"]
    for n in range(challenge["maxnumber"] + 1):
        if hashlib.sha256(f"{salt}{n}".encode()).hexdigest() == target:
            payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
            return base64.b64encode(json.dumps({**payload, "number": n}).encode()).decode()
    raise RuntimeError("unsolved challenge")


def presolved(count: int) -> list[str]:
    """``count`` challenges fetched from the server and solved (outside any timed window)."""
    out: list[str] = []
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    for _ in range(count):
        conn.request("GET", f"/api/v1/voting/{SLUG}/challenge")
        resp = conn.getresponse()
        out.append(solve(json.loads(resp.read())))
    conn.close()
    return out


class Voters:
    """Hands out (token, entry, challenge) triples, one fresh voter per vote."""

    def __init__(self, seed: dict) -> None:
        self.seed, self.next = seed, 0

    def take(self, n: int) -> list[tuple[str, str, str, str]]:
        tokens = self.seed["tokens"][self.next : self.next + n]
        if len(tokens) < n:
            raise RuntimeError("not enough seeded voters")
        start, self.next = self.next, self.next + n
        challenges = presolved(n)
        return [
            (t, self.seed["entries"][(start + i) % 21], c, f"bench-device-{start + i}")
            for i, (t, c) in enumerate(zip(tokens, challenges, strict=True))
        ]


def run_votes(jobs: list, *, rate: float | None, seconds: float) -> tuple[list, float]:
    """POST the votes over CONNS keep-alive connections.

    rate None: closed loop, as fast as the server answers, for ``seconds`` (or until the
    jobs run out). Otherwise open loop: vote i is due at start + i/rate; its latency is
    counted from that due time, so time spent waiting for a free connection counts too.
    Returns [(status, latency_s)] and the elapsed time.
    """
    lock = threading.Lock()
    cursor = iter(range(len(jobs)))
    results: list[tuple[int, float]] = []
    retries: list[tuple[int, float]] = []
    start = time.perf_counter() + 0.05
    stop_at = start + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        mine = []
        while True:
            with lock:
                i = next(cursor, None)
            if i is None:
                break
            due = start + i / rate if rate else time.perf_counter()
            if due >= stop_at:
                break
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            token, entry, payload, device = jobs[i]
            body = json.dumps({"entry": entry, "altcha": payload})
            while True:
                sent = time.perf_counter()
                try:
                    conn.request(
                        "POST",
                        f"/api/v1/voting/{SLUG}/votes",
                        body=body,
                        headers={
                            "Content-Type": "application/json",
                            "X-Voter-Token": token,
                            "X-Device": device,
                        },
                    )
                    resp = conn.getresponse()
                    answer = resp.read()
                except OSError:  # a lost connection: counted as status 0, reconnect
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
                    mine.append((0, time.perf_counter() - due))
                    break
                now = time.perf_counter()
                if resp.status == 503 and not rate:
                    # Closed loop: a polite client waits as told and sends the vote again;
                    # the refusal's own latency is recorded apart.
                    retries.append((503, now - sent))
                    time.sleep(json.loads(answer).get("retry_after_ms", 50) / 1000)
                    continue
                mine.append((resp.status, now - due))
                break
        conn.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(CONNS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if retries:
        print(
            f"  closed loop: {len(retries)} admission refusals (503) waited out and resent; "
            f"their p99 {p99_or_nan(retries):.1f} ms"
        )
    return results, max(time.perf_counter(), stop_at if rate else 0) - start


def p99(results: list[tuple[int, float]]) -> float:
    return statistics.quantiles([r[1] for r in results], n=100, method="inclusive")[98] * 1000


def statuses(results: list[tuple[int, float]]) -> dict[int, int]:
    out: dict[int, int] = {}
    for s, _ in results:
        out[s] = out.get(s, 0) + 1
    return dict(sorted(out.items()))


def profiler(server: Server, name: str) -> subprocess.Popen | None:
    """With BENCH_PROFILE=folder, sample the server's processes with py-spy (a session
    tool, not a dependency) into folder/name.txt (collapsed stacks)."""
    folder = os.environ.get("BENCH_PROFILE")
    if not folder:
        return None
    return subprocess.Popen(
        ["py-spy", "record", "--subprocesses", "--idle", "-r", "50", "-f", "raw",
         "-o", f"{folder}/{name}.txt", "-p", str(server.proc.pid)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def finish(profile: subprocess.Popen | None) -> None:
    if profile is not None:
        profile.send_signal(signal.SIGINT)
        profile.wait(timeout=60)


def pgbench_tps(seconds: float) -> float:
    psql(DB, "CREATE TABLE IF NOT EXISTS bench_row (id bigserial PRIMARY KEY, v int NOT NULL)")
    script = Path(tempfile.mkdtemp(prefix="clipcontest-pgbench-")) / "insert.sql"
    script.write_text("INSERT INTO bench_row (v) VALUES (1);\n")
    out = sh(
        "pgbench", "-n", "-c", str(CONNS), "-j", "2", "-T", str(int(seconds)),
        "-f", str(script), f"{PG}/{DB}",
    )  # fmt: skip
    return float(re.search(r"tps = ([\d.]+)", out).group(1))


def wrk(path: str, seconds: float) -> float:
    out = sh(
        "wrk", "-t2", f"-c{CONNS}", f"-d{int(seconds)}s", "--latency",
        f"http://127.0.0.1:{PORT}{path}",
    )  # fmt: skip
    if "Non-2xx" in out or "Socket errors" in out:  # any error voids the figure
        raise RuntimeError(f"errors from wrk on {path}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def counted(env: dict[str, str]) -> tuple[int, int, int]:
    """Votes in the database, ledger entries (LEDGER_SIZE), published tally."""
    status, body = get(f"/api/v1/voting/{SLUG}/tally")
    assert status == 200, body
    tally = json.loads(body)
    module, name = LEDGER_SIZE.split(":")
    code = (
        f"from {module} import {name} as size; from clipcontest.contests.models import "
        f"Contest; from clipcontest.voting.models import Vote; c = Contest.objects.get("
        f"slug={SLUG!r}); print(Vote.objects.filter(contest=c).count(), size(c))"
    )
    out = sh(PY, "-m", "clipcontest", "shell", "-c", code, env=env, cwd=ROOT)
    votes, entries = (int(x) for x in out.split()[-2:])
    return votes, entries, sum(row["votes"] for row in tally["entries"])


def accepted(results: list[tuple[int, float]]) -> list[tuple[int, float]]:
    return [r for r in results if r[0] == 201]


def refused(results: list[tuple[int, float]]) -> list[tuple[int, float]]:
    return [r for r in results if r[0] in REFUSED]


def p99_or_nan(results: list[tuple[int, float]]) -> float:
    return p99(results) if len(results) >= 2 else float("nan")


def pages(seed: dict, seconds: float) -> None:
    """Gallery and entry page ÷ /healthz, interleaved, on the running server."""
    gallery_path = f"/contests/{SLUG}/gallery/"
    entry_path = f"/contests/{SLUG}/gallery/{seed['entries'][0]}/"
    for path in (gallery_path, entry_path):
        assert get(path)[0] == 200, path
    for round_ in range(1, PAGE_ROUNDS + 1):
        hello = wrk("/healthz", seconds)
        gallery = wrk(gallery_path, seconds)
        entry = wrk(entry_path, seconds)
        hello_after = wrk("/healthz", seconds)
        base = (hello + hello_after) / 2
        print(
            f"pages round {round_}: /healthz {hello:.0f} and {hello_after:.0f} req/s; "
            f"gallery {gallery:.0f} req/s = {gallery / base:.2f}; entry {entry:.0f} req/s = "
            f"{entry / base:.2f} of /healthz (target >= 0.5 each)",
            flush=True,
        )


def main() -> int:
    data = Path(tempfile.mkdtemp(prefix="clipcontest-vote-bench-"))
    psql(ADMIN_DB, f"DROP DATABASE IF EXISTS {DB}")
    psql(ADMIN_DB, f"CREATE DATABASE {DB}")
    flush = ["redis-cli", "-u", REDIS, "FLUSHDB"]
    server = None
    try:
        base = server_env(data, rate_ip=1_000_000, window=60)
        sh(PY, "-m", "clipcontest", "migrate", "-v0", env=base, cwd=ROOT)
        sh(PY, "-m", "clipcontest", "collectstatic", "--noinput", "-v0", env=base, cwd=ROOT)
        seeded = sh(PY, "-m", "clipcontest", "shell", "-c",
                    SEED.replace("int(sys.argv[1])", str(VOTERS)), env=base, cwd=ROOT)  # fmt: skip
        seed = json.loads(seeded.strip().splitlines()[-1])
        voters = Voters(seed)
        log = data / "server.log"
        print(f"machine: {os.cpu_count()} cores; server log {log}", flush=True)

        # 1. Efficiency: pgbench, then the vote endpoint, same database, same run.
        subprocess.run(flush, check=True, capture_output=True)
        server = Server(base, log)
        tps = pgbench_tps(SECONDS)
        jobs = voters.take(int(SECONDS * 400))
        profile = profiler(server, "votes")
        results, elapsed = run_votes(jobs, rate=None, seconds=SECONDS)
        finish(profile)
        ok = accepted(results)
        rps = len(ok) / elapsed
        print(f"pgbench single-row INSERT @16: {tps:.0f} tps")
        print(
            f"vote endpoint @16: {rps:.1f} accepted votes/s, accepted p50 "
            f"{statistics.median(r[1] for r in ok) * 1000:.1f} ms, p99 "
            f"{p99(ok):.1f} ms (target <= 100 ms), statuses {statuses(results)}"
        )
        print(f"vote efficiency = {rps / tps:.4f} (target >= 0.10)", flush=True)
        server.stop()
        server = None

        # 2. Burst: the per-address limit (window 1 s) is what turns the excess away.
        limit = int(os.environ.get("BENCH_BURST_LIMIT") or max(1, int(rps * 0.8)))
        subprocess.run(flush, check=True, capture_output=True)
        server = Server(server_env(data, rate_ip=limit, window=1), log)
        half_jobs = voters.take(int(rps / 2 * BURST_SECONDS) + 1)
        half, _ = run_votes(half_jobs, rate=rps / 2, seconds=BURST_SECONDS)
        burst_jobs = voters.take(int(rps * 3 * BURST_SECONDS) + 1)
        burst, _ = run_votes(burst_jobs, rate=rps * 3, seconds=BURST_SECONDS)
        ratio = p99_or_nan(accepted(burst)) / p99_or_nan(accepted(half))
        print(
            f"burst: limit {limit}/s per address; half rate {rps / 2:.1f}/s accepted p99 "
            f"{p99_or_nan(accepted(half)):.1f} ms {statuses(half)}; 3x {rps * 3:.1f}/s "
            f"accepted p99 {p99_or_nan(accepted(burst)):.1f} ms {statuses(burst)}; "
            f"ratio {ratio:.2f} (target <= 3); refused p99 "
            f"{p99_or_nan(refused(burst)):.1f} ms (target <= 20 ms)",
            flush=True,
        )
        bad = {s for s, _ in results + half + burst} - {201} - REFUSED  # 0: lost connection
        success = sum(1 for s, _ in results + half + burst if s == 201)
        votes, records, published = counted(base)
        print(
            f"statuses other than 201, 429, 503: {sorted(bad) or 'none'}; 201 responses {success}, "
            f"votes {votes}, ledger entries {records}, tally {published}: "
            f"{'equal' if success == votes == records == published else 'MISMATCH'}"
        )

        # 3. Gallery and entry pages vs /healthz on the same server.
        pages(seed, max(3.0, SECONDS / 2))
        return 0
    finally:
        if server is not None:
            server.stop()
        subprocess.run(flush, check=False, capture_output=True)
        psql(ADMIN_DB, f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
