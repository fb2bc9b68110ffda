"""Serving renditions with ranges and object-level permission; the player page."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.templatetags.static import static

from clipcontest.entries.domain import set_captions
from clipcontest.media.serve import parse_range
from tests.media.fixtures import accept

EN = {"Accept-Language": "en"}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-10", (990, 999)),
        ("bytes=990-5000", (990, 999)),
        ("bytes=1000-", False),
        ("bytes=-0", False),
        ("bytes=5-1", False),
        ("items=0-1", None),
        ("bytes=0-1,5-6", None),
    ],
)
def test_parse_range_cases(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.fixture
def ready(world, draft, make_clip):
    return accept(draft, world.member_a, make_clip(size="320x240"))


@pytest.mark.slow
def test_rendition_range_request_returns_206_slice(client, world, ready):
    rendition = ready.renditions.get()
    with default_storage.open(rendition.name, "rb") as handle:
        data = handle.read()
    client.force_login(world.coord_a)

    response = client.get(
        f"/video/{ready.pk}/{rendition.label}.mp4", headers={"Range": "bytes=100-199"}
    )

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert response["Content-Length"] == "100"
    assert response["Content-Type"] == "video/mp4"
    assert b"".join(response.streaming_content) == data[100:200]


@pytest.mark.slow
def test_rendition_without_range_is_whole_file(client, world, ready):
    rendition = ready.renditions.get()
    client.force_login(world.member_a)

    response = client.get(f"/video/{ready.pk}/{rendition.label}.mp4")

    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert int(response["Content-Length"]) == rendition.size
    assert len(b"".join(response.streaming_content)) == rendition.size


@pytest.mark.slow
def test_rendition_unsatisfiable_range_is_416(client, world, ready):
    rendition = ready.renditions.get()
    client.force_login(world.member_a)

    response = client.get(
        f"/video/{ready.pk}/{rendition.label}.mp4", headers={"Range": f"bytes={rendition.size}-"}
    )

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{rendition.size}"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member_a", 200),
        ("coord_a", 200),
        ("coord_commune_a", 200),
        ("organizer", 200),
        ("juror", 200),
        ("admin", 200),
        ("coord_b", 404),
        ("outsider", 404),
        ("anonymous", 404),
    ],
)
def test_unpublished_video_visible_only_to_entitled(client, world, ready, who, status):
    if who != "anonymous":
        client.force_login(world.user(who))
    label = ready.renditions.get().label
    urls = [
        f"/video/{ready.pk}/{label}.mp4",
        f"/video/{ready.pk}/poster.jpg",
        f"/entries/{ready.entry.public_id}/",
    ]

    responses = [client.get(url) for url in urls]
    for response in responses:
        response.close()

    assert [r.status_code for r in responses] == [status] * 3


@pytest.mark.slow
def test_entry_page_offers_renditions_poster_and_captions(client, world, ready):
    set_captions(
        entry=ready.entry,
        by=world.member_a,
        content=b"WEBVTT\n\n00:00.000 --> 00:01.000\nXin chao\n",
    )
    client.force_login(world.juror)

    page = client.get(f"/entries/{ready.entry.public_id}/", headers=EN)
    captions = client.get(f"/captions/{ready.entry.public_id}.vtt")

    html = page.content.decode()
    assert page.status_code == 200
    assert f'poster="/video/{ready.pk}/poster.jpg"' in html
    assert f'<track kind="captions" src="/captions/{ready.entry.public_id}.vtt"' in html
    assert '<option value="240p">240p</option>' in html
    assert page.context["player_sources"] == [
        {
            "kind": "mp4",
            "label": "240p",
            "width": 320,
            "height": 240,
            "kbps": 364,
            "src": f"/video/{ready.pk}/240p.mp4",
        },
        {
            "kind": "hls",
            "label": "auto",
            "width": 320,
            "height": 240,
            "kbps": 364,
            "src": f"/video/{ready.pk}/hls/master.m3u8",
            "library": static("media/vendor/hls.js/hls.light.min.js"),
        },
    ]
    assert captions["Content-Type"] == "text/vtt; charset=utf-8"
    assert b"".join(captions.streaming_content).startswith(b"WEBVTT")


@pytest.mark.slow
def test_video_status_json_reports_progress(client, world, ready):
    client.force_login(world.member_a)

    data = client.get(f"/entries/{ready.entry.public_id}/video/status.json").json()

    assert data["upload"]["status"] == "accepted"
    assert (data["video"]["status"], data["video"]["progress"], data["video"]["renditions"]) == (
        "ready",
        1.0,
        ["240p"],
    )


def test_entry_page_shows_progress_while_processing(client, world, draft):
    from clipcontest.media.models import Video

    Video.objects.create(
        entry=draft,
        is_current=True,
        original="originals/x/original.mp4",
        original_size=10,
        sha256="0" * 64,
        container="mov,mp4,m4a,3gp,3g2,mj2",
        video_codec="h264",
        width=320,
        height=240,
        fps=25,
        duration=2,
        progress=0.42,
    )
    client.force_login(world.member_a)

    html = client.get(f"/entries/{draft.public_id}/", headers=EN).content.decode()

    assert '<span id="video-progress">42</span>%' in html
    assert f'data-status-url="/entries/{draft.public_id}/video/status.json"' in html
    assert "/static/media/status.js" in html
