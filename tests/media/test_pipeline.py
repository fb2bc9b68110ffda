"""From upload to playback with real FFmpeg on tiny generated clips."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from clipcontest.audit.models import AuditEvent
from clipcontest.entries.domain import submit_entry
from clipcontest.entries.enums import EntryStatus
from clipcontest.media.domain import finish_upload, requeue_stalled, transcode_video
from clipcontest.media.enums import UploadStatus, VideoStatus
from clipcontest.media.models import Upload, Video
from tests.media.fixtures import accept, sha256, upload_file

pytestmark = pytest.mark.slow


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def test_upload_verified_stored_and_transcoded_into_ladder(world, draft, make_clip):
    clip = make_clip(size="480x360", seconds=2)

    video = accept(draft, world.member_a, clip)

    upload = Upload.objects.get()
    assert upload.status == UploadStatus.ACCEPTED
    assert upload.sha256 == sha256(clip) == video.sha256
    assert _read(video.original) == clip.read_bytes()
    assert (video.status, video.progress, video.is_current) == (VideoStatus.READY, 1.0, True)
    assert (video.width, video.height, video.video_codec, video.audio_codec) == (
        480,
        360,
        "h264",
        "aac",
    )
    assert [(r.label, r.width, r.height) for r in video.renditions.all()] == [
        ("240p", 320, 240),
        ("360p", 480, 360),
    ]
    assert _read(video.poster)[:2] == b"\xff\xd8"
    assert _read(video.thumbnails)[:2] == b"\xff\xd8"
    assert AuditEvent.objects.filter(action="video.ready", target_id=str(video.pk)).count() == 1


def test_renditions_are_faststart_mp4(world, draft, make_clip):
    video = accept(draft, world.member_a, make_clip(size="320x240"))

    data = _read(video.renditions.get().name)

    assert data[4:8] == b"ftyp"
    assert data.index(b"moov") < data.index(b"mdat")


def test_ladder_never_above_small_source(world, draft, make_clip):
    video = accept(draft, world.member_a, make_clip(size="160x120"))

    assert [(r.label, r.width, r.height) for r in video.renditions.all()] == [("120p", 160, 120)]


def test_lowest_rendition_published_first(world, draft, make_clip):
    video = accept(draft, world.member_a, make_clip(size="480x360"))

    published = list(video.renditions.order_by("created_at", "pk").values_list("label", flat=True))
    assert published == ["240p", "360p"]


def test_transcode_twice_changes_nothing(world, draft, make_clip):
    video = accept(draft, world.member_a, make_clip(size="320x240"))
    before = list(video.renditions.values_list("pk", "name", "size"))

    again = transcode_video(video_id=video.pk)

    assert again is None
    assert list(video.renditions.values_list("pk", "name", "size")) == before


def test_transcode_failure_retried_then_reason_shown(world, draft, make_clip, client, settings):
    settings.CLIPCONTEST_TRANSCODE_ATTEMPTS = 2
    video = accept(draft, world.member_a, make_clip(size="320x240"), transcode=False)
    default_storage.delete(video.original)
    default_storage.save(video.original, ContentFile(b"\x00" * 4096))

    transcode_video(video_id=video.pk)
    after_first = Video.objects.get(pk=video.pk)
    transcode_video(video_id=video.pk)
    after_second = Video.objects.get(pk=video.pk)

    assert (after_first.status, after_first.attempts) == (VideoStatus.PROCESSING, 1)
    assert after_second.status == VideoStatus.FAILED
    assert after_second.failure.startswith("The video could not be converted (")
    client.force_login(world.member_a)
    page = client.get(f"/entries/{draft.public_id}/", headers={"Accept-Language": "en"})
    assert page.context["video"].failure == after_second.failure
    assert b'data-testid="video-failure"' in page.content


def test_stalled_transcode_requeued_and_completed(world, draft, make_clip):
    """What a killed worker leaves (an attempt counted, a stale heartbeat, a stray file)
    is picked up by the periodic requeue and finished."""
    video = accept(draft, world.member_a, make_clip(size="480x360"), transcode=False)
    stray = f"videos/{video.pk.hex}/240p.mp4"
    default_storage.save(stray, ContentFile(b"half-written"))
    Video.objects.filter(pk=video.pk).update(
        attempts=1, heartbeat_at=timezone.now() - dt.timedelta(minutes=30)
    )

    requeued = requeue_stalled()

    video.refresh_from_db()
    assert requeued == 1
    assert (video.status, video.attempts) == (VideoStatus.READY, 2)
    assert _read(stray)[4:8] == b"ftyp"


def test_finish_upload_twice_accepts_once(world, draft, make_clip):
    upload = upload_file(draft, world.member_a, make_clip(size="160x120"))

    first = finish_upload(upload_id=upload.pk)
    second = finish_upload(upload_id=upload.pk)

    assert first is not None
    assert second is None
    assert Video.objects.count() == 1


def test_replacing_video_keeps_previous_original(world, draft, make_clip):
    old = accept(draft, world.member_a, make_clip(size="160x120"), transcode=False)
    new = accept(draft, world.member_a, make_clip(size="320x240"), transcode=False)

    old.refresh_from_db()
    assert (old.is_current, new.is_current) == (False, True)
    assert default_storage.exists(old.original)


def test_upload_over_duration_limit_refused_with_reason(world, draft, make_clip):
    draft.contest.max_duration_seconds = 2
    draft.contest.min_duration_seconds = 1
    draft.contest.save()
    upload = upload_file(draft, world.member_a, make_clip(size="160x120", seconds=4))

    assert finish_upload(upload_id=upload.pk) is None

    upload.refresh_from_db()
    assert upload.status == UploadStatus.REFUSED
    assert upload.refusal == "The video lasts 4 s; it may last at most 2 s."


def test_submit_entry_with_processed_video(world, draft, make_clip):
    accept(draft, world.member_a, make_clip(size="160x120"))

    entry = submit_entry(entry=draft, by=world.member_a)

    assert entry.status == EntryStatus.SUBMITTED


def test_expected_sha256_mismatch_refused(world, draft, make_clip):
    from clipcontest.media import uploads

    clip = make_clip(size="160x120")
    upload = uploads.create_upload(
        entry=draft, by=world.member_a, length=clip.stat().st_size, expected_sha256="0" * 64
    )
    with open(clip, "rb") as handle:
        uploads.append(upload=upload, offset=0, read=handle.read)

    assert finish_upload(upload_id=upload.pk) is None
    upload.refresh_from_db()
    assert upload.refusal == (
        "The file changed on the way (SHA-256 differs); please upload it again."
    )


def test_preview_remux_plays_while_ladder_fails_under_memory_limit(
    world, draft, make_clip, settings
):
    settings.CLIPCONTEST_FFMPEG_MEMORY_MB = 40  # x264 cannot start: the ladder fails
    video = accept(draft, world.member_a, make_clip(size="480x360"), transcode=False)

    transcode_video(video_id=video.pk)

    video.refresh_from_db()
    preview = video.renditions.get()
    assert (video.status, video.attempts) == (VideoStatus.PLAYABLE, 1)
    assert video.failure.startswith("The video could not be converted (")
    assert (preview.label, preview.width, preview.height) == ("source", 480, 360)
    assert _read(preview.name)[4:8] == b"ftyp"


def test_preview_removed_once_ladder_ready(world, draft, make_clip):
    video = accept(draft, world.member_a, make_clip(size="480x360"))

    assert list(video.renditions.values_list("label", flat=True)) == ["240p", "360p"]
    assert not default_storage.exists(f"videos/{video.pk.hex}/source.mp4")


def test_stalled_verification_requeued(world, draft, make_clip):
    upload = upload_file(draft, world.member_a, make_clip(size="160x120"))
    assert upload.status == UploadStatus.VERIFYING

    requeue_stalled(now=timezone.now() + dt.timedelta(minutes=30))

    upload.refresh_from_db()
    assert upload.status == UploadStatus.ACCEPTED
