"""Shared set-up for the benchmarks: a throwaway Django site and generated sources."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))


def django_site() -> Path:
    """Configure Django on a fresh data folder (SQLite, local storage) and migrate it."""
    folder = Path(tempfile.mkdtemp(prefix="clipcontest-bench-"))
    os.environ["CLIPCONTEST_DATA_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "clipcontest.settings.base"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return folder


def make_entry():
    """One team, one member, one contest open for submission, one draft entry."""
    import datetime as dt

    from django.utils import timezone

    from clipcontest.accounts.models import User
    from clipcontest.contests.models import Contest, Phase
    from clipcontest.entries.domain import AuthorInput, create_entry
    from clipcontest.org.models import Hierarchy, Level, Team, TeamMembership, Unit

    h = Hierarchy.objects.create(slug="b", name="B")
    level = Level.objects.create(hierarchy=h, name="tinh", rank=0)
    unit = Unit.objects.create(hierarchy=h, level=level, code="1", name="U", path="/1/", depth=0)
    team = Team.objects.create(unit=unit, name="T")
    user = User.objects.create_user("bench", password="bench-password-1")
    TeamMembership.objects.create(team=team, user=user, role="leader")
    contest = Contest.objects.create(
        slug="b",
        series="b",
        title="B",
        edition=1,
        organizer_unit=unit,
        status="published",
        min_duration_seconds=1,
        max_duration_seconds=3600,
        max_video_mb=20480,
    )
    now = timezone.now()
    Phase.objects.create(
        contest=contest,
        kind="submission",
        starts_at=now - dt.timedelta(1),
        ends_at=now + dt.timedelta(9),
    )
    entry = create_entry(
        contest=contest,
        team=team,
        by=user,
        title="Bench",
        authors=[AuthorInput("A")],
        consent_people_shown=True,
    )
    return entry, user


def make_source(folder: Path, *, size: str, seconds: int, rate: int = 30) -> Path:
    """A phone-like H.264/AAC source (moving test pattern, tone) at a realistic bitrate."""
    from clipcontest.media.ffmpeg import ffmpeg_binary

    target = folder / f"source-{size}-{seconds}s.mp4"
    if not target.exists():
        subprocess.run(
            [
                ffmpeg_binary(),
                "-hide_banner",
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"testsrc2=s={size}:r={rate}:d={seconds}",
                "-f",
                "lavfi",
                "-i",
                f"sine=f=440:d={seconds}",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-b:v",
                "8M",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-shortest",
                str(target),
            ],
            check=True,
        )
    return target


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result
