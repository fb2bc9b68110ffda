"""Resumable uploads (the tus protocol's domain side): create, append, end, expire.

The database ``offset`` is the truth: it only moves after the bytes before it are written
and fsync'ed (once per PATCH) and, with ``Upload-Checksum``, verified. Bytes past it in
the spool file are leftovers of an interrupted request and are cut off by the next append.

Each byte is touched once: blocks read from the request are written and hashed by a
helper thread while the next block is read (file writes and hashlib release the GIL, so
hashing overlaps the request reading on a second core). The whole file's SHA-256 is
carried along from PATCH to PATCH in this process (``_Running``) and kept on the upload
when the last byte lands, so verification does not read the file again; a PATCH served
by another process (or after a restart) simply leaves it to verification to hash.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clipcontest.audit.domain import record
from clipcontest.core.errors import Conflict, DomainError
from clipcontest.core.text import clean_filename
from clipcontest.entries.models import Entry

from . import conf, spool
from .enums import UploadStatus
from .models import Upload

CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}


class Gone(DomainError):
    code = "gone"
    status = 410


class TooLarge(DomainError):
    code = "too_large"
    status = 413


class ChecksumMismatch(DomainError):
    code = "checksum_mismatch"
    status = 460


class Locked(Conflict):
    status = 423


@dataclass(frozen=True)
class Checksum:
    algorithm: str
    digest: bytes

    @classmethod
    def parse(cls, header: str) -> Checksum:
        """Parse ``Upload-Checksum: <algorithm> <base64>``; raises DomainError."""
        algorithm, _sep, encoded = header.strip().partition(" ")
        if algorithm not in CHECKSUM_ALGORITHMS:
            raise DomainError(_("Unsupported checksum algorithm."), code="bad_checksum")
        try:
            digest = base64.b64decode(encoded.strip(), validate=True)
        except ValueError as exc:
            raise DomainError(_("Malformed checksum."), code="bad_checksum") from exc
        return cls(algorithm, digest)


def _expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=conf.upload_expiry_hours())


def max_length(entry: Entry) -> int:
    return min(conf.tus_max_size(), entry.contest.max_video_mb * 1024 * 1024)


@transaction.atomic
def create_upload(
    *, entry: Entry, by: Any, length: int, filename: str = "", expected_sha256: str = ""
) -> Upload:
    """Start an upload of ``length`` bytes for a draft entry; creates an empty spool file.

    Logged. Refused when the entry cannot take a new video or the size is over the limit.
    """
    if not entry.is_editable:
        raise DomainError(_("Only a draft entry can receive a new video."))
    if length <= 0:
        raise DomainError(_("The file is empty."))
    if length > max_length(entry):
        raise TooLarge(
            _("The video is larger than %(mb)s MB.") % {"mb": entry.contest.max_video_mb}
        )
    expected = expected_sha256.strip().lower()
    if expected and (len(expected) != 64 or any(c not in "0123456789abcdef" for c in expected)):
        raise DomainError(_("Malformed SHA-256."), code="bad_checksum")
    upload = Upload.objects.create(
        entry=entry,
        created_by=by,
        length=length,
        filename=clean_filename(filename),
        expected_sha256=expected,
        expires_at=_expiry(),
    )
    spool.create(upload.id)
    record(
        action="upload.created",
        target=upload,
        contest=entry.contest,
        actor=by,
        after={"entry": entry.pk, "length": length, "filename": upload.filename},
    )
    return upload


def _check_open(upload: Upload, now: dt.datetime) -> None:
    if upload.status != UploadStatus.RECEIVING:
        raise Conflict(_("This upload is complete."))
    if upload.expires_at <= now:
        raise Gone(_("This upload has expired; please start again."))


class _Running:
    """The whole-file SHA-256 of uploads this process is receiving: id -> (offset, hasher)."""

    LIMIT = 512

    def __init__(self) -> None:
        self._states: OrderedDict[uuid.UUID, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def at(self, upload_id: uuid.UUID, offset: int) -> Any | None:
        """A copy of the hasher covering bytes [0, offset), or None when not known here."""
        if offset == 0:
            return hashlib.sha256()
        with self._lock:
            state = self._states.get(upload_id)
        return state[1].copy() if state and state[0] == offset else None

    def keep(self, upload_id: uuid.UUID, offset: int, hasher: Any) -> None:
        with self._lock:
            self._states[upload_id] = (offset, hasher)
            self._states.move_to_end(upload_id)
            while len(self._states) > self.LIMIT:
                self._states.popitem(last=False)

    def drop(self, upload_id: uuid.UUID) -> None:
        with self._lock:
            self._states.pop(upload_id, None)


_running = _Running()


def append(
    *,
    upload: Upload,
    offset: int,
    read: Callable[[int], bytes],
    checksum: Checksum | None = None,
) -> Upload:
    """Append the bytes ``read`` yields at ``offset``; returns the upload with its new offset.

    Side effects: writes the spool file and fsyncs it once, moves the offset, and when
    the last byte arrives keeps the file's SHA-256 (when this process saw every byte),
    marks the upload for verification and enqueues ``finish_upload`` after commit. With
    a checksum, a mismatch (or a cut-off body) appends nothing (460).
    """
    upload = Upload.objects.get(pk=upload.pk)
    _check_open(upload, timezone.now())
    if offset != upload.offset:
        raise Conflict(_("The upload offset does not match."))
    chunk = CHECKSUM_ALGORITHMS[checksum.algorithm]() if checksum else None
    whole = _running.at(upload.id, offset)
    try:
        with spool.locked(upload.id) as handle:
            written = _write(handle, offset, upload.length - offset, read, [chunk, whole])
            if checksum and chunk and not hmac.compare_digest(chunk.digest(), checksum.digest):
                handle.truncate(offset)
                raise ChecksumMismatch(_("The chunk was damaged on the way; it was not stored."))
            handle.flush()
            os.fsync(handle.fileno())
            done = offset + written == upload.length
            sha256 = whole.hexdigest() if whole is not None and done else ""
            upload = _advance(upload, offset, written, sha256)
    except spool.Busy as exc:
        raise Locked(_("Another request is writing this upload.")) from exc
    except FileNotFoundError as exc:
        raise Gone(_("This upload has expired; please start again.")) from exc
    if whole is not None and not done:
        _running.keep(upload.id, upload.offset, whole)
    else:
        _running.drop(upload.id)
    return upload


def _consume(handle: Any, block: bytes, hashers: list[Any]) -> None:
    handle.write(block)
    for hasher in hashers:
        if hasher is not None:
            hasher.update(block)


def _write(
    handle: Any, offset: int, room: int, read: Callable[[int], bytes], hashers: list[Any]
) -> int:
    """Copy up to ``room`` bytes from ``read`` to ``handle`` at ``offset``, hashing them.

    Block n is written and hashed by a helper thread while block n+1 is read.
    """
    handle.truncate(offset)
    handle.seek(offset)
    written = 0
    pending: Future[None] | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tus-write") as helper:
        while written < room:
            try:
                block = read(min(spool.CHUNK, room - written))
            except OSError:
                break  # the client went away: keep what arrived whole (without a checksum)
            if not block:
                break
            if pending is not None:
                pending.result()
            pending = helper.submit(_consume, handle, block, hashers)
            written += len(block)
        if pending is not None:
            pending.result()
    return written


@transaction.atomic
def _advance(upload: Upload, offset: int, written: int, sha256: str = "") -> Upload:
    from .tasks import finish_upload_task

    new_offset = offset + written
    done = new_offset == upload.length
    updated = Upload.objects.filter(
        pk=upload.pk, offset=offset, status=UploadStatus.RECEIVING
    ).update(
        offset=new_offset,
        expires_at=_expiry(),
        status=UploadStatus.VERIFYING if done else UploadStatus.RECEIVING,
        **({"sha256": sha256} if done and sha256 else {}),
    )
    if not updated:
        raise Conflict(_("The upload offset does not match."))
    if done:
        upload_id = str(upload.pk)
        transaction.on_commit(lambda: finish_upload_task(upload_id))
    upload.refresh_from_db()
    return upload


@transaction.atomic
def terminate_upload(*, upload: Upload, by: Any) -> None:
    """End an unfinished upload: its row and its bytes are removed. Logged."""
    upload = Upload.objects.select_for_update().select_related("entry__contest").get(pk=upload.pk)
    if upload.status != UploadStatus.RECEIVING:
        raise Conflict(_("This upload is complete and can no longer be cancelled."))
    record(
        action="upload.terminated",
        target=upload,
        contest=upload.entry.contest,
        actor=by,
        before={"offset": upload.offset, "length": upload.length},
    )
    upload_id = upload.id
    upload.delete()
    transaction.on_commit(lambda: spool.remove(upload_id))


def expire_uploads(*, now: dt.datetime | None = None) -> int:
    """Remove abandoned partial uploads and stray spool files. Returns how many went.

    Idempotent; run periodically by the worker.
    """
    now = now or timezone.now()
    removed = 0
    for upload in Upload.objects.filter(status=UploadStatus.RECEIVING, expires_at__lte=now):
        with transaction.atomic():
            gone = Upload.objects.filter(
                pk=upload.pk, status=UploadStatus.RECEIVING, expires_at__lte=now
            ).delete()[0]
            if gone:
                record(action="upload.expired", target=upload, after={"offset": upload.offset})
        if gone:
            spool.remove(upload.id)
            removed += 1
    known = {
        u.hex
        for u in Upload.objects.filter(
            status__in=[UploadStatus.RECEIVING, UploadStatus.VERIFYING]
        ).values_list("id", flat=True)
    }
    cutoff = (now - dt.timedelta(hours=conf.upload_expiry_hours())).timestamp()
    for leftover in conf.spool_dir().glob("*.part"):
        if leftover.stem not in known and leftover.stat().st_mtime < cutoff:
            leftover.unlink(missing_ok=True)
            removed += 1
    return removed
