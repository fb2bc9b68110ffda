"""Entries: create, change, replace the video, submit, withdraw.

Every function checks the contest's rules itself (forms only help), writes an audit event
in the same transaction, and is what the web views, the API and the demo all call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clipcontest.audit.domain import record, snapshot
from clipcontest.contests.eligibility import require_eligible
from clipcontest.contests.enums import PhaseKind
from clipcontest.contests.models import Contest, Phase
from clipcontest.core.errors import Conflict, DomainError
from clipcontest.org.models import Team

from .enums import AuthorRole, EntryStatus, Licence
from .models import Author, Entry

if TYPE_CHECKING:
    from clipcontest.media.models import Video

ENTRY_FIELDS = (
    "title",
    "description",
    "topic_tags",
    "licence",
    "consent_people_shown",
    "shows_minors",
    "guardian_consent",
)
MAX_TAGS = 10
MAX_CAPTIONS_BYTES = 512 * 1024


@dataclass(frozen=True)
class AuthorInput:
    name: str
    role: str = AuthorRole.DIRECTOR


@dataclass(frozen=True)
class VideoFacts:
    """What the limits are checked against (from the probe and the verified upload)."""

    size: int
    duration: float
    width: int
    height: int


def submission_open(contest: Contest, now: dt.datetime | None = None) -> bool:
    """True while the contest's submission phase runs (dates decide, not the cron)."""
    now = now or timezone.now()
    return Phase.objects.filter(
        contest=contest, kind=PhaseKind.SUBMISSION, starts_at__lte=now, ends_at__gt=now
    ).exists()


def video_limit_errors(*, contest: Contest, facts: VideoFacts) -> list[str]:
    """Every contest limit the video breaks; empty when it fits. Pure apart from reading."""
    errors = []
    if facts.size > contest.max_video_mb * 1024 * 1024:
        errors.append(_("The video is larger than %(mb)s MB.") % {"mb": contest.max_video_mb})
    if facts.duration < contest.min_duration_seconds:
        errors.append(
            _("The video lasts %(s)s s; it must last at least %(min)s s.")
            % {"s": round(facts.duration), "min": contest.min_duration_seconds}
        )
    if facts.duration > contest.max_duration_seconds + 0.5:
        errors.append(
            _("The video lasts %(s)s s; it may last at most %(max)s s.")
            % {"s": round(facts.duration), "max": contest.max_duration_seconds}
        )
    if min(facts.width, facts.height) > contest.max_video_height:
        errors.append(
            _("The video is %(w)s×%(h)s; this contest accepts at most %(max)sp.")
            % {"w": facts.width, "h": facts.height, "max": contest.max_video_height}
        )
    return errors


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    errors = []
    if "title" in values:
        values["title"] = str(values["title"]).strip()
        if not values["title"]:
            errors.append(_("An entry needs a title."))
    if "topic_tags" in values:
        tags = [str(t).strip().lower()[:40] for t in values["topic_tags"] if str(t).strip()]
        values["topic_tags"] = list(dict.fromkeys(tags))
        if len(values["topic_tags"]) > MAX_TAGS:
            errors.append(_("At most %(n)s topics.") % {"n": MAX_TAGS})
    if "licence" in values and values["licence"] not in Licence.values:
        errors.append(_("Choose a licence for reuse."))
    if errors:
        raise DomainError(*errors)
    return values


def _set_authors(entry: Entry, authors: list[AuthorInput]) -> None:
    cleaned = [a for a in authors if a.name.strip()]
    if any(a.role not in AuthorRole.values for a in cleaned):
        raise DomainError(_("Unknown author role."))
    entry.authors.all().delete()
    Author.objects.bulk_create(
        Author(entry=entry, position=i, name=a.name.strip()[:150], role=a.role)
        for i, a in enumerate(cleaned, start=1)
    )


def _authors_record(entry: Entry) -> list[dict[str, str]]:
    return [{"name": a.name, "role": a.role} for a in entry.authors.all()]


@transaction.atomic
def create_entry(
    *,
    contest: Contest,
    team: Team,
    by: Any,
    title: str,
    authors: list[AuthorInput],
    description: str = "",
    topic_tags: list[str] | None = None,
    licence: str = Licence.ORGANIZER,
    consent_people_shown: bool = False,
    shows_minors: bool = False,
    guardian_consent: bool = False,
) -> Entry:
    """Create a draft entry for ``team`` in one of its free slots; logged.

    Refused when submission is closed, when the team may not enter this contest (its
    unit is not inside the organizer's, on the contest's map, at the entering level or
    below: ``contests.eligibility``; FieldError on ``team``) or when it has used all its
    entries. The slot's unique constraint settles a race for the last slot.
    """
    if not submission_open(contest):
        raise DomainError(_("Submission for this contest is not open."))
    require_eligible(contest=contest, team=team)
    values = _clean(
        {
            "title": title,
            "description": description,
            "topic_tags": topic_tags or [],
            "licence": licence,
            "consent_people_shown": consent_people_shown,
            "shows_minors": shows_minors,
            "guardian_consent": guardian_consent,
        }
    )
    used = set(
        Entry.objects.filter(
            contest=contest, team=team, status__in=EntryStatus.active()
        ).values_list("slot", flat=True)
    )
    free = [s for s in range(1, contest.entries_per_team + 1) if s not in used]
    if not free:
        raise DomainError(
            _("Your team has already entered %(n)s works in this contest.")
            % {"n": contest.entries_per_team},
            code="limit",
        )
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                contest=contest, team=team, unit=team.unit, slot=free[0], created_by=by, **values
            )
    except IntegrityError as exc:
        raise Conflict(
            _("Another entry of your team was created at the same moment; please try again.")
        ) from exc
    _set_authors(entry, authors)
    record(
        action="entry.created",
        target=entry,
        contest=contest,
        actor=by,
        after={
            **snapshot(entry, ("team", "unit", *ENTRY_FIELDS)),
            "authors": _authors_record(entry),
        },
    )
    return entry


def _locked(entry: Entry) -> Entry:
    return Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)


def _require_editable(entry: Entry) -> None:
    if not entry.is_editable:
        raise DomainError(_("Only a draft entry can be changed."))
    if not submission_open(entry.contest):
        raise DomainError(_("Submission for this contest is closed."))


@transaction.atomic
def update_entry(
    *, entry: Entry, by: Any, authors: list[AuthorInput] | None = None, **changes: Any
) -> Entry:
    """Change a draft's fields (and authors when given); logged with before/after."""
    unknown = set(changes) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"unknown entry fields: {sorted(unknown)}")
    entry = _locked(entry)
    _require_editable(entry)
    changes = _clean(dict(changes))
    before = {**snapshot(entry, changes), "authors": _authors_record(entry)}
    for name, value in changes.items():
        setattr(entry, name, value)
    entry.updated_at = timezone.now()
    entry.save(update_fields=[*changes, "updated_at"])
    if authors is not None:
        _set_authors(entry, authors)
    record(
        action="entry.updated",
        target=entry,
        contest=entry.contest,
        actor=by,
        before=before,
        after={**snapshot(entry, changes), "authors": _authors_record(entry)},
    )
    return entry


@transaction.atomic
def set_captions(*, entry: Entry, by: Any, content: bytes | None) -> Entry:
    """Store (or with None remove) the entry's WebVTT captions; logged."""
    entry = _locked(entry)
    _require_editable(entry)
    if content is not None:
        if len(content) > MAX_CAPTIONS_BYTES:
            raise DomainError(_("The captions file is too large (at most 512 KB)."))
        text = content.decode("utf-8-sig", errors="strict") if _is_utf8(content) else ""
        if not text.startswith("WEBVTT"):
            raise DomainError(_("Captions must be a WebVTT file (starting with WEBVTT)."))
        entry.captions.save("captions.vtt", ContentFile(text.encode()), save=False)
    else:
        entry.captions = ""
    entry.save(update_fields=["captions"])
    record(
        action="entry.captions_set",
        target=entry,
        contest=entry.contest,
        actor=by,
        after={"captions": bool(content)},
    )
    return entry


def _is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


@transaction.atomic
def replace_video(*, entry: Entry, video: Video, facts: VideoFacts, by: Any) -> Entry:
    """Make ``video`` the entry's current video, after checking the contest's limits.

    The previous video stays stored (never deleted here) but is no longer current. Logged.
    """
    from clipcontest.media.models import Video

    entry = _locked(entry)
    _require_editable(entry)
    errors = video_limit_errors(contest=entry.contest, facts=facts)
    if errors:
        raise DomainError(*errors, code="limit")
    previous = Video.objects.make_current(video)
    Entry.objects.filter(pk=entry.pk).update(updated_at=timezone.now())
    record(
        action="entry.video_replaced",
        target=entry,
        contest=entry.contest,
        actor=by,
        before={"video": str(previous.pk) if previous else None},
        after={
            "video": str(video.pk),
            "size": facts.size,
            "duration": round(facts.duration, 2),
            "width": facts.width,
            "height": facts.height,
        },
    )
    return entry


SubmitCheck = Callable[[Entry], list[str]]
_SUBMIT_CHECKS: list[SubmitCheck] = []


def register_submit_check(check: SubmitCheck) -> None:
    """Apps built on entries (e.g. the contest's extra questions) add what else must be
    complete before submitting; registered from ``AppConfig.ready()`` so this app never
    imports them."""
    if check not in _SUBMIT_CHECKS:
        _SUBMIT_CHECKS.append(check)


def submit_problems(entry: Entry) -> list[str]:
    """What still stops a draft from being submitted (shown on the entry page)."""
    from clipcontest.media.enums import VideoStatus

    problems = []
    video = entry.videos.filter(is_current=True).first()
    if video is None:
        problems.append(_("Upload the video first."))
    elif video.status == VideoStatus.FAILED:
        problems.append(_("The video could not be processed; upload it again."))
    if not entry.authors.exists():
        problems.append(_("Name at least one author."))
    if not entry.consent_people_shown:
        problems.append(_("Confirm that everyone shown agreed to appear."))
    if entry.shows_minors and not entry.guardian_consent:
        problems.append(_("Confirm that a parent or guardian agreed for every minor shown."))
    for check in _SUBMIT_CHECKS:
        problems.extend(check(entry))
    return problems


@transaction.atomic
def submit_entry(*, entry: Entry, by: Any) -> Entry:
    """Submit a complete draft before the deadline; logged. Refusals list what is missing,
    and refuse a team that may no longer enter (the organizer changed the entering level
    since the draft was made)."""
    entry = _locked(entry)
    _require_editable(entry)
    require_eligible(contest=entry.contest, team=entry.team)
    problems = submit_problems(entry)
    if problems:
        raise DomainError(*problems)
    now = timezone.now()
    Entry.objects.filter(pk=entry.pk).update(
        status=EntryStatus.SUBMITTED, submitted_at=now, updated_at=now
    )
    record(
        action="entry.submitted",
        target=entry,
        contest=entry.contest,
        actor=by,
        before={"status": entry.status},
        after={"status": EntryStatus.SUBMITTED},
    )
    entry.refresh_from_db()
    return entry


@transaction.atomic
def withdraw_entry(*, entry: Entry, by: Any, reason: str = "") -> Entry:
    """Withdraw a draft or submitted entry; its slot is freed. Logged with the reason."""
    entry = _locked(entry)
    if entry.status not in EntryStatus.active():
        raise DomainError(_("This entry has already been withdrawn."))
    Entry.objects.filter(pk=entry.pk).update(
        status=EntryStatus.WITHDRAWN, updated_at=timezone.now()
    )
    record(
        action="entry.withdrawn",
        target=entry,
        contest=entry.contest,
        actor=by,
        before={"status": entry.status},
        after={"status": EntryStatus.WITHDRAWN},
        reason=reason,
    )
    entry.refresh_from_db()
    return entry


@transaction.atomic
def publish_entries(*, entry_ids: list[int], by: Any, now: dt.datetime | None = None) -> int:
    """Make entries public (gallery, player, preview images): called by screening when
    entries become finalists. Idempotent; one audit event per entry that changed."""
    now = now or timezone.now()
    changed = list(
        Entry.objects.select_for_update().filter(pk__in=entry_ids, published_at__isnull=True)
    )
    Entry.objects.filter(pk__in=[e.pk for e in changed]).update(published_at=now)
    for entry in changed:
        record(
            action="entry.published",
            target=entry,
            contest=entry.contest,
            actor=by,
            after={"published_at": now},
        )
    return len(changed)


@transaction.atomic
def unpublish_entry(*, entry: Entry, by: Any, reason: str) -> Entry:
    """Take an entry out of public view again (a finalist's forward was withdrawn)."""
    updated = Entry.objects.filter(pk=entry.pk, published_at__isnull=False).update(
        published_at=None
    )
    if updated:
        record(
            action="entry.unpublished", target=entry, contest=entry.contest, actor=by, reason=reason
        )
    entry.refresh_from_db()
    return entry
