"""HLS variants from the ladder's one pass: playlists (pure), storage, serving, access."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from hypothesis import given
from hypothesis import strategies as st

from clipcontest.media import hls
from clipcontest.media.player import player_sources
from tests.media.fixtures import accept

PLAYLIST = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:2
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-MAP:URI="init.mp4"
#EXTINF:2.000000,
index0.m4s
#EXTINF:1.500000,
index1.m4s
#EXT-X-ENDLIST
"""


def test_segments_of_media_playlist_in_order():
    assert hls.segments(PLAYLIST) == [("index0.m4s", 2.0), ("index1.m4s", 1.5)]


def test_bandwidths_peak_counts_init_with_first_segment():
    peak, average = hls.bandwidths(PLAYLIST, {"index0.m4s": 1000, "index1.m4s": 1500}, 500)

    assert (peak, average) == (8000, 6857)


def test_codecs_of_init_segment_reads_avcc():
    init = b"\x00\x00\x00\x10ftypiso6" + b"\x00\x00\x00\x20avcC\x01\x4d\x40\x1e\xff"

    assert hls.codecs_of(init, has_audio=True) == "avc1.4d401e,mp4a.40.2"
    assert hls.codecs_of(init, has_audio=False) == "avc1.4d401e"


def test_codecs_of_init_without_avcc_is_refused():
    with pytest.raises(ValueError, match="avcC"):
        hls.codecs_of(b"\x00\x00\x00\x08free", has_audio=False)


def test_master_playlist_lists_every_variant():
    text = hls.master_playlist(
        [
            hls.Variant("240p/index.m3u8", 400000, 350000, 426, 240, 25.0, "avc1.4d4015"),
            hls.Variant("360p/index.m3u8", 800000, 700000, 640, 360, 25.0, "avc1.4d401e"),
        ]
    )

    assert text == (
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n"
        "#EXT-X-STREAM-INF:BANDWIDTH=400000,AVERAGE-BANDWIDTH=350000,RESOLUTION=426x240,"
        'FRAME-RATE=25.000,CODECS="avc1.4d4015"\n240p/index.m3u8\n'
        "#EXT-X-STREAM-INF:BANDWIDTH=800000,AVERAGE-BANDWIDTH=700000,RESOLUTION=640x360,"
        'FRAME-RATE=25.000,CODECS="avc1.4d401e"\n360p/index.m3u8\n'
    )


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=10**7),
            st.floats(min_value=0.04, max_value=10, allow_nan=False),
        ),
        min_size=1,
        max_size=30,
    ),
    st.integers(min_value=0, max_value=10**5),
)
def test_bandwidths_peak_never_below_average(parts, init_size):
    playlist = "".join(
        f"#EXTINF:{seconds:.6f},\nindex{i}.m4s\n" for i, (_s, seconds) in enumerate(parts)
    )
    sizes = {f"index{i}.m4s": size for i, (size, _d) in enumerate(parts)}

    peak, average = hls.bandwidths(playlist, sizes, init_size)

    assert peak >= average - 1
    assert average > 0


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


@pytest.fixture
def ladder(world, draft, make_clip):
    return accept(draft, world.member_a, make_clip(size="480x360", seconds=5))


@pytest.mark.slow
def test_ladder_has_aligned_hls_variants_in_storage(ladder):
    renditions = list(ladder.renditions.all())
    playlists = {r.label: _read(r.hls).decode() for r in renditions}

    assert [(r.label, r.hls) for r in renditions] == [
        ("240p", f"videos/{ladder.pk.hex}/hls/240p/index.m3u8"),
        ("360p", f"videos/{ladder.pk.hex}/hls/360p/index.m3u8"),
    ]
    durations = {label: [d for _u, d in hls.segments(text)] for label, text in playlists.items()}
    assert durations["240p"] == durations["360p"] == [2.0, 2.0, 1.0]
    for rendition in renditions:
        folder = rendition.hls.rsplit("/", 1)[0]
        assert _read(f"{folder}/init.mp4")[4:8] == b"ftyp"
        for uri, _seconds in hls.segments(playlists[rendition.label]):
            assert _read(f"{folder}/{uri}")[4:8] in (b"styp", b"moof")
        assert re.fullmatch(r"avc1\.[0-9a-f]{6},mp4a\.40\.2", rendition.codecs)
        assert rendition.bandwidth >= rendition.average_bandwidth > 0


@pytest.mark.slow
def test_master_playlist_served_with_bandwidth_resolution_codecs(client, world, ladder):
    client.force_login(world.coord_a)

    response = client.get(f"/video/{ladder.pk}/hls/master.m3u8")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.apple.mpegurl"
    lines = response.content.decode().splitlines()
    infos = [line for line in lines if line.startswith("#EXT-X-STREAM-INF:")]
    assert [line for line in lines if line and not line.startswith("#")] == [
        "240p/index.m3u8",
        "360p/index.m3u8",
    ]
    for info, rendition in zip(infos, ladder.renditions.all(), strict=True):
        assert f"BANDWIDTH={rendition.bandwidth}," in info
        assert f"RESOLUTION={rendition.width}x{rendition.height}," in info
        assert f'CODECS="{rendition.codecs}"' in info


@pytest.mark.slow
def test_hls_segment_range_request_returns_206_slice(client, world, ladder):
    rendition = ladder.renditions.get(label="360p")
    data = _read(rendition.hls.replace("index.m3u8", "index1.m4s"))
    client.force_login(world.member_a)

    response = client.get(
        f"/video/{ladder.pk}/hls/360p/index1.m4s", headers={"Range": "bytes=10-59"}
    )
    playlist = client.get(f"/video/{ladder.pk}/hls/360p/index.m3u8")
    init = client.get(f"/video/{ladder.pk}/hls/360p/init.mp4")

    assert response.status_code == 206
    assert response["Content-Type"] == "video/iso.segment"
    assert response["Content-Range"] == f"bytes 10-59/{len(data)}"
    assert b"".join(response.streaming_content) == data[10:60]
    assert playlist["Content-Type"] == "application/vnd.apple.mpegurl"
    assert b"".join(playlist.streaming_content) == _read(rendition.hls)
    assert (init.status_code, init["Content-Type"]) == (200, "video/mp4")
    init.close()


@pytest.mark.slow
def test_hls_unknown_file_name_is_404(client, world, ladder):
    client.force_login(world.admin)

    responses = [
        client.get(f"/video/{ladder.pk}/hls/360p/{name}")
        for name in ("../360p.mp4", "index.m3u8.bak", "segment1.ts", "index1.m4s.tmp")
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member_a", 200),
        ("coord_a", 200),
        ("juror", 200),
        ("coord_b", 404),
        ("outsider", 404),
        ("anonymous", 404),
    ],
)
def test_hls_visible_only_to_entitled(client, world, ladder, who, status):
    if who != "anonymous":
        client.force_login(world.user(who))
    urls = [
        f"/video/{ladder.pk}/hls/master.m3u8",
        f"/video/{ladder.pk}/hls/240p/index.m3u8",
        f"/video/{ladder.pk}/hls/240p/init.mp4",
        f"/video/{ladder.pk}/hls/240p/index0.m4s",
    ]

    responses = [client.get(url) for url in urls]
    for response in responses:
        response.close()

    assert [r.status_code for r in responses] == [status] * 4


@pytest.mark.slow
def test_video_made_without_hls_keeps_mp4_only(settings, client, world, draft, make_clip):
    settings.CLIPCONTEST_HLS = False
    video = accept(draft, world.member_a, make_clip(size="320x240"))
    client.force_login(world.member_a)

    sources = player_sources(video.renditions.all())
    master = client.get(f"/video/{video.pk}/hls/master.m3u8")
    segment = client.get(f"/video/{video.pk}/hls/240p/index0.m4s")

    assert [(s["kind"], s["label"]) for s in sources] == [("mp4", "240p")]
    assert (master.status_code, segment.status_code) == (404, 404)
    assert list(video.renditions.values_list("hls", flat=True)) == [""]


@pytest.mark.slow
def test_hls_variant_of_silent_clip_names_video_codec_only(world, draft, make_clip):
    video = accept(draft, world.member_a, make_clip(size="320x240", audio=False))

    rendition = video.renditions.get()

    assert re.fullmatch(r"avc1\.[0-9a-f]{6}", rendition.codecs)
    assert hls.segments(_read(rendition.hls).decode())
