"""Finding and running FFmpeg safely.

FFmpeg comes from the imageio-ffmpeg wheel (a static build, installed by pip) unless
CLIPCONTEST_FFMPEG names another binary. Every run goes through :func:`run`: an argument
list (never a shell string), a wall-clock limit, and CPU-time/address-space limits set
in a small re-exec wrapper (``python -m clipcontest.media.sandbox``) because
``preexec_fn`` is unsafe in the threaded worker.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from clipcontest.core.config import env_str

#: Demuxers FFmpeg may use on an upload. Playlist and list formats (hls, dash, concat),
#: image sequences (image2), raw pipes and anything network-facing are left out.
INPUT_FORMATS = (
    "mov,mp4,m4a,3gp,3g2,mj2",
    "matroska,webm",
    "avi",
    "mpegts",
    "mpeg",
    "flv",
    "asf",
)
INPUT_FORMAT_WHITELIST = ",".join(INPUT_FORMATS)
#: Largest frame FFmpeg's decoders will allocate (8K); pixel floods stop here too.
MAX_PIXELS = 7680 * 4320


class FFmpegError(RuntimeError):
    """FFmpeg failed, timed out or was killed; ``tail`` holds the end of its log."""

    def __init__(self, message: str, tail: str = ""):
        super().__init__(message)
        self.tail = tail


@functools.cache
def ffmpeg_binary() -> str:
    configured = env_str("CLIPCONTEST_FFMPEG")
    if configured:
        found = shutil.which(configured)
        if not found:
            raise FFmpegError(f"CLIPCONTEST_FFMPEG={configured!r} is not an executable")
        return found
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def safe_input(path: str) -> list[str]:
    """Input options that keep FFmpeg on this one local file."""
    return [
        "-protocol_whitelist",
        "file",
        "-format_whitelist",
        INPUT_FORMAT_WHITELIST,
        "-max_pixels",
        str(MAX_PIXELS),
        "-i",
        "file:" + os.path.abspath(path),
    ]


@dataclass(frozen=True)
class Limits:
    seconds: int
    memory_mb: int
    cpu_seconds: int | None = None


def command(args: Sequence[str], limits: Limits) -> list[str]:
    cpu = limits.cpu_seconds or limits.seconds * (os.cpu_count() or 1) + 10
    return [
        sys.executable,
        "-m",
        "clipcontest.media.sandbox",
        str(limits.memory_mb),
        str(cpu),
        "--",
        ffmpeg_binary(),
        "-hide_banner",
        "-nostdin",
        *args,
    ]


def run(args: Sequence[str], limits: Limits) -> subprocess.CompletedProcess[str]:
    """Run FFmpeg to completion; stderr is returned, errors raise FFmpegError."""
    try:
        done = subprocess.run(
            command(args, limits),
            capture_output=True,
            text=True,
            errors="replace",
            timeout=limits.seconds,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise FFmpegError("timed out") from exc
    return done


def run_streaming(args: Sequence[str], limits: Limits, on_line: Callable[[str], None]) -> str:
    """Run FFmpeg with ``-progress pipe:1``; each progress line goes to ``on_line``.

    Returns the tail of stderr. Raises FFmpegError on a non-zero exit or timeout.
    """
    import tempfile
    import time

    with (
        tempfile.TemporaryFile(mode="w+", errors="replace") as log,
        subprocess.Popen(
            command([*args, "-progress", "pipe:1", "-nostats"], limits),
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            errors="replace",
        ) as proc,
    ):
        deadline = time.monotonic() + limits.seconds
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                on_line(line.strip())
                if time.monotonic() > deadline:
                    raise FFmpegError("timed out")
            code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except BaseException:  # even on Ctrl-C or SystemExit: never leave FFmpeg running
            proc.kill()
            proc.wait()
            raise
        log.seek(0)
        tail = log.read()[-4000:]
    if code != 0:
        raise FFmpegError(f"ffmpeg exited with {code}", tail)
    return tail
