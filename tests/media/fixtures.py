"""Shared fixtures for entries and media tests: open contests, draft entries, tiny clips."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone

from clipcontest.contests.enums import PhaseKind
from clipcontest.entries.domain import AuthorInput, create_entry
from clipcontest.entries.models import Entry
from clipcontest.media.ffmpeg import ffmpeg_binary
from tests.factories import add_phase

Clip = Callable[..., Path]


@pytest.fixture(scope="session")
def make_clip(tmp_path_factory: pytest.TempPathFactory) -> Clip:
    """Generate (once per session) a small test-pattern clip with a tone."""
    folder = tmp_path_factory.mktemp("clips")

    def make(
        size: str = "160x120",
        seconds: float = 2,
        audio: bool = True,
        rate: int = 25,
        suffix: str = ".mp4",
        faststart: bool = False,
    ) -> Path:
        target = folder / f"{size}-{seconds}-{audio}-{rate}-{faststart}{suffix}"
        if target.exists():
            return target
        args = [
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
        ]
        if audio:
            args += ["-f", "lavfi", "-i", f"sine=f=440:d={seconds}", "-c:a", "aac", "-shortest"]
        args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        if faststart:
            args += ["-movflags", "+faststart"]
        subprocess.run([*args, str(target)], check=True)
        return target

    return make


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def open_contest(world):
    """The world's contest with submission open now and short clips allowed."""
    contest = world.contest
    contest.min_duration_seconds = 1
    contest.max_duration_seconds = 60
    contest.save()
    add_phase(contest, PhaseKind.SUBMISSION, timezone.now() - dt.timedelta(days=1), days=10)
    return contest


@pytest.fixture
def draft(world, open_contest) -> Entry:
    return create_entry(
        contest=open_contest,
        team=world.team_a,
        by=world.member_a,
        title="Chuyển đổi số",
        authors=[AuthorInput(name="Nguyễn Văn A")],
        consent_people_shown=True,
    )


@pytest.fixture(autouse=True)
def _english():
    """Assertions compare the English source messages."""
    from django.utils import translation

    with translation.override("en"):
        yield


def upload_file(entry: Entry, user, path: Path):
    """Send ``path`` through the upload domain in one append; returns the Upload."""
    from clipcontest.media import uploads

    upload = uploads.create_upload(
        entry=entry, by=user, length=path.stat().st_size, filename=path.name
    )
    with open(path, "rb") as handle:
        return uploads.append(upload=upload, offset=0, read=handle.read)


def accept(entry: Entry, user, path: Path, *, transcode: bool = True):
    """Upload, verify and (optionally) transcode ``path``; returns the Video."""
    from clipcontest.media.domain import finish_upload, transcode_video

    upload = upload_file(entry, user, path)
    video = finish_upload(upload_id=upload.pk)
    assert video is not None, type(upload).objects.get(pk=upload.pk).refusal
    if transcode:
        video = transcode_video(video_id=video.pk)
    return video
