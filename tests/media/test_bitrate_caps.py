"""Renditions made from a low-bitrate source stay under it, in the files themselves."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from clipcontest.media.ffmpeg import ffmpeg_binary
from clipcontest.media.probe import probe
from tests.media.fixtures import accept

pytestmark = pytest.mark.slow


def _low_bitrate_clip(folder: Path, size: str, video_kbps: int) -> Path:
    target = folder / f"low-{size}-{video_kbps}.mp4"
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
        f"testsrc2=s={size}:r=25:d=6",
        "-f",
        "lavfi",
        "-i",
        "sine=f=440:d=6",
        "-shortest",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-pix_fmt",
        "yuv420p",
        "-b:v",
        f"{video_kbps}k",
        "-maxrate",
        f"{video_kbps}k",
        "-bufsize",
        f"{video_kbps * 2}k",
        "-c:a",
        "aac",
        "-b:a",
        "48k",
        str(target),
    ]
    subprocess.run(args, check=True)
    return target


def _stored_copy(name: str, folder: Path) -> Path:
    local = folder / Path(name).name
    with default_storage.open(name, "rb") as src:
        local.write_bytes(src.read())
    return local


@pytest.mark.parametrize(
    ("size", "video_kbps", "labels"),
    [
        ("640x360", 360, [("240p", 426, 240)]),
        ("1280x720", 700, [("240p", 426, 240), ("360p", 640, 360)]),
    ],
)
def test_renditions_of_low_bitrate_source_stay_under_its_bitrate(
    world, draft, tmp_path, size, video_kbps, labels
):
    clip = _low_bitrate_clip(tmp_path, size, video_kbps)
    measured = probe(clip)

    video = accept(draft, world.member_a, clip)

    assert (video.video_kbps, video.audio_kbps) == (measured.video_kbps, measured.audio_kbps)
    renditions = list(video.renditions.all())
    assert [(r.label, r.width, r.height) for r in renditions] == labels
    for rendition in renditions:
        made = probe(_stored_copy(rendition.name, tmp_path))
        assert (made.width, made.height) == (rendition.width, rendition.height)
        assert made.video_kbps is not None and measured.video_kbps is not None
        assert made.video_kbps <= measured.video_kbps
        assert made.audio_kbps is not None and measured.audio_kbps is not None
        assert made.audio_kbps <= measured.audio_kbps
        assert made.bitrate_kbps is not None and measured.bitrate_kbps is not None
        assert made.bitrate_kbps <= measured.bitrate_kbps
