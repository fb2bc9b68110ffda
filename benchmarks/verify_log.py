"""Standalone verification of a large vote log (issue 15): 1,000,000 leaves and 1,000
signed tree heads, checked by ``src/clipcontest/voting/ledger.py`` run as a plain
``python3`` script (standard library only), in a child process whose wall time and
peak memory (max RSS) are measured.

Baseline, same run, same file: a child process that only reads the leaves file and
hashes every line once (SHA-256) — the least any verifier must do. The script prints
both and the ratio. Targets: ≤ 15 s and ≤ 500 MB.

Usage:  .venv/bin/python benchmarks/verify_log.py
Knobs:  BENCH_LEAVES (1000000), BENCH_HEADS (1000), BENCH_DIR (a temporary folder).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from clipcontest.voting import ledger  # noqa: E402
from clipcontest.voting.signing import LogKey  # noqa: E402

VERIFIER = ROOT / "src" / "clipcontest" / "voting" / "ledger.py"
BASELINE = """
import hashlib, sys
with open(sys.argv[1], "rb") as f:
    for line in f:
        hashlib.sha256(b"\\x00" + line.rstrip(b"\\n")).digest()
"""


def generate(folder: Path, leaves: int, heads: int) -> tuple[Path, Path]:
    key = LogKey(name="bench.example/clipcontest-votes", private=Ed25519PrivateKey.generate())
    origin = "bench.example/contests/bench/votes"
    header = ledger.Header(
        contest="bench", origin=origin, key=key.verifier, policy="per_entry", timezone="UTC"
    )
    start = dt.datetime(2023, 10, 1, tzinfo=dt.UTC)
    entries = [f"00000000-0000-4000-8000-{i:012d}" for i in range(21)]
    hashes = []
    path = folder / "votes.jsonl"
    with path.open("wb") as out:
        out.write(header.to_json().encode() + b"\n")
        for i in range(leaves):
            leaf = ledger.Leaf(
                contest="bench",
                kind=ledger.VOTE,
                entry=entries[i % 21],
                voter=f"{i:064x}",
                at=ledger.format_time(start + dt.timedelta(milliseconds=i)),
                receipt=f"{i:032x}",
            )
            data = leaf.encode()
            hashes.append(ledger.leaf_hash(data))
            out.write(data + b"\n")
    tree = ledger.Tree(hashes)
    notes = []
    for n in range(1, heads + 1):
        size = leaves * n // heads
        point = ledger.Checkpoint(origin=origin, size=size, root=tree.root(size), time="x")
        notes.append({"size": size, "note": key.sign(point.body())})
    heads_path = folder / "heads.json"
    heads_path.write_text(json.dumps({"heads": notes}))
    return path, heads_path


def timed(args: list[str]) -> tuple[float, float, float, int, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS in MB, exit status, output.

    CPU time is printed too because the machine is shared: wall time includes waiting
    for a core."""
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M %U %S", *args], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    peak_kb, user, system = done.stderr.strip().splitlines()[-1].split()
    cpu = float(user) + float(system)
    out = "\n".join(done.stdout.splitlines()[:6])
    return elapsed, cpu, int(peak_kb) / 1024, done.returncode, out


def main() -> None:
    leaves = int(os.environ.get("BENCH_LEAVES", "1000000"))
    heads = int(os.environ.get("BENCH_HEADS", "1000"))
    folder = Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="bench-log-"))
    t0 = time.perf_counter()
    leaves_path, heads_path = generate(folder, leaves, heads)
    print(f"generated {leaves:,} leaves and {heads:,} heads in {time.perf_counter() - t0:.1f} s")
    base_s, base_cpu, base_mb, _status, _out = timed(
        [sys.executable, "-c", BASELINE, str(leaves_path)]
    )
    run_s, run_cpu, run_mb, status, out = timed(
        [sys.executable, str(VERIFIER), str(leaves_path), "--heads", str(heads_path)]
    )
    print(out)
    print(f"load average: {os.getloadavg()[0]:.1f}")
    print(
        f"baseline (read + one hash per line): wall {base_s:6.2f} s, cpu {base_cpu:6.2f} s, ",
        end="",
    )
    print(f"{base_mb:7.1f} MB")
    print(
        f"verifier (leaves, tally, {heads} heads): wall {run_s:6.2f} s, cpu {run_cpu:6.2f} s, ",
        end="",
    )
    print(f"{run_mb:7.1f} MB")
    print(f"ratio (cpu) {run_cpu / base_cpu:.2f}; exit status {status}")
    print(f"targets: time <= 15 s {'OK' if run_s <= 15 else 'MISSED'}, ", end="")
    print(f"memory <= 500 MB {'OK' if run_mb <= 500 else 'MISSED'}")


if __name__ == "__main__":
    main()
