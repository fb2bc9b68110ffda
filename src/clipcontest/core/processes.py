"""Running the web server and the background worker together in the foreground.

Signals to ``clipcontest serve`` (and ``demo``):

- SIGHUP reloads: gunicorn starts new workers with fresh code and configuration
  (``core/gunicorn_conf.py`` re-reads ``CLIPCONTEST_ENV_FILE``) before it lets the old
  ones finish their requests, so no request is refused; the Huey worker finishes its
  running tasks and is started again.
- SIGTERM or Ctrl-C stops gracefully: gunicorn stops accepting, finishes the requests
  in flight (up to ``CLIPCONTEST_GRACEFUL_TIMEOUT`` seconds); the Huey worker finishes
  its running tasks in the same time; whatever is left is then killed.
- A child that exits on its own stops the others and ``serve`` exits non-zero.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from clipcontest.core.envfile import read_env_file

GUNICORN_CONF = Path(__file__).with_name("gunicorn_conf.py")


def web_command(*, bind: str | None = None) -> list[str]:
    """gunicorn without preloading (a HUP re-imports the code) and without gunicorn's
    control socket (by default one path per user, shared by every instance)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "clipcontest.wsgi:application",
        "--config",
        str(GUNICORN_CONF),
        "--bind",
        bind or settings.SERVER_BIND,
        "--workers",
        str(settings.SERVER_WORKERS),
        "--threads",
        str(settings.SERVER_THREADS),
        "--worker-class",
        "clipcontest.core.gunicorn_worker.DrainingThreadWorker",
        "--timeout",
        "120",
        "--graceful-timeout",
        str(settings.SERVER_GRACEFUL_TIMEOUT),
        "--no-control-socket",
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("CLIPCONTEST_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "clipcontest", "run_huey"]


@dataclass(frozen=True)
class Child:
    """How to run one child: its command, the signal that stops it gracefully, and
    whether a reload is a signal it handles itself (gunicorn) or a stop and a start."""

    command: list[str]
    stop_signal: signal.Signals = signal.SIGTERM
    reload_signal: signal.Signals | None = None


WEB = "web"
WORKER = "worker"


def default_children(*, web: bool = True, worker: bool = True) -> dict[str, Child]:
    children: dict[str, Child] = {}
    if web:
        children[WEB] = Child(web_command(), signal.SIGTERM, signal.SIGHUP)
    if worker:
        # Huey: SIGINT finishes the running tasks, SIGTERM would interrupt them.
        children[WORKER] = Child(worker_command(), signal.SIGINT, None)
    return children


def metrics_dir() -> Path:
    """This instance's prometheus-client multiprocess folder (one per bind address, so
    two instances on one data folder never mix their counts)."""
    configured = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if configured:
        return Path(configured)
    name = "".join(c if c.isalnum() else "_" for c in settings.SERVER_BIND)
    return Path(settings.DATA_DIR) / "prometheus" / name


def reset_metrics_dir() -> Path:
    """Empty the folder: counts of a previous run must not be added to this one."""
    folder = metrics_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    return folder


def child_env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", "clipcontest.settings.base"
        ),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir()),
        **read_env_file(),
    }


@dataclass
class _Running:
    child: Child
    proc: subprocess.Popen[bytes]
    restarting: bool = False


def run_together(
    children: dict[str, Child],
    *,
    ready: Callable[[], None],
    grace: float | None = None,
) -> int:
    """Start every child, call ``ready``, reload on SIGHUP, stop gracefully on SIGTERM or
    Ctrl-C, stop all when any one exits on its own. Returns the exit code."""
    grace = float(settings.SERVER_GRACEFUL_TIMEOUT if grace is None else grace)
    reset_metrics_dir()
    running = {
        name: _Running(child, subprocess.Popen(child.command, env=child_env()))
        for name, child in children.items()
    }
    events: list[int] = []

    def note(signum: int, _frame: object) -> None:
        events.append(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, note)
    ready()
    code = 0
    stopping = False
    while not stopping:
        while events:
            if events.pop(0) == signal.SIGHUP:
                print("Reloading (SIGHUP)…", flush=True)
                for item in running.values():
                    _reload(item)
            else:
                stopping = True
        for name, item in running.items():
            if item.proc.poll() is None:
                continue
            if item.restarting:
                item.proc = subprocess.Popen(item.child.command, env=child_env())
                item.restarting = False
            elif not stopping:
                print(f"{name} exited with code {item.proc.returncode}; stopping.", flush=True)
                code = item.proc.returncode or 1
                stopping = True
        if not stopping:
            _wait_tick(0.2)
    _stop_all(running, grace=grace)
    print("Stopped.", flush=True)
    return code


def _reload(item: _Running) -> None:
    if item.proc.poll() is not None:
        return
    if item.child.reload_signal is not None:
        item.proc.send_signal(item.child.reload_signal)
    else:
        item.restarting = True
        item.proc.send_signal(item.child.stop_signal)


def _stop_all(running: dict[str, _Running], *, grace: float) -> None:
    for item in running.values():
        if item.proc.poll() is None:
            item.proc.send_signal(item.child.stop_signal)
    # A little beyond the children's own grace period: they exit by themselves first.
    deadline = time.monotonic() + grace + 5
    for item in running.values():
        try:
            item.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            item.proc.kill()
            item.proc.wait()


def _wait_tick(seconds: float) -> None:
    # select() returns early when a signal arrives (PEP 475 retries only on EINTR
    # without a handler raising), which is all the main loop needs.
    select.select([], [], [], seconds)
