"""Benchmark 2: ladder multiplier = whole ladder ÷ the top rendition encoded alone.

Three runs on the same source with the same x264 settings: the top rendition alone, the
whole ladder in one FFmpeg process (decode once, split), and the whole ladder as separate
FFmpeg runs (one per rendition, as other platforms do).

Run: .venv/bin/python benchmarks/ladder_multiplier.py [--size 1920x1080] [--seconds 20]
Target ≤ 1.30 for the one-pass ladder.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from pathlib import Path

from _common import ROOT, make_source, timed  # noqa: F401


def encode(source: Path, rungs, out: Path, duration: float, fps: float) -> float:
    from clipcontest.media import conf
    from clipcontest.media.ffmpeg import ffmpeg_binary
    from clipcontest.media.transcode import build_command

    args, _ = build_command(
        source=source,
        rungs=rungs,
        out_dir=out,
        duration=duration,
        source_fps=fps,
        poster=False,
        thumbnails=False,
        preset=conf.x264_preset(),
    )
    seconds, _ = timed(
        lambda: subprocess.run(
            [ffmpeg_binary(), "-hide_banner", "-nostdin", "-v", "error", *args], check=True
        )
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clipcontest.settings.base")
    os.environ.setdefault("CLIPCONTEST_DATA_DIR", tempfile.mkdtemp())
    import django

    django.setup()
    from clipcontest.media.ladder import Source, plan_ladder
    from clipcontest.media.probe import probe

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = make_source(folder, size=options.size, seconds=options.seconds)
        r = probe(source)
        rungs = plan_ladder(Source(r.width, r.height, r.fps, bool(r.audio_codec)))

        def encode_all(selected) -> float:
            return encode(source, selected, Path(tempfile.mkdtemp(dir=tmp)), r.duration, r.fps)

        # Round-robin, best of each: load from elsewhere hits every variant alike.
        runs: dict[str, list[float]] = {"top": [], "one": [], "separate": []}
        for _ in range(options.repeat):
            runs["top"].append(encode_all(rungs[-1:]))
            runs["one"].append(encode_all(rungs))
            runs["separate"].append(sum(encode_all([rung]) for rung in rungs))
        top, one, separate = (min(runs[k]) for k in ("top", "one", "separate"))
        print(f"source {options.size} {options.seconds}s; ladder {[x.label for x in rungs]}")
        print(f"top rendition alone: {top:.2f}s")
        print(f"one pass (decode once, split): {one:.2f}s multiplier={one / top:.3f}")
        print(f"separate runs: {separate:.2f}s multiplier={separate / top:.3f}")
        print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
