"""Serving videos, posters, strips and captions to those allowed to see the entry.

On local storage the bytes are streamed through the storage API with HTTP range support
(seeking does not download the whole clip). On object storage the permission is checked
here and the viewer is redirected to a short-lived signed URL, which supports ranges
itself.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import IO

from django.core.files.storage import FileSystemStorage, default_storage
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from clipcontest.entries.models import Entry

from . import hls
from .ladder import MAX_FPS
from .models import Rendition, Video

BLOCK = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str | None, size: int) -> tuple[int, int] | bool | None:
    """(start, end) inclusive; None for no/ignored range; False when unsatisfiable."""
    if not header or "," in header:
        return None
    match = _RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


class _Slice:
    """``remaining`` bytes of an open file in blocks; closed by the response when done."""

    def __init__(self, handle: IO[bytes], remaining: int):
        self.handle, self.remaining = handle, remaining

    def __iter__(self) -> Iterator[bytes]:
        while self.remaining > 0:
            block = self.handle.read(min(BLOCK, self.remaining))
            if not block:
                break
            self.remaining -= len(block)
            yield block

    def close(self) -> None:
        self.handle.close()


def stream(
    request: HttpRequest, name: str, content_type: str, *, redirect: bool = True
) -> HttpResponse | StreamingHttpResponse:
    """The stored file ``name`` with range support (local) or a signed redirect (S3).

    ``redirect=False`` streams through the storage API on S3 too (HLS files: their
    playlists name segments by relative URL, and a script fetching them cross-origin
    would need CORS on the bucket).
    """
    if redirect and not isinstance(default_storage, FileSystemStorage):
        return HttpResponseRedirect(default_storage.url(name))
    try:
        size = default_storage.size(name)
    except FileNotFoundError as exc:
        raise Http404 from exc
    wanted = parse_range(request.headers.get("Range"), size)
    if wanted is False:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    start, end = wanted if isinstance(wanted, tuple) else (0, size - 1)
    handle = default_storage.open(name, "rb")
    if request.method == "HEAD":
        handle.close()
        response: HttpResponse | StreamingHttpResponse = HttpResponse(
            status=206 if wanted else 200, content_type=content_type
        )
    else:
        handle.seek(start)
        response = StreamingHttpResponse(
            _Slice(handle, end - start + 1),
            status=206 if wanted else 200,
            content_type=content_type,
        )
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _visible_video(request: HttpRequest, video_id: uuid.UUID) -> Video:
    video = get_object_or_404(
        Video.objects.select_related("entry__contest", "entry__team", "entry__unit"), pk=video_id
    )
    if not request.user.has_perm("entries.view_entry", video.entry):
        raise Http404
    return video


@require_safe
def rendition(request: HttpRequest, video_id: uuid.UUID, label: str) -> HttpResponseBase:
    video = _visible_video(request, video_id)
    item = get_object_or_404(Rendition, video=video, label=label)
    return stream(request, item.name, "video/mp4")


@require_safe
def hls_master(request: HttpRequest, video_id: uuid.UUID) -> HttpResponseBase:
    """The master playlist, written from the renditions that have an HLS variant."""
    video = _visible_video(request, video_id)
    variants = [
        hls.Variant(
            uri=f"{r.label}/index.m3u8",
            bandwidth=r.bandwidth,
            average_bandwidth=r.average_bandwidth,
            width=r.width,
            height=r.height,
            fps=min(video.fps, MAX_FPS),
            codecs=r.codecs,
        )
        for r in video.renditions.exclude(hls="").order_by("height")
    ]
    if not variants:
        raise Http404
    response = HttpResponse(hls.master_playlist(variants), content_type=hls.CONTENT_TYPES[".m3u8"])
    response["Cache-Control"] = "private, max-age=60"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def hls_file(request: HttpRequest, video_id: uuid.UUID, label: str, file: str) -> HttpResponseBase:
    """A rung's media playlist, init segment or segment, with ranges (same rule as MP4s)."""
    if not hls.FILE_NAME.match(file):
        raise Http404
    video = _visible_video(request, video_id)
    item = get_object_or_404(Rendition.objects.exclude(hls=""), video=video, label=label)
    name = f"{item.hls.rsplit('/', 1)[0]}/{file}"
    content_type = hls.CONTENT_TYPES[file[file.rindex(".") :]]
    return stream(request, name, content_type, redirect=False)


@require_safe
def image(request: HttpRequest, video_id: uuid.UUID, kind: str) -> HttpResponseBase:
    video = _visible_video(request, video_id)
    name = video.poster if kind == "poster" else video.thumbnails
    if not name:
        raise Http404
    return stream(request, name, "image/jpeg")


@require_safe
def captions(request: HttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    entry = get_object_or_404(
        Entry.objects.select_related("contest", "team", "unit"), public_id=public_id
    )
    if not request.user.has_perm("entries.view_entry", entry) or not entry.captions:
        raise Http404
    return stream(request, str(entry.captions.name), "text/vtt; charset=utf-8")
