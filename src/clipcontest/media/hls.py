"""HLS playlists for a video's renditions. Pure; no ORM, standard library only.

FFmpeg writes each rung's media playlist (``index.m3u8``), its CMAF init segment
(``init.mp4``) and its fMP4 segments (``index<N>.m4s``) in one folder; this module reads
what a master playlist needs from those files and writes the master playlist:

    #EXTM3U
    #EXT-X-VERSION:7
    #EXT-X-INDEPENDENT-SEGMENTS
    #EXT-X-STREAM-INF:BANDWIDTH=<peak bit/s>,AVERAGE-BANDWIDTH=<mean bit/s>,
      RESOLUTION=<w>x<h>,FRAME-RATE=<fps>,CODECS="avc1.PPCCLL[,mp4a.40.2]"
    <label>/index.m3u8
    ... one EXT-X-STREAM-INF per rung, lowest first

BANDWIDTH is the highest rate of any one segment (its bytes over its EXTINF duration,
the init segment counted with the first), AVERAGE-BANDWIDTH the whole variant's bytes
over its duration, as RFC 8216 section 4.3.4.2 asks; CODECS comes from the ``avcC``
box of the init segment (profile, constraints, level as x264 chose them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".mp4": "video/mp4",
    ".m4s": "video/iso.segment",
}
AAC_LC = "mp4a.40.2"
_EXTINF = re.compile(r"^#EXTINF:([0-9.]+),")
#: the files one rung's folder may hold (the serving view accepts nothing else)
FILE_NAME = re.compile(r"^(?:index\.m3u8|init\.mp4|index\d{1,6}\.m4s)$")


@dataclass(frozen=True)
class Variant:
    uri: str
    bandwidth: int
    average_bandwidth: int
    width: int
    height: int
    fps: float
    codecs: str


def segments(playlist: str) -> list[tuple[str, float]]:
    """(segment URI, duration in seconds) of a media playlist, in order."""
    found: list[tuple[str, float]] = []
    duration: float | None = None
    for line in playlist.splitlines():
        line = line.strip()
        match = _EXTINF.match(line)
        if match:
            duration = float(match.group(1))
        elif line and not line.startswith("#") and duration is not None:
            found.append((line, duration))
            duration = None
    return found


def bandwidths(playlist: str, sizes: dict[str, int], init_size: int = 0) -> tuple[int, int]:
    """(peak, average) bit/s of a variant from its playlist and its files' sizes."""
    parts = segments(playlist)
    if not parts:
        raise ValueError("the playlist lists no segment")
    rates = []
    for index, (uri, seconds) in enumerate(parts):
        size = sizes[uri] + (init_size if index == 0 else 0)
        rates.append(size * 8 / max(seconds, 0.001))
    total_bytes = init_size + sum(sizes[uri] for uri, _s in parts)
    total_seconds = sum(seconds for _uri, seconds in parts)
    return round(max(rates)), round(total_bytes * 8 / max(total_seconds, 0.001))


def codecs_of(init: bytes, *, has_audio: bool) -> str:
    """The CODECS attribute for an H.264 (+ AAC-LC) init segment."""
    at = init.find(b"avcC")
    if at < 0 or len(init) < at + 8:
        raise ValueError("no H.264 configuration (avcC) in the init segment")
    profile, constraints, level = init[at + 5], init[at + 6], init[at + 7]
    video = f"avc1.{profile:02x}{constraints:02x}{level:02x}"
    return f"{video},{AAC_LC}" if has_audio else video


def master_playlist(variants: list[Variant]) -> str:
    """The master playlist listing ``variants`` (lowest first, as given)."""
    if not variants:
        raise ValueError("a master playlist needs at least one variant")
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for v in variants:
        lines.append(
            f"#EXT-X-STREAM-INF:BANDWIDTH={v.bandwidth},AVERAGE-BANDWIDTH={v.average_bandwidth},"
            f'RESOLUTION={v.width}x{v.height},FRAME-RATE={v.fps:.3f},CODECS="{v.codecs}"'
        )
        lines.append(v.uri)
    return "\n".join(lines) + "\n"
