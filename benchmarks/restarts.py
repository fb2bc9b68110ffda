"""Failed requests across a reload (SIGHUP) and a graceful stop (SIGTERM), issue 13.

Starts gunicorn exactly as ``clipcontest serve`` does (2 workers × 4 threads, SQLite,
settings.base) on loopback, runs a burst of 8 clients (home page, /healthz, and vote
POSTs that pass the CSRF check and are refused by the view after a database lookup),
then reloads and later stops it. The same run is made with gunicorn's stock ``gthread``
worker as the baseline, side by side. A request *fails* when its connection was
accepted and then got no answer, a broken one or a 5xx; refused connections (nothing
listens any more) are counted apart: a load balancer sends those to another node.

Usage: .venv/bin/python benchmarks/restarts.py      (knob: BENCH_ROUNDS, default 3)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from _common import ROOT, django_site

sys.path.insert(0, str(ROOT))

from tests.media.live import free_port, wait_for
from tests.ops.load import CSRF_SECRET, DEFAULT_TARGETS, Burst, Target
from tests.ops.serving import children

VOTE = Target(
    "POST",
    "/contests/none/vote/00000000-0000-0000-0000-000000000000/",
    body=f"csrfmiddlewaretoken={CSRF_SECRET}".encode(),
    headers=(
        ("Cookie", f"csrftoken={CSRF_SECRET}"),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ),
)
TARGETS = (*DEFAULT_TARGETS, VOTE)
STOCK = "gthread"


def start(worker_class: str, folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    from django.test import override_settings

    from clipcontest.core.processes import web_command

    port = free_port()
    with override_settings(SERVER_WORKERS=2, SERVER_THREADS=4):
        command = web_command(bind=f"127.0.0.1:{port}")
    if worker_class == STOCK:
        command[command.index("--worker-class") + 1] = STOCK
    log = open(folder / f"{worker_class}.log", "ab")  # noqa: SIM115
    proc = subprocess.Popen(command, stdout=log, stderr=log, env={**os.environ})
    wait_for(lambda: len(children(proc.pid)) == 2, timeout=60)
    wait_for(lambda: burst_ok(port), timeout=60)
    return proc, port


def burst_ok(port: int) -> bool:
    import http.client

    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False


def one_round(worker_class: str, folder: Path) -> tuple[int, int, int, int]:
    """(failed across reload, answered, failed across stop, answered)."""
    proc, port = start(worker_class, folder)
    old = children(proc.pid)
    burst = Burst("127.0.0.1", port, TARGETS, clients=8).start()
    wait_for(lambda: burst.tally.answered >= 200, timeout=120)
    proc.send_signal(signal.SIGHUP)
    wait_for(lambda: len(children(proc.pid)) == 2 and not children(proc.pid) & old, timeout=120)
    mark = burst.tally.answered
    wait_for(lambda: burst.tally.answered >= mark + 200, timeout=120)
    reload_tally = burst.stop()
    burst = Burst("127.0.0.1", port, TARGETS, clients=8).start()
    wait_for(lambda: burst.tally.answered >= 200, timeout=120)
    proc.send_signal(signal.SIGTERM)
    wait_for(burst.finished, timeout=120)
    stop_tally = burst.stop()
    proc.wait(timeout=60)
    return reload_tally.failed, reload_tally.answered, stop_tally.failed, stop_tally.answered


def main() -> None:
    folder = django_site()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    totals: dict[str, list[int]] = {}
    for worker_class in (STOCK, "clipcontest.core.gunicorn_worker.DrainingThreadWorker"):
        sums = [0, 0, 0, 0]
        for _ in range(rounds):
            sums = [a + b for a, b in zip(sums, one_round(worker_class, folder), strict=True)]
        totals[worker_class] = sums
    print(f"{rounds} rounds, 8 clients, 2 workers × 4 threads, SQLite")
    print(f"{'worker':<55} {'reload: failed/answered':>24} {'stop: failed/answered':>22}")
    for name, (rf, ra, sf, sa) in totals.items():
        print(f"{name:<55} {f'{rf}/{ra}':>24} {f'{sf}/{sa}':>22}")
    base, ours = totals[STOCK], totals["clipcontest.core.gunicorn_worker.DrainingThreadWorker"]
    print(f"failed on stop, ours ÷ stock: {ours[2]}/{base[2]}")


if __name__ == "__main__":
    main()
