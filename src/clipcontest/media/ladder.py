"""The rendition ladder: which sizes and bitrates to make from a source. Pure; no ORM.

Sizes are named by the short side ("360p" is 640x360 landscape or 360x640 portrait), so
phone clips filmed upright get the same ladder as landscape ones. Nothing is ever made
above the source: a source smaller than the lowest rung gets one rendition at its own
size. Bitrates follow a per-resolution table in the spirit of PeerTube's, raised for
frame rates above 30 and capped by the source's own measured bitrate: no rendition
carries more video (or audio) bits than the source had. A capped rung aims at
``CAP_SHARE`` of the source's video bitrate with its peak (``maxrate``, which x264's VBV
enforces) at the source's, so the file made stays under the source's. A rung whose
capped bitrate adds less than ``MIN_STEP`` over the rung kept below it is dropped: more
pixels at the same bits only look worse.
"""

from __future__ import annotations

from dataclasses import dataclass

#: short side -> (video kbit/s at 30 fps, audio kbit/s)
DEFAULT_TABLE: dict[int, tuple[int, int]] = {
    240: (300, 64),
    360: (600, 96),
    480: (1000, 96),
    720: (2000, 128),
    1080: (3800, 128),
    1440: (7000, 160),
    2160: (12000, 160),
}
DEFAULT_RUNGS: tuple[int, ...] = (240, 360, 720, 1080)
MAX_FPS = 30.0
HIGH_FPS_FACTOR = 1.4
#: A rung is kept only if it carries at least this many times the bits of the one below.
MIN_STEP = 1.25
#: A capped rung aims this far under the source's video bitrate, its peak at the source's:
#: x264 overshoots its mean target on short clips, never its peak rate by much.
CAP_SHARE = 0.9
#: No rung is encoded below this video bitrate unless the source itself is lower.
FLOOR_KBPS = 64


@dataclass(frozen=True)
class Source:
    width: int
    height: int
    fps: float
    has_audio: bool
    #: measured video bitrate (kbit/s); None when unknown (no cap)
    bitrate_kbps: int | None = None
    #: measured audio bitrate (kbit/s); None when unknown (no cap)
    audio_kbps: int | None = None


@dataclass(frozen=True)
class Rung:
    label: str
    width: int
    height: int
    fps: float
    video_kbps: int
    maxrate_kbps: int
    bufsize_kbps: int
    audio_kbps: int

    @property
    def short_side(self) -> int:
        return min(self.width, self.height)


def _even(value: float) -> int:
    return max(2, round(value / 2.0) * 2)


def _size_for(source: Source, short: int) -> tuple[int, int]:
    if source.width >= source.height:
        return _even(short * source.width / source.height), short
    return short, _even(short * source.height / source.width)


def _kbps_for(short: int, table: dict[int, tuple[int, int]]) -> tuple[int, int]:
    if short in table:
        return table[short]
    lowest = min(table)
    if short < lowest:
        video, audio = table[lowest]
        return max(64, int(video * (short / lowest) ** 2)), audio
    below = max(k for k in table if k < short)
    return table[below]


def plan_ladder(
    source: Source,
    *,
    rungs: tuple[int, ...] = DEFAULT_RUNGS,
    table: dict[int, tuple[int, int]] | None = None,
    max_fps: float = MAX_FPS,
) -> list[Rung]:
    """Renditions to make from ``source``, lowest first; never empty, never above it.

    Never above in size nor in bitrate (video and audio, peaks included); rungs that
    would add less than ``MIN_STEP`` in bits over the one below are left out.
    """
    if source.width < 2 or source.height < 2 or source.fps <= 0:
        raise ValueError("source must have a size and a frame rate")
    table = table or DEFAULT_TABLE
    source_short = min(source.width, source.height)
    shorts = sorted({r for r in rungs if r <= source_short}) or [_even(source_short - 1)]
    fps = min(source.fps, max_fps)
    plan: list[Rung] = []
    for short in shorts:
        width, height = _size_for(source, short)
        if short == shorts[0] and short not in rungs:
            width, height = _even(source.width - 1), _even(source.height - 1)
        video, audio = _kbps_for(short, table)
        if fps > 30:
            video = int(video * HIGH_FPS_FACTOR)
        rung = _capped(f"{short}p", width, height, fps, video, audio, source)
        if plan and rung.video_kbps < plan[-1].video_kbps * MIN_STEP:
            continue
        plan.append(rung)
    return plan


def _capped(
    label: str, width: int, height: int, fps: float, video: int, audio: int, source: Source
) -> Rung:
    """One rung with its bitrates (mean and peak) held under the source's."""
    video = max(FLOOR_KBPS, video)
    maxrate = int(video * 1.5)
    if source.bitrate_kbps:
        video = max(1, min(video, int(source.bitrate_kbps * CAP_SHARE)))
        maxrate = max(video, min(maxrate, source.bitrate_kbps))
    if source.audio_kbps:
        audio = min(audio, source.audio_kbps)
    return Rung(
        label=label,
        width=width,
        height=height,
        fps=fps,
        video_kbps=video,
        maxrate_kbps=maxrate,
        bufsize_kbps=video * 2,
        audio_kbps=audio if source.has_audio else 0,
    )
