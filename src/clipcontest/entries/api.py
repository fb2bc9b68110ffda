"""Entries through the JSON API (/api/v1/entries/...): the same lookups, permissions and
domain functions as the entry pages, so the web and the API cannot disagree.

The video itself is not sent here: API clients mint an upload token and send the bytes
to the resumable (tus 1.0.0) endpoint at /uploads/tus/; see ``upload_token_create``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from clipcontest.api.auth import ANYONE, SIGNED_IN
from clipcontest.api.lookups import visible_contest
from clipcontest.api.schemas import ErrorOut
from clipcontest.core.textfields import Line, LongText, Name, Title
from clipcontest.org.models import Team

from . import domain
from .enums import AuthorRole, EntryStatus, Licence
from .models import Author, Entry
from .queries import with_current_video

router = Router(tags=["entries"])

# As many authors as the entry form has rows (entries.forms.AUTHOR_ROWS); the domain
# itself sets no limit.
MAX_AUTHORS = 6
ERRORS: dict[int, Any] = {
    400: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}

TUS_HOWTO = """\
Mint a token that lets the caller send this entry's video to the resumable upload
endpoint (tus 1.0.0: core, creation, checksum with sha1/sha256, termination, expiration).
Needs permission to change the entry (a member of its team). The token is bound to this
entry and to the caller and lasts `expires_in` seconds; API tokens (`cc_...`) are **not**
accepted by the upload endpoint, only this upload token.

1. `POST /uploads/tus/` with headers `Tus-Resumable: 1.0.0`,
   `Authorization: Bearer <token>`, `Upload-Length: <bytes>` (at most `max_bytes`) and
   `Upload-Metadata: entry <base64 of the entry id>,filename <base64 of the file name>`,
   optionally `,sha256 <base64 of the file's hex SHA-256>` (the finished file is checked
   against it). Answer: `201` with `Location` (the upload's URL) and `Upload-Expires`.
2. `PATCH <Location>` with `Content-Type: application/offset+octet-stream`,
   `Upload-Offset: <bytes already stored>` and the bytes as the body, optionally
   `Upload-Checksum: sha256 <base64 digest of the chunk>`. Answer: `204` with the new
   `Upload-Offset`; `460` when the chunk's checksum does not match (nothing is stored),
   `409` when the offset is wrong.
3. To resume after a dropped connection: `HEAD <Location>` gives `Upload-Offset`; send
   the rest from there. `DELETE <Location>` cancels an unfinished upload. An upload left
   alone past `Upload-Expires` is removed.
4. When the last byte is stored the file is verified and probed; poll
   `GET /api/v1/entries/{public_id}/video` for the check, the transcode progress and the
   renditions. A new video replaces the current one only once it is accepted.
"""


class TeamRefOut(Schema):
    id: int
    name: str
    unit: str = Field(description='The team\'s unit as "<hierarchy slug>/<unit code>".')


class AuthorIO(Schema):
    name: Name = Field(max_length=150)
    role: str = Field(
        default=AuthorRole.OTHER.value,
        description="One of: " + ", ".join(AuthorRole.values),
    )


class EntryOut(Schema):
    id: uuid.UUID
    url: str
    contest: str
    team: TeamRefOut
    unit: str = Field(
        description="The entry's unit (its team's when created): \"<hierarchy slug>/<code>\"."
    )
    unit_name: str
    title: str
    description: str
    topic_tags: list[str]
    licence: str
    consent_people_shown: bool
    shows_minors: bool
    guardian_consent: bool
    authors: list[AuthorIO]
    status: str
    slot: int
    video_status: str | None
    captions_url: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    published_at: dt.datetime | None


class EntryDetailOut(EntryOut):
    can_change: bool
    problems: list[str] = Field(
        description="What still stops submission (only for those who may change a draft)."
    )


class EntryIn(Schema):
    contest: str = Field(description="The contest's slug.")
    team: int = Field(description="The team's id (one of the caller's teams).")
    title: Title
    description: LongText = ""
    topic_tags: list[Line] = []
    licence: str = Field(
        default=Licence.ORGANIZER.value, description="One of: " + ", ".join(Licence.values)
    )
    consent_people_shown: bool = False
    shows_minors: bool = False
    guardian_consent: bool = False
    authors: list[AuthorIO] = Field(default=[], max_length=MAX_AUTHORS)


class EntryPatch(Schema):
    title: Title | None = None
    description: LongText | None = None
    topic_tags: list[Line] | None = None
    licence: str | None = None
    consent_people_shown: bool | None = None
    shows_minors: bool | None = None
    guardian_consent: bool | None = None
    authors: list[AuthorIO] | None = Field(
        default=None, max_length=MAX_AUTHORS, description="When given, replaces all authors."
    )


class WithdrawIn(Schema):
    reason: str = ""


class UploadOut(Schema):
    status: str
    label: str
    refusal: str
    offset: int
    length: int


class RenditionOut(Schema):
    label: str
    width: int
    height: int
    kbps: int
    url: str


class VideoOut(Schema):
    status: str
    label: str
    progress: float
    failure: str
    renditions: list[RenditionOut]
    poster_url: str | None
    thumbnails_url: str | None


class VideoStatusOut(Schema):
    upload: UploadOut | None = Field(
        description="The latest upload's check (only for those who may change the entry)."
    )
    video: VideoOut | None


class UploadTokenOut(Schema):
    token: str
    endpoint: str
    entry: uuid.UUID
    expires_in: int
    max_bytes: int
    tus_version: str
    checksum_algorithms: list[str]


def _entries() -> QuerySet[Entry]:
    return with_current_video(
        Entry.objects.select_related(
            "contest__organizer_unit", "team__unit__hierarchy", "unit__hierarchy"
        ).prefetch_related(Prefetch("authors", queryset=Author.objects.order_by("position")))
    )


def _entry(request: HttpRequest, public_id: uuid.UUID, perm: str = "entries.view_entry") -> Entry:
    """The entry, 404 for those who may not see it, 403 for those who may not ``perm`` it."""
    entry = get_object_or_404(_entries(), public_id=public_id)
    if not request.user.has_perm("entries.view_entry", entry):
        raise Http404
    if perm != "entries.view_entry" and not request.user.has_perm(perm, entry):
        raise PermissionDenied
    return entry


def _ref(unit: Any) -> str:
    return f"{unit.hierarchy.slug}/{unit.code}"


def entry_out(request: HttpRequest, entry: Entry) -> EntryOut:
    current = getattr(entry, "current", None)
    video = current[0] if current else None
    return EntryOut(
        id=entry.public_id,
        url=request.build_absolute_uri(reverse("entries:detail", args=[entry.public_id])),
        contest=entry.contest.slug,
        team=TeamRefOut(id=entry.team.pk, name=entry.team.name, unit=_ref(entry.team.unit)),
        unit=_ref(entry.unit),
        unit_name=entry.unit.name,
        title=entry.title,
        description=entry.description,
        topic_tags=list(entry.topic_tags),
        licence=entry.licence,
        consent_people_shown=entry.consent_people_shown,
        shows_minors=entry.shows_minors,
        guardian_consent=entry.guardian_consent,
        authors=[AuthorIO(name=a.name, role=a.role) for a in entry.authors.all()],
        status=entry.status,
        slot=entry.slot,
        video_status=video.status if video else None,
        captions_url=(
            request.build_absolute_uri(reverse("media:captions", args=[entry.public_id]))
            if entry.captions
            else None
        ),
        created_at=entry.created_at,
        updated_at=entry.updated_at,
        submitted_at=entry.submitted_at,
        published_at=entry.published_at,
    )


def _detail(request: HttpRequest, entry: Entry) -> EntryDetailOut:
    """The entry as stored now (domain functions may have changed it), as the page shows it."""
    entry = _entries().get(pk=entry.pk)
    can_change = request.user.has_perm("entries.change_entry", entry)
    return EntryDetailOut(
        **entry_out(request, entry).dict(),
        can_change=can_change,
        problems=domain.submit_problems(entry) if can_change and entry.is_editable else [],
    )


def _authors(authors: list[AuthorIO]) -> list[domain.AuthorInput]:
    return [domain.AuthorInput(name=a.name, role=a.role) for a in authors]


@router.get("", response=list[EntryOut], auth=SIGNED_IN)
@paginate(LimitOffsetPagination)
def entries(
    request: HttpRequest, contest: str, team: int, include_withdrawn: bool = False
) -> list[EntryOut]:
    """A team's entries in a contest, newest first: for its members, the coordinators and
    organizers of its unit or above, and site admins (``org.view_team``)."""
    where = visible_contest(request, contest)
    owner = get_object_or_404(Team.objects.select_related("unit"), pk=team)
    if not request.user.has_perm("org.view_team", owner):
        raise PermissionDenied
    found = _entries().filter(contest=where, team=owner)
    if not include_withdrawn:
        found = found.exclude(status=EntryStatus.WITHDRAWN)
    return [entry_out(request, e) for e in found]


@router.get("/{public_id}", response=EntryDetailOut, auth=ANYONE)
def entry_detail(request: HttpRequest, public_id: uuid.UUID) -> EntryDetailOut:
    """One entry (``entries.view_entry``: published entries are public; otherwise its team,
    the coordinators and organizers above it, the contest's organizers and jurors)."""
    return _detail(request, _entry(request, public_id))


@router.post("", response={201: EntryDetailOut, **ERRORS}, auth=SIGNED_IN)
def entry_create(request: HttpRequest, payload: EntryIn) -> Status[EntryDetailOut]:
    """Create a draft for one of the caller's teams (``entries.add_entry``). Refused while
    submission is closed, with 422 (``field: "team"``, code ``ineligible``) when the team's
    unit may not enter this contest, or when the team has used all its entries."""
    contest = visible_contest(request, payload.contest)
    team = get_object_or_404(Team.objects.select_related("unit"), pk=payload.team)
    if not request.user.has_perm("entries.add_entry", team):
        raise PermissionDenied
    values = payload.dict(exclude={"contest", "team", "authors"})
    entry = domain.create_entry(
        contest=contest, team=team, by=request.user, authors=_authors(payload.authors), **values
    )
    return Status(201, _detail(request, entry))


@router.patch("/{public_id}", response={200: EntryDetailOut, **ERRORS}, auth=SIGNED_IN)
def entry_update(request: HttpRequest, public_id: uuid.UUID, payload: EntryPatch) -> EntryDetailOut:
    """Change a draft's fields; only the fields sent change (``authors`` replaces all)."""
    entry = _entry(request, public_id, "entries.change_entry")
    changes = payload.dict(exclude_unset=True, exclude_none=True, exclude={"authors"})
    authors = _authors(payload.authors) if payload.authors is not None else None
    domain.update_entry(entry=entry, by=request.user, authors=authors, **changes)
    return _detail(request, entry)


@router.post("/{public_id}/submit", response={200: EntryDetailOut, **ERRORS}, auth=SIGNED_IN)
def entry_submit(request: HttpRequest, public_id: uuid.UUID) -> EntryDetailOut:
    """Submit a complete draft before the deadline; a 400 lists everything still missing."""
    entry = _entry(request, public_id, "entries.change_entry")
    domain.submit_entry(entry=entry, by=request.user)
    return _detail(request, entry)


@router.post("/{public_id}/withdraw", response={200: EntryDetailOut, **ERRORS}, auth=SIGNED_IN)
def entry_withdraw(
    request: HttpRequest, public_id: uuid.UUID, payload: WithdrawIn
) -> EntryDetailOut:
    """Withdraw a draft or submitted entry (its slot is freed); the reason is logged."""
    entry = _entry(request, public_id, "entries.change_entry")
    domain.withdraw_entry(entry=entry, by=request.user, reason=payload.reason[:500])
    return _detail(request, entry)


@router.put(
    "/{public_id}/captions",
    response={200: EntryDetailOut, **ERRORS},
    auth=SIGNED_IN,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/vtt": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
def captions_set(request: HttpRequest, public_id: uuid.UUID) -> EntryDetailOut:
    """Store the draft's captions: the request body is the WebVTT file (at most 512 KB)."""
    entry = _entry(request, public_id, "entries.change_entry")
    content = request.read(domain.MAX_CAPTIONS_BYTES + 1)
    domain.set_captions(entry=entry, by=request.user, content=content)
    return _detail(request, entry)


@router.delete("/{public_id}/captions", response={200: EntryDetailOut, **ERRORS}, auth=SIGNED_IN)
def captions_remove(request: HttpRequest, public_id: uuid.UUID) -> EntryDetailOut:
    """Remove the draft's captions."""
    entry = _entry(request, public_id, "entries.change_entry")
    domain.set_captions(entry=entry, by=request.user, content=None)
    return _detail(request, entry)


@router.get("/{public_id}/video", response=VideoStatusOut, auth=ANYONE)
def video_status(request: HttpRequest, public_id: uuid.UUID) -> VideoStatusOut:
    """What the web uploader polls: the latest upload's check, then the current video's
    transcode progress, failure reason and the renditions published so far."""
    from clipcontest.media.models import Upload

    entry = _entry(request, public_id)
    current = getattr(entry, "current", None)
    video = current[0] if current else None
    upload = None
    if request.user.has_perm("entries.change_entry", entry):
        latest = Upload.objects.filter(entry=entry).order_by("-created_at").first()
        if latest is not None:
            upload = UploadOut(
                status=latest.status,
                label=str(latest.get_status_display()),
                refusal=latest.refusal,
                offset=latest.offset,
                length=latest.length,
            )
    return VideoStatusOut(upload=upload, video=_video_out(request, video) if video else None)


def _video_out(request: HttpRequest, video: Any) -> VideoOut:
    def url(name: str, *args: Any) -> str:
        return request.build_absolute_uri(reverse(name, args=[video.pk, *args]))

    return VideoOut(
        status=video.status,
        label=str(video.get_status_display()),
        progress=video.progress,
        failure=video.failure,
        renditions=[
            RenditionOut(
                label=r.label,
                width=r.width,
                height=r.height,
                kbps=r.video_kbps + r.audio_kbps,
                url=url("media:rendition", r.label),
            )
            for r in video.renditions.all()
        ],
        poster_url=url("media:poster") if video.poster else None,
        thumbnails_url=url("media:thumbnails") if video.thumbnails else None,
    )


@router.post(
    "/{public_id}/upload-token",
    response={200: UploadTokenOut, **ERRORS},
    auth=SIGNED_IN,
    summary="Start a resumable video upload",
    description=TUS_HOWTO,
)
def upload_token_create(request: HttpRequest, public_id: uuid.UUID) -> UploadTokenOut:
    from clipcontest.media import tus
    from clipcontest.media.uploads import max_length

    entry = _entry(request, public_id, "entries.change_entry")
    return UploadTokenOut(
        token=tus.upload_token(entry=entry, user=request.user),
        endpoint=request.build_absolute_uri(reverse("media:tus")),
        entry=entry.public_id,
        expires_in=tus.TOKEN_MAX_AGE,
        max_bytes=max_length(entry),
        tus_version=tus.TUS_VERSION,
        checksum_algorithms=["sha1", "sha256"],
    )
