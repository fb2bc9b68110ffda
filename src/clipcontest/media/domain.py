"""From a finished upload to published renditions: verify, probe, store, transcode.

Originals are stored through the storage API and never modified or deleted here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clipcontest.audit.domain import record
from clipcontest.core.errors import DomainError
from clipcontest.entries.domain import VideoFacts, replace_video, video_limit_errors

from . import conf, hls, spool
from .enums import UploadStatus, VideoStatus
from .ffmpeg import FFmpegError, Limits, run, run_streaming, safe_input
from .ladder import Rung, Source, plan_ladder
from .models import Rendition, Upload, Video
from .probe import ProbeRefused, ProbeResult, probe
from .transcode import HLS_INIT, HLS_PLAYLIST, build_command

log = logging.getLogger(__name__)

EXTENSIONS = {
    "mov,mp4,m4a,3gp,3g2,mj2": ".mp4",
    "matroska,webm": ".mkv",
    "avi": ".avi",
    "mpegts": ".ts",
    "mpeg": ".mpg",
    "flv": ".flv",
    "asf": ".wmv",
}
STALL_MINUTES = 10
PREVIEW_LABEL = "source"


def _refuse(upload: Upload, messages: list[str]) -> None:
    with transaction.atomic():
        updated = Upload.objects.filter(pk=upload.pk, status=UploadStatus.VERIFYING).update(
            status=UploadStatus.REFUSED, refusal="\n".join(messages)
        )
        if updated:
            record(
                action="upload.refused",
                target=upload,
                contest=upload.entry.contest,
                actor=upload.created_by,
                after={"reasons": messages},
            )
    spool.remove(upload.id)


def _verify(upload: Upload, path: Path) -> tuple[str, ProbeResult, VideoFacts]:
    if path.stat().st_size != upload.length:
        raise ProbeRefused(_("The file arrived incomplete; please upload it again."))
    # Hashed while receiving when one process saw every byte (media.uploads); else now.
    sha256 = upload.sha256 or spool.sha256_of(path)
    if upload.expected_sha256 and sha256 != upload.expected_sha256:
        raise ProbeRefused(
            _("The file changed on the way (SHA-256 differs); please upload it again.")
        )
    result = probe(path)
    facts = VideoFacts(
        size=upload.length, duration=result.duration, width=result.width, height=result.height
    )
    errors = video_limit_errors(contest=upload.entry.contest, facts=facts)
    if errors:
        raise ProbeRefused(*errors)
    return sha256, result, facts


def finish_upload(*, upload_id: uuid.UUID | str) -> Video | None:
    """Verify a complete upload (size, SHA-256, probe, contest limits) and accept it.

    Side effects: on acceptance stores the original via the storage API (a rename on
    local disk), creates the Video, makes it the entry's current video, logs, and
    enqueues transcoding after commit. On refusal records the reasons on the upload and
    deletes its bytes. Idempotent: returns None unless the upload awaits verification.
    """
    upload = (
        Upload.objects.select_related("entry__contest", "created_by")
        .filter(pk=upload_id, status=UploadStatus.VERIFYING)
        .first()
    )
    path = spool.path_for(uuid.UUID(str(upload_id)))
    if upload is None or not path.exists():
        return None
    try:
        sha256, result, facts = _verify(upload, path)
    except DomainError as exc:
        _refuse(upload, exc.messages)
        return None
    video_id = uuid.uuid4()
    extension = EXTENSIONS.get(result.container, ".bin")
    with spool.LocalFile(path, f"original{extension}") as handle:
        name = default_storage.save(f"originals/{video_id.hex}/original{extension}", handle)
    try:
        video = _accept(upload, video_id, name, sha256, result, facts)
    except DomainError as exc:
        default_storage.delete(name)
        _refuse(upload, exc.messages)
        return None
    spool.remove(upload.id)
    return video


@transaction.atomic
def _accept(
    upload: Upload,
    video_id: uuid.UUID,
    name: str,
    sha256: str,
    result: ProbeResult,
    facts: VideoFacts,
) -> Video:
    from .tasks import transcode_task

    video = Video.objects.create(
        id=video_id,
        entry=upload.entry,
        original=name,
        original_size=upload.length,
        sha256=sha256,
        filename=upload.filename,
        container=result.container,
        video_codec=result.video_codec,
        audio_codec=result.audio_codec,
        width=result.width,
        height=result.height,
        fps=result.fps,
        duration=result.duration,
        video_kbps=result.video_kbps,
        audio_kbps=result.audio_kbps,
    )
    replace_video(entry=upload.entry, video=video, facts=facts, by=upload.created_by)
    Upload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.ACCEPTED, video=video, sha256=sha256
    )
    record(
        action="upload.accepted",
        target=upload,
        contest=upload.entry.contest,
        actor=upload.created_by,
        after={"video": str(video.pk), "sha256": sha256},
    )
    transaction.on_commit(lambda: transcode_task(str(video_id)))
    video.refresh_from_db()
    return video


# --- Transcoding ----------------------------------------------------------------------


def plan_for(video: Video) -> list[Rung]:
    """The ladder for ``video``, capped by the bitrates the probe measured.

    Videos probed before bitrates were kept fall back to the original's mean rate
    (size over duration, audio included: a cap a little high, never absent).
    """
    video_kbps = video.video_kbps
    if video_kbps is None and video.duration > 0:
        video_kbps = max(1, int(video.original_size * 8 / video.duration / 1000))
    return plan_ladder(
        Source(
            width=video.width,
            height=video.height,
            fps=video.fps,
            has_audio=bool(video.audio_codec),
            bitrate_kbps=video_kbps,
            audio_kbps=video.audio_kbps,
        )
    )


def _stages(rungs: list[Rung], done: set[str], need_art: bool) -> list[list[Rung]]:
    """The renditions still missing: one pass, or the lowest alone first (``encode``)."""
    todo = [r for r in rungs if r.label not in done]
    if not todo:
        return [[]] if need_art else []
    if conf.preview_first() and todo[0] == rungs[0] and len(todo) > 1:
        return [[todo[0]], todo[1:]]
    return [todo]


def _store(local: Path, name: str) -> str:
    """Save ``local`` at exactly ``name`` (a rerun replaces what a killed run left)."""
    if default_storage.exists(name):
        default_storage.delete(name)
    with spool.LocalFile(local, Path(name).name) as handle:
        return default_storage.save(name, handle)


def _materialize(video: Video, folder: Path) -> Path:
    """A local copy of the original for FFmpeg (read through the storage API)."""
    target = folder / f"source{Path(video.original).suffix}"
    with default_storage.open(video.original, "rb") as src, open(target, "wb") as out:
        shutil.copyfileobj(src, out, 1024 * 1024)
    return target


class _Progress:
    """Saves progress (and a heartbeat for stall detection) at most every two seconds."""

    def __init__(self, video: Video, start: float, share: float):
        self.video, self.start, self.share, self.last = video, start, share, 0.0

    def __call__(self, line: str) -> None:
        key, _sep, value = line.partition("=")
        if key != "out_time_us" or not value.strip().lstrip("-").isdigit():
            return
        now = time.monotonic()
        if now - self.last < 2.0:
            return
        self.last = now
        done = min(1.0, max(0.0, int(value) / 1e6 / max(self.video.duration, 0.1)))
        Video.objects.filter(pk=self.video.pk).update(
            progress=round(self.start + self.share * done, 3), heartbeat_at=timezone.now()
        )


def _run_stage(
    video: Video, stage: list[Rung], folder: Path, source: Path, on_line: Callable[[str], None]
) -> None:
    out = folder / f"stage-{stage[0].label if stage else 'art'}"
    out.mkdir(exist_ok=True)
    need_art = not video.poster
    args, outputs = build_command(
        source=source,
        rungs=stage,
        out_dir=out,
        duration=video.duration,
        source_fps=video.fps,
        poster=need_art,
        thumbnails=need_art,
        preset=conf.x264_preset(),
        hls=conf.hls_enabled(),
    )
    for hls_dir in outputs.hls.values():
        hls_dir.mkdir(parents=True, exist_ok=True)
    run_streaming(
        args, Limits(seconds=conf.transcode_timeout(), memory_mb=conf.ffmpeg_memory_mb()), on_line
    )
    prefix = f"videos/{video.pk.hex}"
    for rung in stage:
        local = outputs.renditions[rung.label]
        size = local.stat().st_size
        name = _store(local, f"{prefix}/{rung.label}.mp4")
        variant = (
            _store_variant(outputs.hls[rung.label], f"{prefix}/hls/{rung.label}", rung)
            if rung.label in outputs.hls
            else {}
        )
        Rendition.objects.update_or_create(
            video=video,
            label=rung.label,
            defaults={
                "width": rung.width,
                "height": rung.height,
                "name": name,
                "size": size,
                "video_kbps": rung.video_kbps,
                "audio_kbps": rung.audio_kbps,
                **variant,
            },
        )
    changes: dict[str, Any] = {"heartbeat_at": timezone.now()}
    if outputs.poster and outputs.poster.exists():
        video.poster = changes["poster"] = _store(outputs.poster, f"{prefix}/poster.jpg")
    if outputs.thumbnails and outputs.thumbnails.exists():
        changes["thumbnails"] = _store(outputs.thumbnails, f"{prefix}/thumbnails.jpg")
        changes["thumbnail_count"] = 10
    if stage:
        changes["status"] = VideoStatus.PLAYABLE
    Video.objects.filter(pk=video.pk, status__in=VideoStatus.unfinished()).update(**changes)


def _store_variant(folder: Path, prefix: str, rung: Rung) -> dict[str, Any]:
    """Store one rung's HLS files (segments first, the playlist last) at fixed names.

    Returns the Rendition fields the master playlist needs.
    """
    playlist = (folder / HLS_PLAYLIST).read_text()
    sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
    peak, average = hls.bandwidths(playlist, sizes, sizes[HLS_INIT])
    codecs = hls.codecs_of((folder / HLS_INIT).read_bytes(), has_audio=bool(rung.audio_kbps))
    for path in sorted(folder.iterdir(), key=lambda p: p.name == HLS_PLAYLIST):
        if not hls.FILE_NAME.match(path.name):
            raise OSError(f"unexpected file {path.name} in the HLS output")
        name = _store(path, f"{prefix}/{path.name}")
    return {"hls": name, "codecs": codecs, "bandwidth": peak, "average_bandwidth": average}


def transcode_video(*, video_id: uuid.UUID | str) -> Video | None:
    """Make every missing rendition, the poster and the strip; publish as they land.

    Side effects: counts an attempt, publishes a preview (see ``conf.preview_mode``),
    runs FFmpeg once for the whole ladder, stores outputs via the storage API, saves
    progress, removes the preview, marks the video ready and logs. On failure the
    error is kept; after the last attempt the video is marked failed with a reason for
    the team. Idempotent: a ready or failed video is left alone, finished renditions are
    not made again.
    """
    claimed = Video.objects.filter(pk=video_id, status__in=VideoStatus.unfinished()).update(
        attempts=F("attempts") + 1, heartbeat_at=timezone.now(), failure=""
    )
    video = Video.objects.select_related("entry__contest").filter(pk=video_id).first()
    if not claimed or video is None:
        return None
    rungs = plan_for(video)
    try:
        with tempfile.TemporaryDirectory(dir=conf.work_dir()) as tmp:
            folder = Path(tmp)
            source = _materialize(video, folder)
            done = set(video.renditions.values_list("label", flat=True))
            stages = _stages(rungs, done, need_art=not video.poster)
            if not done and len(rungs) > 1 and conf.preview_mode() == "remux":
                _publish_remux(video, folder, source)
            total = sum(r.width * r.height for r in rungs) or 1
            start = sum(r.width * r.height for r in rungs if r.label in done) / total
            for stage in stages:
                share = sum(r.width * r.height for r in stage) / total
                _run_stage(video, stage, folder, source, _Progress(video, start, share))
                start += share
    except (FFmpegError, OSError) as exc:
        _failed(video, exc)
        return None
    return _finish(video)


def _remuxable(video: Video) -> bool:
    """Browsers play it as it is: H.264 video, AAC or no audio, in an MP4/MOV file."""
    return (
        video.video_codec == "h264"
        and video.container.startswith("mov,mp4")
        and video.audio_codec in ("", "aac")
    )


def _publish_remux(video: Video, folder: Path, source: Path) -> None:
    """Publish the source copied (not re-encoded) into a fast-start MP4, when playable.

    Takes about as long as copying the file, so the team can watch the clip seconds
    after the upload while the ladder is made. Removed when the ladder is done.
    """
    if not _remuxable(video):
        return
    target = folder / "preview.mp4"
    args = [
        *safe_input(str(source)),
        "-map",
        "0:v:0",
        "-map",
        "0:a:0?",
        "-c",
        "copy",
        "-map_metadata",
        "-1",
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        str(target),
    ]
    done = run(
        ["-v", "error", "-y", *args], Limits(seconds=conf.probe_timeout() * 4, memory_mb=1024)
    )
    if done.returncode != 0 or not target.exists():
        log.warning("preview remux of %s failed: %s", video.pk, done.stderr[-500:])
        return
    size = target.stat().st_size
    name = _store(target, f"videos/{video.pk.hex}/{PREVIEW_LABEL}.mp4")
    Rendition.objects.update_or_create(
        video=video,
        label=PREVIEW_LABEL,
        defaults={
            "width": video.width,
            "height": video.height,
            "name": name,
            "size": size,
            "video_kbps": int(size * 8 / max(video.duration, 0.1) / 1000),
            "audio_kbps": 0,
        },
    )
    Video.objects.filter(pk=video.pk, status=VideoStatus.PROCESSING).update(
        status=VideoStatus.PLAYABLE
    )


@transaction.atomic
def _finish(video: Video) -> Video:
    for preview in video.renditions.filter(label=PREVIEW_LABEL):
        default_storage.delete(preview.name)
        preview.delete()
    updated = Video.objects.filter(pk=video.pk, status__in=VideoStatus.unfinished()).update(
        status=VideoStatus.READY, progress=1.0, ready_at=timezone.now()
    )
    video.refresh_from_db()
    if updated:
        record(
            action="video.ready",
            target=video,
            contest=video.entry.contest,
            after={"renditions": list(video.renditions.values_list("label", flat=True))},
        )
    return video


def _failed(video: Video, exc: Exception) -> None:
    """Keep the reason; after the last attempt mark the video failed (the team sees why)."""
    detail = (getattr(exc, "tail", "") or str(exc)).strip().splitlines()
    reason = _(
        "The video could not be converted (%(detail)s). Please upload it again or "
        "export it from your phone or editor as MP4."
    ) % {"detail": detail[-1][:200] if detail else type(exc).__name__}
    log.warning("transcode of %s failed: %s", video.pk, exc)
    video.refresh_from_db()
    final = video.attempts >= conf.transcode_attempts()
    with transaction.atomic():
        Video.objects.filter(pk=video.pk, status__in=VideoStatus.unfinished()).update(
            failure=reason, **({"status": VideoStatus.FAILED} if final else {})
        )
        if final:
            record(
                action="video.failed",
                target=video,
                contest=video.entry.contest,
                after={"reason": reason, "attempts": video.attempts},
            )
    if not final:
        from .tasks import transcode_task

        with contextlib.suppress(Exception):
            transcode_task.schedule((str(video.pk),), delay=30 * video.attempts)


def requeue_stalled(*, now: Any = None) -> int:
    """Re-enqueue transcodes (no heartbeat for a while) and verifications whose worker
    died. Returns how many transcodes were re-enqueued. Idempotent."""
    from .tasks import finish_upload_task, transcode_task

    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=STALL_MINUTES)
    stalled = Video.objects.filter(status__in=VideoStatus.unfinished()).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    count = 0
    for video_id in stalled.values_list("pk", flat=True):
        Video.objects.filter(pk=video_id).update(heartbeat_at=now)
        transcode_task(str(video_id))
        count += 1
    # A verifying upload's expiry was set by its last byte: last byte + expiry period.
    waiting_since = now + dt.timedelta(hours=conf.upload_expiry_hours()) - (now - cutoff)
    for upload_id in Upload.objects.filter(
        status=UploadStatus.VERIFYING, expires_at__lt=waiting_since
    ).values_list("pk", flat=True):
        Upload.objects.filter(pk=upload_id).update(
            expires_at=now + dt.timedelta(hours=conf.upload_expiry_hours())
        )
        finish_upload_task(str(upload_id))
    return count


@transaction.atomic
def _attach_imported(entry: Any, video: Video, by: Any) -> None:
    Video.objects.make_current(video)
    record(
        action="video.imported",
        target=entry,
        contest=entry.contest,
        actor=by,
        after={"video": str(video.pk), "sha256": video.sha256},
    )


def import_video(*, entry: Any, path: Path, by: Any, enforce_limits: bool = True) -> Video:
    """Probe a local file and make it the entry's current video, bypassing tus.

    For loaders (demo data, imports by organizers): the file is probed like any upload,
    copied into storage (the caller keeps ``path``), made current whatever the entry's
    state or the submission dates, and logged. Transcoding is left to the caller
    (``transcode_video`` or the task). Raises ProbeRefused for unacceptable files.
    """
    result = probe(path)
    facts = VideoFacts(
        size=path.stat().st_size, duration=result.duration, width=result.width, height=result.height
    )
    errors = video_limit_errors(contest=entry.contest, facts=facts) if enforce_limits else []
    if errors:
        raise ProbeRefused(*errors)
    video_id = uuid.uuid4()
    extension = EXTENSIONS.get(result.container, ".bin")
    with open(path, "rb") as handle:
        name = default_storage.save(
            f"originals/{video_id.hex}/original{extension}",
            File(handle, name=f"original{extension}"),
        )
    video = Video.objects.create(
        id=video_id,
        entry=entry,
        original=name,
        original_size=facts.size,
        sha256=spool.sha256_of(path),
        filename=path.name,
        container=result.container,
        video_codec=result.video_codec,
        audio_codec=result.audio_codec,
        width=result.width,
        height=result.height,
        fps=result.fps,
        duration=result.duration,
        video_kbps=result.video_kbps,
        audio_kbps=result.audio_kbps,
    )
    _attach_imported(entry, video, by)
    video.refresh_from_db()
    return video
