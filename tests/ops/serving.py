"""``clipcontest serve`` in a subprocess on its own data folder, for restart tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.media.live import free_port, wait_for


def children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return set()
    return {int(part) for part in text.split()}


class Served:
    def __init__(self, folder: Path, *, env: dict[str, str] | None = None, workers: int = 2):
        self.folder = folder
        self.port = free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "clipcontest.settings.base",
            "CLIPCONTEST_DATA_DIR": str(folder),
            "CLIPCONTEST_BIND": f"127.0.0.1:{self.port}",
            "CLIPCONTEST_WEB_WORKERS": str(workers),
            "CLIPCONTEST_WEB_THREADS": "4",
            "CLIPCONTEST_LOG_LEVEL": "WARNING",
            "PYTHONWARNINGS": "ignore",
            **(env or {}),
        }
        for name in ("REDIS_URL", "DATABASE_URL"):  # SQLite unless the test says otherwise
            if name not in (env or {}):
                self.env.pop(name, None)
        self.proc: subprocess.Popen[bytes] | None = None

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "clipcontest", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )

    def start(self, *args: str) -> None:
        log = open(self.folder / "serve.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "clipcontest", "serve", *args],
            env=self.env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        log.close()
        wait_for(lambda: len(self.web_workers()) == int(self.env["CLIPCONTEST_WEB_WORKERS"]))
        wait_for(self.listening, timeout=30)

    def listening(self) -> bool:
        import socket

        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def gunicorn_master(self) -> int | None:
        assert self.proc is not None
        for pid in children(self.proc.pid):
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"gunicorn" in cmdline:
                return pid
        return None

    def web_workers(self) -> set[int]:
        master = self.gunicorn_master()
        return children(master) if master else set()

    def signal(self, signum: signal.Signals) -> None:
        assert self.proc is not None
        self.proc.send_signal(signum)

    def wait(self, timeout: float = 60) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout=timeout)

    def log(self) -> str:
        return (self.folder / "serve.log").read_text(errors="replace")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
