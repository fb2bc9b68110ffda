"""The whole video path on S3-compatible storage (a real SeaweedFS on loopback)."""

from __future__ import annotations

import urllib.request
import uuid

import pytest
from django.core.files.storage import default_storage

from clipcontest.media.enums import VideoStatus
from tests.media import seaweed
from tests.media.fixtures import accept, sha256

pytestmark = pytest.mark.slow


@pytest.fixture
def s3_storage(settings, seaweedfs):
    bucket = f"clipcontest-{uuid.uuid4().hex[:12]}"
    seaweed.create_bucket(seaweedfs.endpoint, bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": seaweedfs.endpoint,
                "access_key": seaweed.ACCESS_KEY,
                "secret_key": seaweed.SECRET_KEY,
                "region_name": "us-east-1",
                "addressing_style": "path",
                "querystring_auth": True,
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    return bucket


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, response.read(), dict(response.headers)


def test_pipeline_end_to_end_on_seaweedfs(s3_storage, client, world, draft, make_clip):
    clip = make_clip(size="480x360", seconds=2)

    video = accept(draft, world.member_a, clip)

    assert default_storage.__class__.__name__ == "S3Storage"
    assert video.status == VideoStatus.READY
    with default_storage.open(video.original, "rb") as handle:
        assert handle.read() == clip.read_bytes()
    assert sha256(clip) == video.sha256
    labels = list(video.renditions.values_list("label", flat=True))
    assert labels == ["240p", "360p"]
    assert all(default_storage.exists(r.name) for r in video.renditions.all())
    assert default_storage.exists(video.poster)

    client.force_login(world.coord_a)
    response = client.get(f"/video/{video.pk}/240p.mp4")
    status, body, _headers = _get(response["Location"], {"Range": "bytes=0-99"})

    assert response.status_code == 302
    assert response["Location"].startswith(f"{seaweed_endpoint(s3_storage)}")
    assert (status, len(body), body[4:8]) == (206, 100, b"ftyp")


def seaweed_endpoint(bucket: str) -> str:
    return default_storage.url("x").split(f"/{bucket}/")[0]


def test_outsider_gets_no_signed_url(s3_storage, client, world, draft, make_clip):
    video = accept(draft, world.member_a, make_clip(size="160x120"))
    client.force_login(world.outsider)

    assert client.get(f"/video/{video.pk}/120p.mp4").status_code == 404


def test_hls_variants_stored_and_served_from_seaweedfs(s3_storage, client, world, draft, make_clip):
    video = accept(draft, world.member_a, make_clip(size="480x360", seconds=3))
    client.force_login(world.coord_a)
    rendition = video.renditions.get(label="360p")
    with default_storage.open(rendition.hls.replace("index.m3u8", "index0.m4s"), "rb") as handle:
        segment = handle.read()

    master = client.get(f"/video/{video.pk}/hls/master.m3u8")
    playlist = client.get(f"/video/{video.pk}/hls/360p/index.m3u8")
    part = client.get(f"/video/{video.pk}/hls/360p/index0.m4s", headers={"Range": "bytes=4-11"})

    assert default_storage.__class__.__name__ == "S3Storage"
    assert rendition.hls == f"videos/{video.pk.hex}/hls/360p/index.m3u8"
    assert master.status_code == 200
    assert master.content.decode().splitlines()[-1] == "360p/index.m3u8"
    assert playlist["Content-Type"] == "application/vnd.apple.mpegurl"
    assert b"".join(playlist.streaming_content).startswith(b"#EXTM3U")
    assert (part.status_code, part["Content-Type"]) == (206, "video/iso.segment")
    assert b"".join(part.streaming_content) == segment[4:12]
