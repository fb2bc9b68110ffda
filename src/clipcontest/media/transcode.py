"""The FFmpeg command for a set of renditions, a poster and a thumbnail strip.

One process decodes the source once; a ``split`` filter feeds every output. The command
is built as an argument list from the planned ladder, so it can be tested (and run by
the benchmark as "the bare FFmpeg command") without the database.

With ``hls=True`` each rung's encoded streams also go, through FFmpeg's ``tee`` muxer,
to an HLS variant (CMAF: fMP4 ``init.mp4`` + ``index<N>.m4s`` segments): the same
packets as the MP4, so HLS costs muxing only. Every rung has the same fixed GOP at the
same frame rate, so segment boundaries (keyframes) line up across rungs and a player
can switch at any segment. Audio is muxed into each variant at that rung's bitrate:
no second AAC encode, and the lowest rungs spend less on audio.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .ffmpeg import safe_input
from .ladder import Rung

THUMBNAILS = 10
THUMB_HEIGHT = 90
POSTER_MAX_SHORT_SIDE = 720
#: seconds per HLS segment: one GOP (see ``_rendition_args``)
HLS_SEGMENT_SECONDS = 2
HLS_PLAYLIST = "index.m3u8"
HLS_INIT = "init.mp4"
#: characters the tee muxer's slave list would read as syntax
_TEE_SYNTAX = frozenset("|[]\\")


@dataclass(frozen=True)
class Outputs:
    renditions: dict[str, Path] = field(default_factory=dict)
    #: label -> folder holding that rung's HLS playlist, init segment and segments
    hls: dict[str, Path] = field(default_factory=dict)
    poster: Path | None = None
    thumbnails: Path | None = None


def poster_time(duration: float) -> float:
    """A frame a little into the clip (title cards and fades come first)."""
    return round(min(3.0, duration * 0.1), 3)


def build_command(
    *,
    source: Path,
    rungs: list[Rung],
    out_dir: Path,
    duration: float,
    source_fps: float,
    poster: bool,
    thumbnails: bool,
    preset: str = "veryfast",
    hls: bool = False,
) -> tuple[list[str], Outputs]:
    """Arguments (after ``ffmpeg``) encoding ``rungs`` plus poster/strip in one pass.

    With ``hls`` the caller creates each ``Outputs.hls`` folder before running FFmpeg.
    """
    if hls and _TEE_SYNTAX & set(str(out_dir)):
        raise ValueError("the work folder's path must not contain | [ ] or \\")
    branches = len(rungs) + int(poster) + int(thumbnails)
    if branches == 0:
        raise ValueError("nothing to make")
    head = (
        f"[0:v:0]fps={rungs[0].fps:g}," if rungs and source_fps > rungs[0].fps + 0.01 else "[0:v:0]"
    )
    labels = [f"s{i}" for i in range(branches)]
    graph = [head + f"split={branches}" + "".join(f"[{x}]" for x in labels)]
    args: list[str] = [*safe_input(str(source))]
    outs: dict[str, Path] = {}
    hls_dirs: dict[str, Path] = {}
    maps: list[list[str]] = []
    for i, rung in enumerate(rungs):
        graph.append(
            f"[s{i}]scale={rung.width}:{rung.height}:flags=bicubic,setsar=1,format=yuv420p[v{i}]"
        )
        target = out_dir / f"{rung.label}.mp4"
        outs[rung.label] = target
        if hls:
            hls_dirs[rung.label] = out_dir / "hls" / rung.label
            sink = ["-f", "tee", _tee(target, hls_dirs[rung.label])]
        else:
            sink = ["-movflags", "+faststart", "-f", "mp4", str(target)]
        maps.append([*_rendition_args(f"[v{i}]", rung, preset), *sink])
    next_branch = len(rungs)
    poster_path = thumbs_path = None
    if poster:
        at = poster_time(duration)
        graph.append(
            f"[s{next_branch}]trim=start={at:g},setpts=PTS-STARTPTS,"
            f"scale='if(gte(iw,ih),-2,min({POSTER_MAX_SHORT_SIDE},iw))':"
            f"'if(gte(iw,ih),min({POSTER_MAX_SHORT_SIDE},ih),-2)',"
            f"format=yuvj420p[poster]"
        )
        poster_path = out_dir / "poster.jpg"
        maps.append(
            ["-map", "[poster]", "-frames:v", "1", "-q:v", "3", "-update", "1", str(poster_path)]
        )
        next_branch += 1
    if thumbnails:
        rate = THUMBNAILS / max(duration, 0.1)
        graph.append(
            f"[s{next_branch}]fps={rate:.6f},scale=-2:{THUMB_HEIGHT},"
            f"tile={THUMBNAILS}x1,format=yuvj420p[thumbs]"
        )
        thumbs_path = out_dir / "thumbnails.jpg"
        maps.append(
            ["-map", "[thumbs]", "-frames:v", "1", "-q:v", "5", "-update", "1", str(thumbs_path)]
        )
    args += ["-filter_complex", ";".join(graph), "-map_metadata", "-1", "-map_chapters", "-1"]
    for output in maps:
        args += output
    return ["-y", *args], Outputs(outs, hls_dirs, poster_path, thumbs_path)


def _tee(mp4: Path, hls_dir: Path) -> str:
    """One encode, two files: the fast-start MP4 and the rung's HLS variant."""
    hls_options = ":".join(
        [
            "f=hls",
            f"hls_time={HLS_SEGMENT_SECONDS}",
            "hls_playlist_type=vod",
            "hls_segment_type=fmp4",
            f"hls_fmp4_init_filename={HLS_INIT}",
            "hls_flags=independent_segments",
        ]
    )
    return f"[f=mp4:movflags=+faststart]{mp4}|[{hls_options}]{hls_dir / HLS_PLAYLIST}"


def _rendition_args(label: str, rung: Rung, preset: str) -> list[str]:
    gop = max(1, round(rung.fps * 2))
    profile = "high" if rung.short_side >= 720 else "main"
    args = [
        "-map",
        label,
        "-c:v",
        "libx264",
        "-preset",
        preset,
        "-profile:v",
        profile,
        "-b:v",
        f"{rung.video_kbps}k",
        "-maxrate",
        f"{rung.maxrate_kbps}k",
        "-bufsize",
        f"{rung.bufsize_kbps}k",
        "-g",
        str(gop),
        "-keyint_min",
        str(gop),
        "-sc_threshold",
        "0",
    ]
    if rung.audio_kbps:
        args += ["-map", "0:a:0", "-c:a", "aac", "-b:a", f"{rung.audio_kbps}k", "-ac", "2"]
    else:
        args += ["-an"]
    return args
