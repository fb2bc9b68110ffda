"""Benchmark 2: ladder multiplier = whole ladder ÷ the top rendition encoded alone.

Four runs on the same source with the same x264 settings: the top rendition alone, the
whole ladder in one FFmpeg process (decode once, split), the same writing HLS variants
too (tee muxer: the HLS cost, target ≤ 1.05), and the whole ladder as separate
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


def encode(source: Path, rungs, out: Path, duration: float, fps: float, hls: bool = False) -> float:
    from clipcontest.media import conf
    from clipcontest.media.ffmpeg import ffmpeg_binary
    from clipcontest.media.transcode import build_command

    args, outputs = build_command(
        source=source,
        rungs=rungs,
        out_dir=out,
        duration=duration,
        source_fps=fps,
        poster=False,
        thumbnails=False,
        preset=conf.x264_preset(),
        hls=hls,
    )
    for folder in outputs.hls.values():
        folder.mkdir(parents=True)
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

        def encode_all(selected, hls: bool = False) -> float:
            out = Path(tempfile.mkdtemp(dir=tmp))
            return encode(source, selected, out, r.duration, r.fps, hls)

        # Round-robin, best of each: load from elsewhere hits every variant alike.
        runs: dict[str, list[float]] = {"top": [], "one": [], "hls": [], "separate": []}
        for _ in range(options.repeat):
            runs["top"].append(encode_all(rungs[-1:]))
            runs["one"].append(encode_all(rungs))
            runs["hls"].append(encode_all(rungs, hls=True))
            runs["separate"].append(sum(encode_all([rung]) for rung in rungs))
        top, one, separate = (min(runs[k]) for k in ("top", "one", "separate"))
        print(f"source {options.size} {options.seconds}s; ladder {[x.label for x in rungs]}")
        print(f"top rendition alone: {top:.2f}s")
        print(f"one pass (decode once, split): {one:.2f}s multiplier={one / top:.3f}")
        hls_ratios = [h / o for h, o in zip(runs["hls"], runs["one"], strict=True)]
        print(
            f"one pass + HLS (tee): {min(runs['hls']):.2f}s; HLS ÷ MP4-only per round "
            f"{min(hls_ratios):.3f}–{max(hls_ratios):.3f} (target ≤ 1.05)"
        )
        print(f"separate runs: {separate:.2f}s multiplier={separate / top:.3f}")
        print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
