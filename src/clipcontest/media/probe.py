"""Probing an upload before anything else touches it.

What the file is comes from FFmpeg's demuxers (never from its name or Content-Type),
with a local-file-only protocol whitelist and a demuxer whitelist, under time and memory
limits. A sniff of the first bytes refuses markup and playlists before FFmpeg runs, and
a decode of the start and the end catches truncated files whose header still parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from clipcontest.core.errors import DomainError

from . import conf
from .ffmpeg import FFmpegError, Limits, run, safe_input

SNIFF_BYTES = 64 * 1024
MARKUP = (
    b"<html",
    b"<!doctype",
    b"<script",
    b"<svg",
    b"<body",
    b"<iframe",
    b"<?xml",
    b"<head",
    b"<img",
    b"<object",
    b"<embed",
)
PLAYLIST_STARTS = (
    b"#extm3u",
    b"ffconcat",
    b"file ",
    b"file:",
    b"http:",
    b"https:",
    b"<mpd",
    b"[playlist]",
    b"yuv4mpeg",
)
VIDEO_CODECS = frozenset(
    {
        "h264",
        "hevc",
        "vp8",
        "vp9",
        "av1",
        "mpeg4",
        "mpeg2video",
        "mpeg1video",
        "h263",
        "msmpeg4v2",
        "msmpeg4v3",
        "wmv1",
        "wmv2",
        "wmv3",
        "vc1",
        "prores",
        "dnxhd",
        "mjpeg",
        "theora",
        "flv1",
        "dvvideo",
    }
)
#: Absurd frames are refused before any decoder allocates one (pixel floods).
MAX_SIDE = 8192
MAX_FRAME_PIXELS = 7680 * 4320


class ProbeRefused(DomainError):
    code = "refused"


@dataclass(frozen=True)
class ProbeResult:
    container: str
    video_codec: str
    audio_codec: str
    width: int
    height: int
    fps: float
    duration: float
    bitrate_kbps: int | None
    #: the video stream's own bitrate, or the file's less the audio's, when known
    video_kbps: int | None = None
    audio_kbps: int | None = None

    @property
    def short_side(self) -> int:
        return min(self.width, self.height)


def sniff(path: Path) -> None:
    """Refuse text, markup and playlists by content; raises ProbeRefused."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head:
        raise ProbeRefused(_("The file is empty."))
    lowered = head.lower()
    stripped = lowered.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(PLAYLIST_STARTS) or b"#ext-x-" in lowered:
        raise ProbeRefused(_("This is a playlist or a list of files, not a video."))
    if any(tag in lowered for tag in MARKUP):
        raise ProbeRefused(_("The file contains web page markup; only plain videos are accepted."))
    sample = head[:4096]
    printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in sample)
    if printable == len(sample):
        raise ProbeRefused(_("This is a text file, not a video."))


_INPUT = re.compile(r"^Input #0, ([^ ]+), from", re.M)
_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_BITRATE = re.compile(r"Duration: [^\n]*bitrate: (\d+) kb/s")
_VIDEO = re.compile(r"Stream #0:\d+[^\n]*?: Video: ([a-z0-9_]+)([^\n]*)")
_AUDIO = re.compile(r"Stream #0:\d+[^\n]*?: Audio: ([a-z0-9_]+)([^\n]*)")
_STREAM_KBPS = re.compile(r", (\d+) kb/s")
_SIZE = re.compile(r", (\d{1,7})x(\d{1,7})[ ,\n]")
_FPS = re.compile(r", (\d+(?:\.\d+)?)(k?) (?:fps|tbr)")
_ROTATION = re.compile(r"rotation of (-?\d+(?:\.\d+)?) degrees")


def parse_header(log: str) -> ProbeResult | None:
    """Read FFmpeg's description of input #0; None when there is no video stream."""
    container, video = _INPUT.search(log), _VIDEO.search(log)
    if not container or not video:
        return None
    size = _SIZE.search(video.group(2) + "\n")
    if not size:
        return None
    width, height = int(size.group(1)), int(size.group(2))
    fps_match = _FPS.search(video.group(2))
    fps = (
        float(fps_match.group(1)) * (1000 if fps_match and fps_match.group(2) else 1)
        if fps_match
        else 0.0
    )
    rotation = _ROTATION.search(log)
    if rotation and round(abs(float(rotation.group(1)))) % 180 == 90:
        width, height = height, width
    duration = _DURATION.search(log)
    seconds = (
        (int(duration.group(1)) * 3600 + int(duration.group(2)) * 60 + float(duration.group(3)))
        if duration
        else 0.0
    )
    audio = _AUDIO.search(log)
    bitrate = _BITRATE.search(log)
    total = int(bitrate.group(1)) if bitrate else None
    audio_kbps = _kbps_in(audio.group(2)) if audio else None
    video_kbps = _kbps_in(video.group(2))
    if video_kbps is None and total is not None:
        video_kbps = max(1, total - (audio_kbps or 0))
    return ProbeResult(
        container=container.group(1),
        video_codec=video.group(1),
        audio_codec=audio.group(1) if audio else "",
        width=width,
        height=height,
        fps=fps,
        duration=seconds,
        bitrate_kbps=total,
        video_kbps=video_kbps,
        audio_kbps=audio_kbps,
    )


def _kbps_in(stream_line: str) -> int | None:
    """The bitrate FFmpeg prints on a stream's line (MP4 and MOV give one; MKV often not)."""
    found = _STREAM_KBPS.search(stream_line)
    return int(found.group(1)) if found and int(found.group(1)) > 0 else None


def _limits() -> Limits:
    return Limits(seconds=conf.probe_timeout(), memory_mb=1024)


def _decodes_start(path: Path) -> bool:
    """The first frames decode without error (the codec is real, not just a header)."""
    args = [
        "-v",
        "error",
        "-xerror",
        *safe_input(str(path)),
        "-map",
        "0:v:0",
        "-frames:v",
        "10",
        "-f",
        "null",
        "-",
    ]
    try:
        done = run(args, _limits())
    except FFmpegError:
        return False
    return done.returncode == 0 and not done.stderr.strip()


def probe(path: Path) -> ProbeResult:
    """Describe the video at ``path`` or raise ProbeRefused with a reason for people.

    One FFmpeg run reads the header and then every packet without decoding (fast, and
    a truncated or corrupt file fails it); a second decodes the first frames.
    """
    sniff(path)
    args = ["-xerror", *safe_input(str(path)), "-map", "0", "-c", "copy", "-f", "null", "-"]
    try:
        done = run(args, _limits())
    except FFmpegError as exc:
        raise ProbeRefused(_("Checking the file took too long; it may be damaged.")) from exc
    result = parse_header(done.stderr)
    if result is None and _VIDEO.search(done.stderr):
        # FFmpeg drops a frame size over -max_pixels: a pixel flood.
        raise ProbeRefused(_("The picture size is missing or not a real video size."))
    if result is None:
        if "Invalid data found" in done.stderr or "moov atom not found" in done.stderr:
            raise ProbeRefused(
                _("This is not a video we can read, or the file is incomplete or damaged.")
            )
        raise ProbeRefused(_("No video picture was found in this file."))
    check_sanity(result)
    if done.returncode != 0 or not _decodes_start(path):
        raise ProbeRefused(_("The file is incomplete or damaged; please upload it again."))
    return result


def check_sanity(result: ProbeResult) -> None:
    """Refuse what no contest could want (pixel floods, stills, unknown codecs)."""
    if (
        result.width > MAX_SIDE
        or result.height > MAX_SIDE
        or result.width * result.height > MAX_FRAME_PIXELS
    ):
        raise ProbeRefused(
            _("The picture size %(w)s×%(h)s is not a real video size.")
            % {"w": result.width, "h": result.height}
        )
    if result.width < 16 or result.height < 16:
        raise ProbeRefused(_("The picture is too small to be a video."))
    if result.video_codec not in VIDEO_CODECS:
        raise ProbeRefused(
            _("The video format %(codec)s is not supported.") % {"codec": result.video_codec}
        )
    if result.duration <= 0 or result.fps <= 0:
        raise ProbeRefused(_("The file has no playable length; it may be a still image."))
