"""The rendition ladder (pure) and the one-pass FFmpeg command built from it."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from clipcontest.media.ladder import MIN_STEP, Rung, Source, plan_ladder
from clipcontest.media.transcode import build_command

sources = st.builds(
    Source,
    width=st.integers(min_value=2, max_value=8192),
    height=st.integers(min_value=2, max_value=8192),
    fps=st.floats(min_value=1, max_value=240, allow_nan=False),
    has_audio=st.booleans(),
    bitrate_kbps=st.one_of(st.none(), st.integers(min_value=1, max_value=100_000)),
    audio_kbps=st.one_of(st.none(), st.integers(min_value=1, max_value=512)),
)


@given(sources)
def test_ladder_never_empty_nor_above_source(source):
    plan = plan_ladder(source)

    assert plan
    assert all(r.width <= source.width + 1 and r.height <= source.height + 1 for r in plan)
    assert all(r.width % 2 == 0 and r.height % 2 == 0 for r in plan)


@given(sources)
def test_ladder_rises_with_even_sizes_and_capped_fps(source):
    plan = plan_ladder(source)

    shorts = [r.short_side for r in plan]
    assert shorts == sorted(set(shorts))
    assert [r.video_kbps for r in plan] == sorted(r.video_kbps for r in plan)
    assert all(r.fps == min(source.fps, 30.0) for r in plan)
    assert all((r.audio_kbps > 0) is source.has_audio for r in plan)


@given(sources)
def test_ladder_keeps_orientation_and_aspect(source):
    for rung in plan_ladder(source):
        assert (rung.width >= rung.height) is (source.width >= source.height) or abs(
            source.width - source.height
        ) <= 2
        if min(source.width, source.height) >= 240:
            assert abs(rung.width / rung.height - source.width / source.height) < 0.05 * max(
                source.width / source.height, source.height / source.width
            )


@given(sources)
def test_ladder_never_above_source_bitrate(source):
    plan = plan_ladder(source)

    if source.bitrate_kbps:
        assert all(r.video_kbps <= r.maxrate_kbps <= source.bitrate_kbps for r in plan)
    if source.audio_kbps:
        assert all(r.audio_kbps <= source.audio_kbps for r in plan)


@given(sources)
def test_ladder_every_rung_adds_over_the_one_below(source):
    plan = plan_ladder(source)

    assert all(
        upper.video_kbps >= lower.video_kbps * MIN_STEP for lower, upper in itertools.pairwise(plan)
    )


def test_ladder_for_low_bitrate_1080p_source_stops_where_bits_run_out():
    source = Source(width=1080, height=1920, fps=30, has_audio=True, bitrate_kbps=2170)

    plan = plan_ladder(source)

    assert [(r.label, r.video_kbps, r.maxrate_kbps) for r in plan] == [
        ("240p", 300, 450),
        ("360p", 600, 900),
        ("720p", 1953, 2170),
    ]


def test_ladder_for_very_low_bitrate_source_is_one_rung_under_it():
    source = Source(width=640, height=360, fps=25, has_audio=True, bitrate_kbps=300, audio_kbps=48)

    plan = plan_ladder(source)

    assert [(r.label, r.video_kbps, r.maxrate_kbps, r.audio_kbps) for r in plan] == [
        ("240p", 270, 300, 48)
    ]


def test_ladder_for_1080p_landscape():
    plan = plan_ladder(Source(width=1920, height=1080, fps=30, has_audio=True))

    assert [(r.label, r.width, r.height, r.video_kbps) for r in plan] == [
        ("240p", 426, 240, 300),
        ("360p", 640, 360, 600),
        ("720p", 1280, 720, 2000),
        ("1080p", 1920, 1080, 3800),
    ]


def test_ladder_for_portrait_phone_clip():
    plan = plan_ladder(Source(width=720, height=1280, fps=60, has_audio=True))

    assert [(r.label, r.width, r.height, r.fps) for r in plan] == [
        ("240p", 240, 426, 30.0),
        ("360p", 360, 640, 30.0),
        ("720p", 720, 1280, 30.0),
    ]


def test_ladder_for_tiny_source_is_one_rendition_at_its_size():
    assert plan_ladder(Source(width=160, height=120, fps=25, has_audio=False)) == [
        Rung(
            label="120p",
            width=160,
            height=120,
            fps=25,
            video_kbps=75,
            maxrate_kbps=112,
            bufsize_kbps=150,
            audio_kbps=0,
        )
    ]


def test_command_decodes_once_and_splits_to_every_output():
    plan = plan_ladder(Source(width=1280, height=720, fps=50, has_audio=True))

    args, outputs = build_command(
        source=Path("/in/source.mp4"),
        rungs=plan,
        out_dir=Path("/out"),
        duration=10,
        source_fps=50,
        poster=True,
        thumbnails=True,
    )

    assert args.count("-i") == 1
    assert args[args.index("-protocol_whitelist") + 1] == "file"
    assert args[args.index("-i") + 1] == "file:/in/source.mp4"
    graph = args[args.index("-filter_complex") + 1]
    assert graph.startswith("[0:v:0]fps=30,split=5[s0][s1][s2][s3][s4];")
    assert set(outputs.renditions) == {"240p", "360p", "720p"}
    assert args.count("libx264") == 3
    assert args.count("+faststart") == 3
    assert (outputs.poster, outputs.thumbnails) == (
        Path("/out/poster.jpg"),
        Path("/out/thumbnails.jpg"),
    )
