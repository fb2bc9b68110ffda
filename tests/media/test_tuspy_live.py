"""The official Python tus client, unchanged, against a live gunicorn server; and an
upload interrupted by killing the server, resumed after a restart."""

from __future__ import annotations

import hashlib
import json

import pytest
from tusclient import client as tus

from tests.media.fixtures import sha256
from tests.media.live import Site, wait_for

pytestmark = pytest.mark.slow

STATE = """
import django, json
django.setup()
from clipcontest.media.models import Upload
u = Upload.objects.select_related("video").order_by("created_at").last()
v = u.video
print(json.dumps({"status": u.status, "offset": u.offset, "sha256": u.sha256,
                  "refusal": u.refusal,
                  "video": v and {"status": v.status, "sha256": v.sha256, "renditions":
                                  sorted(v.renditions.values_list("label", flat=True))}}))
"""


@pytest.fixture
def site(tmp_path):
    site = Site(tmp_path / "site")
    site.folder.mkdir()
    seeded = site.seed()
    site.start_server()
    site.start_worker()
    yield site, seeded
    site.stop()


def _state(site: Site) -> dict:
    return json.loads(site.python(STATE).strip().splitlines()[-1])


def _uploader(site: Site, seeded: dict, stream, clip, chunk_size: int, **kwargs):
    client = tus.TusClient(
        f"{site.url}/uploads/tus/", headers={"Authorization": f"Bearer {seeded['token']}"}
    )
    return client.uploader(
        file_stream=stream,
        chunk_size=chunk_size,
        upload_checksum=True,
        metadata={"entry": seeded["entry"], "filename": clip.name, "sha256": sha256(clip)},
        **kwargs,
    )


def test_tuspy_uploads_in_chunks_and_worker_publishes(site, make_clip):
    live, seeded = site
    clip = make_clip(size="320x240", seconds=2)

    with open(clip, "rb") as stream:
        _uploader(live, seeded, stream, clip, 16 * 1024).upload()

    state = wait_for(
        lambda: (s := _state(live))["video"] and s["video"]["status"] == "ready" and s,
        timeout=120,
        every=0.2,
    )
    assert (state["status"], state["offset"]) == ("accepted", clip.stat().st_size)
    assert state["sha256"] == state["video"]["sha256"] == sha256(clip)
    assert state["video"]["renditions"] == ["240p"]


def test_upload_resumes_after_server_killed_and_restarted(site, make_clip):
    live, seeded = site
    clip = make_clip(size="480x360", seconds=3)
    size = clip.stat().st_size
    with open(clip, "rb") as stream:
        first = _uploader(live, seeded, stream, clip, 8 * 1024)
        while first.offset < size // 2:
            first.upload_chunk()
        url = first.url

    live.kill_server()
    live.start_server()
    with open(clip, "rb") as stream:
        resumed = _uploader(live, seeded, stream, clip, 8 * 1024, url=url)
        offset_after_restart = resumed.offset
        resumed.upload()

    state = wait_for(
        lambda: (s := _state(live))["video"] and s["video"]["status"] == "ready" and s,
        timeout=120,
        every=0.2,
    )
    assert size // 2 <= offset_after_restart < size
    assert state["sha256"] == hashlib.sha256(clip.read_bytes()).hexdigest()
    assert state["video"]["renditions"] == ["240p", "360p"]


REQUEUE = """
import django, datetime as dt
django.setup()
from django.utils import timezone
from clipcontest.media.domain import STALL_MINUTES, requeue_stalled
print(requeue_stalled(now=timezone.now() + dt.timedelta(minutes=STALL_MINUTES + 1)))
"""


def test_worker_killed_mid_transcode_completes_after_restart(site, make_clip):
    live, seeded = site
    live.kill_worker()
    live.env["CLIPCONTEST_X264_PRESET"] = "veryslow"  # long enough to be killed mid-way
    live.start_worker()
    clip = make_clip(size="1280x720", seconds=6)
    with open(clip, "rb") as stream:
        _uploader(live, seeded, stream, clip, 1024 * 1024).upload()
    wait_for(
        lambda: (s := _state(live))["video"] and s["video"]["status"] in ("processing", "playable"),
        timeout=60,
        every=0.1,
    )

    live.kill_worker()
    killed = _state(live)["video"]["status"]
    live.env.pop("CLIPCONTEST_X264_PRESET")
    live.start_worker()
    requeued = live.python(REQUEUE).strip()

    state = wait_for(
        lambda: (s := _state(live))["video"]["status"] == "ready" and s, timeout=180, every=0.2
    )
    assert killed in ("processing", "playable")
    assert requeued == "1"
    assert state["video"]["renditions"] == ["240p", "360p", "720p"]
