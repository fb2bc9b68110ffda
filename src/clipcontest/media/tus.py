"""The tus 1.0.0 endpoint: core, creation, checksum, termination, expiration.

    POST   /uploads/tus/          create (Upload-Length, Upload-Metadata: entry, filename,
                                  sha256); 201 + Location
    HEAD   /uploads/tus/<id>      Upload-Offset / Upload-Length
    PATCH  /uploads/tus/<id>      append (application/offset+octet-stream, Upload-Offset,
                                  optional Upload-Checksum sha1|sha256); 204, 409, 460
    DELETE /uploads/tus/<id>      terminate; 204
    OPTIONS                       capabilities

Who: the signed-in team member (session, with a same-origin check) or the holder of an
upload token for the entry (``Authorization: Bearer <token>``, see ``upload_token``).
The body is read in 256 KiB blocks straight into the spool file: memory stays bounded
whatever the chunk size.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from clipcontest.core.errors import DomainError
from clipcontest.entries.models import Entry

from . import conf, uploads
from .enums import UploadStatus
from .models import Upload

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,checksum,termination,expiration"
TOKEN_SALT = "clipcontest.media.tus"  # noqa: S105 - a signing namespace, not a secret
TOKEN_MAX_AGE = 48 * 3600


def upload_token(*, entry: Entry, user: Any) -> str:
    """A bearer token letting ``user`` upload to ``entry`` (for tus clients without cookies)."""
    return signing.dumps({"e": entry.pk, "u": user.pk}, salt=TOKEN_SALT)


def _base_headers(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _reply(status: int, message: str = "", **headers: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    for key, value in headers.items():
        response[key.replace("_", "-")] = value
    return _base_headers(response)


def _options() -> HttpResponse:
    return _reply(
        204,
        **{
            "Tus_Version": TUS_VERSION,
            "Tus_Extension": EXTENSIONS,
            "Tus_Max_Size": str(conf.tus_max_size()),
            "Tus_Checksum_Algorithm": "sha1,sha256",
        },
    )


def _same_origin(request: HttpRequest) -> bool:
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return False
    parts = urlsplit(source)
    return f"{parts.scheme}://{parts.netloc}" == f"{request.scheme}://{request.get_host()}"


def _user_and_entry_scope(request: HttpRequest) -> tuple[Any, int | None]:
    """The acting user and, for a token, the one entry it is bound to."""
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        try:
            data = signing.loads(auth[7:].strip(), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature:
            return None, None
        user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
        return user, data.get("e")
    if request.user.is_authenticated and _same_origin(request):
        return request.user, None
    return None, None


def _may_upload(user: Any, entry: Entry, scope: int | None) -> bool:
    if user is None or (scope is not None and scope != entry.pk):
        return False
    return bool(user.has_perm("entries.change_entry", entry))


def parse_metadata(header: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _sep, encoded = pair.partition(" ")
        try:
            values[key] = base64.b64decode(encoded, validate=True).decode() if encoded else ""
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise DomainError(_("Malformed Upload-Metadata.")) from exc
    return values


def _error(exc: DomainError) -> HttpResponse:
    return _reply(exc.status, " ".join(exc.messages))


def _int_header(request: HttpRequest, name: str) -> int | None:
    raw = request.headers.get(name, "")
    return int(raw) if raw.isdigit() else None


@csrf_exempt  # tus clients send no CSRF token: a bearer token or session+same-origin instead
def collection(request: HttpRequest) -> HttpResponse:
    if request.method == "OPTIONS":
        return _options()
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _reply(412, "Unsupported tus version", Tus_Version=TUS_VERSION)
    if request.method != "POST":
        return _reply(405)
    if request.headers.get("Upload-Defer-Length"):
        return _reply(400, "Upload-Defer-Length is not supported")
    length = _int_header(request, "Upload-Length")
    if length is None:
        return _reply(400, "Upload-Length required")
    try:
        meta = parse_metadata(request.headers.get("Upload-Metadata", ""))
        entry_id = uuid.UUID(meta.get("entry", ""))
    except (DomainError, ValueError):
        return _reply(400, "Upload-Metadata must name the entry")
    entry = (
        Entry.objects.select_related("contest", "team__unit", "unit")
        .filter(public_id=entry_id)
        .first()
    )
    user, scope = _user_and_entry_scope(request)
    if entry is None or not _may_upload(user, entry, scope):
        return _reply(403 if user is None else 404)
    try:
        upload = uploads.create_upload(
            entry=entry,
            by=user,
            length=length,
            filename=meta.get("filename", ""),
            expected_sha256=meta.get("sha256", ""),
        )
    except DomainError as exc:
        return _error(exc)
    location = request.build_absolute_uri(reverse("media:tus_upload", args=[upload.pk]))
    return _reply(
        201, Location=location, Upload_Expires=format_datetime(upload.expires_at, usegmt=True)
    )


def _owned_upload(request: HttpRequest, upload_id: uuid.UUID) -> tuple[Upload | None, Any]:
    user, scope = _user_and_entry_scope(request)
    upload = (
        Upload.objects.select_related("entry__contest", "entry__team").filter(pk=upload_id).first()
    )
    if user is None or upload is None or upload.created_by_id != user.pk:
        return None, None
    if not _may_upload(user, upload.entry, scope):
        return None, None
    return upload, user


@csrf_exempt  # tus clients send no CSRF token: a bearer token or session+same-origin instead
def resource(request: HttpRequest, upload_id: uuid.UUID) -> HttpResponse:
    if request.method == "OPTIONS":
        return _options()
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _reply(412, "Unsupported tus version", Tus_Version=TUS_VERSION)
    upload, user = _owned_upload(request, upload_id)
    if upload is None:
        return _reply(404)
    if upload.status in UploadStatus.open() and upload.expires_at <= timezone.now():
        return _reply(410, "This upload has expired.")
    expires = format_datetime(upload.expires_at, usegmt=True)
    try:
        if request.method == "HEAD":
            return _reply(
                200,
                Upload_Offset=str(upload.offset),
                Upload_Length=str(upload.length),
                Upload_Expires=expires,
            )
        if request.method == "DELETE":
            uploads.terminate_upload(upload=upload, by=user)
            return _reply(204)
        if request.method == "PATCH":
            return _patch(request, upload)
    except DomainError as exc:
        return _error(exc)
    return _reply(405)


def _patch(request: HttpRequest, upload: Upload) -> HttpResponse:
    if request.content_type != "application/offset+octet-stream":
        return _reply(415, "Content-Type must be application/offset+octet-stream")
    offset = _int_header(request, "Upload-Offset")
    if offset is None:
        return _reply(400, "Upload-Offset required")
    body_length = _int_header(request, "Content-Length")
    if body_length is not None and offset + body_length > upload.length:
        return _reply(400, "The body goes past Upload-Length")
    header = request.headers.get("Upload-Checksum")
    checksum = uploads.Checksum.parse(header) if header else None
    upload = uploads.append(upload=upload, offset=offset, read=request.read, checksum=checksum)
    return _reply(
        204,
        Upload_Offset=str(upload.offset),
        Upload_Expires=format_datetime(upload.expires_at, usegmt=True),
    )
