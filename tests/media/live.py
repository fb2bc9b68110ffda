"""A real clipcontest site in subprocesses (gunicorn + the Huey worker) on loopback.

Used where a test must kill and restart the server or the worker: each site has its own
data folder (SQLite database, media, spool, queue), so nothing leaks between tests.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

SEED = r"""
import datetime as dt, json
import django
django.setup()
from django.utils import timezone
from clipcontest.org.models import Hierarchy, Level, Unit, Team, TeamMembership
from clipcontest.accounts.models import User
from clipcontest.contests.models import Contest, Phase
from clipcontest.entries.domain import AuthorInput, create_entry
from clipcontest.media.tus import upload_token

h = Hierarchy.objects.create(slug="t", name="T")
level = Level.objects.create(hierarchy=h, name="tinh", rank=0)
unit = Unit.objects.create(hierarchy=h, level=level, code="51", name="QN", path="/51/", depth=0)
team = Team.objects.create(unit=unit, name="Team")
user = User.objects.create_user("member", password="pw-for-tests-1")
TeamMembership.objects.create(team=team, user=user, role="leader")
contest = Contest.objects.create(slug="c", series="c", title="C", edition=1, organizer_unit=unit,
                                 status="published", min_duration_seconds=1)
now = timezone.now()
Phase.objects.create(contest=contest, kind="submission", starts_at=now - dt.timedelta(days=1),
                     ends_at=now + dt.timedelta(days=9))
entry = create_entry(contest=contest, team=team, by=user, title="E", authors=[AuthorInput("A")],
                     consent_people_shown=True)
print(json.dumps({"entry": str(entry.public_id), "token": upload_token(entry=entry, user=user)}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition, timeout: float = 60.0, every: float = 0.05):
    """Poll ``condition`` until it returns a truthy value; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        # Waiting on a condition, not sleeping for a fixed time: a short select() tick.
        _tick(every)
    raise TimeoutError("condition not met in time")


def _tick(seconds: float) -> None:
    import select

    select.select([], [], [], seconds)


class Site:
    def __init__(self, folder: Path):
        self.folder = folder
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "clipcontest.settings.base",
            "CLIPCONTEST_DATA_DIR": str(folder),
            "PYTHONWARNINGS": "ignore",
            "CLIPCONTEST_LOG_LEVEL": "WARNING",
        }
        # Its own SQLite database and queue, whatever the surrounding test run uses.
        self.env.pop("REDIS_URL", None)
        self.env.pop("DATABASE_URL", None)
        self.server: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "clipcontest", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def python(self, code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise RuntimeError(done.stderr)
        return done.stdout

    def seed(self) -> dict[str, str]:
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")
        return json.loads(self.python(SEED).strip().splitlines()[-1])

    def start_server(self) -> None:
        log = open(self.folder / "server.log", "ab")  # noqa: SIM115
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "clipcontest.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                "1",
                "--threads",
                "4",
                "--timeout",
                "120",
            ],
            env=self.env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        log.close()
        wait_for(self._listening, timeout=30)

    def _listening(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def start_worker(self) -> None:
        log = open(self.folder / "worker.log", "ab")  # noqa: SIM115
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "clipcontest", "run_huey", "--workers", "1"],
            env=self.env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        log.close()

    @staticmethod
    def _kill(proc: subprocess.Popen[bytes] | None) -> None:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def kill_server(self) -> None:
        self._kill(self.server)
        wait_for(lambda: not self._listening(), timeout=10)

    def kill_worker(self) -> None:
        self._kill(self.worker)

    def stop(self) -> None:
        self.kill_server()
        self.kill_worker()
