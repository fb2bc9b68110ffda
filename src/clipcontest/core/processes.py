"""Running the web server and the background worker together in the foreground."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

from django.conf import settings


def web_command() -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "clipcontest.wsgi:application",
        "--bind",
        settings.SERVER_BIND,
        "--workers",
        str(settings.SERVER_WORKERS),
        "--threads",
        str(settings.SERVER_THREADS),
        "--worker-class",
        "gthread",
        "--timeout",
        "120",
        "--graceful-timeout",
        "20",
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("CLIPCONTEST_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "clipcontest", "run_huey"]


def run_together(commands: dict[str, list[str]], *, ready: Callable[[], None]) -> int:
    """Start every command, call ``ready``, and stop all of them on Ctrl-C, SIGTERM,
    or when any one exits. Returns the exit code."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", "clipcontest.settings.base"
        ),
    }
    procs = {name: subprocess.Popen(cmd, env=env) for name, cmd in commands.items()}
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    ready()
    code = 0
    try:
        while not stopping:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    print(f"{name} exited with code {proc.returncode}; stopping.", flush=True)
                    code = proc.returncode or 1
                    stopping = True
            time.sleep(0.5)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 25
        for proc in procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
    print("Stopped.", flush=True)
    return code
