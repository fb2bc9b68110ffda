"""Announcements: write to an audience, then deliver in the background.

``send_announcement`` fixes the recipients (one row per address, by a unique
constraint), logs the sending and enqueues delivery after commit. ``deliver`` sends each
recipient's e-mail at most once per claim: a row is claimed (``sending``) before its
message leaves and marked ``sent`` after, so re-running it skips what was sent; a send
that raised goes back to ``pending`` and is retried, up to ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clipcontest.audit.domain import record
from clipcontest.contests.models import Contest
from clipcontest.core.errors import DomainError, NotAllowed
from clipcontest.core.ratelimit import enforce
from clipcontest.entries.enums import EntryStatus
from clipcontest.org.models import Unit

from .audience import Target, targets
from .enums import Audience, DeliveryState, Preset
from .models import Announcement, Recipient
from .rules import may_announce

MAX_ATTEMPTS = 5
# A claim older than this is taken to be from a worker that died before it could send.
CLAIM_LEASE = dt.timedelta(minutes=10)
SEND_LIMIT = 10  # announcements per sender per hour
MAX_BODY = 10_000


@dataclass(frozen=True)
class Draft:
    contest: Contest
    unit: Unit
    audience: str
    entry_status: str = ""
    at_unit: Unit | None = None


def _check(draft: Draft, by: Any) -> None:
    if draft.audience not in Audience.values:
        raise DomainError(_("Choose who the announcement is for."))
    if draft.entry_status and draft.entry_status not in EntryStatus.values:
        raise DomainError(_("Unknown entry state."))
    if draft.at_unit is not None and not draft.at_unit.is_within(draft.unit):
        raise NotAllowed(_("That unit is outside your area."))
    if not may_announce(by, draft.contest, draft.unit, draft.audience):
        raise NotAllowed(_("You may not write to this audience."))


def preview(*, draft: Draft, by: Any) -> list[Target]:
    """Who the announcement would reach, without sending. No side effects."""
    _check(draft, by)
    return targets(
        contest=draft.contest,
        unit=draft.unit,
        audience=draft.audience,
        entry_status=draft.entry_status,
        at_unit=draft.at_unit,
    )


@transaction.atomic
def send_announcement(*, draft: Draft, by: Any, subject: str, body: str) -> Announcement:
    """Write the announcement and its recipients, log it, and enqueue the delivery task
    after commit. Refused when the audience is empty, the text is missing, or the sender
    has sent ``SEND_LIMIT`` announcements in the last hour (rate limit)."""
    subject, body = " ".join(subject.split())[:200], body.strip()
    if not subject or not body:
        raise DomainError(_("An announcement needs a subject and a message."))
    if len(body) > MAX_BODY:
        raise DomainError(
            _("The message is too long (at most %(n)s characters).") % {"n": MAX_BODY}
        )
    found = preview(draft=draft, by=by)
    if not found:
        raise DomainError(_("Nobody is in this audience."))
    enforce("announce", f"user:{by.pk}", limit=SEND_LIMIT, window=3600)
    announcement = Announcement.objects.create(
        contest=draft.contest,
        unit=draft.unit,
        audience=draft.audience,
        entry_status=draft.entry_status,
        at_unit=draft.at_unit,
        subject=subject,
        body=body,
        created_by=by,
    )
    Recipient.objects.bulk_create(
        Recipient(
            announcement=announcement, address=t.address, user_id=t.user_id, team_id=t.team_id
        )
        for t in found
    )
    record(
        action="announcement.sent",
        target=announcement,
        contest=draft.contest,
        actor=by,
        after={
            "audience": draft.audience,
            "unit": draft.unit.code,
            "entry_status": draft.entry_status,
            "at_unit": draft.at_unit.code if draft.at_unit else None,
            "recipients": len(found),
            "subject": subject,
        },
    )
    from .tasks import deliver_announcement

    transaction.on_commit(lambda: deliver_announcement(announcement.pk))
    return announcement


def _claim(recipient_id: int, now: dt.datetime) -> bool:
    return bool(
        Recipient.objects.filter(pk=recipient_id)
        .filter(
            Q(state=DeliveryState.PENDING)
            | Q(state=DeliveryState.SENDING, claimed_at__lt=now - CLAIM_LEASE)
        )
        .update(state=DeliveryState.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def _message(announcement: Announcement, address: str) -> EmailMessage:
    url = settings.SITE_URL + reverse("announcements:inbox")
    body = f"{announcement.body}\n\n-- \n{announcement.contest.title}\n{url}\n"
    return EmailMessage(subject=announcement.subject, body=body, to=[address])


def deliver(*, announcement_id: int) -> tuple[int, int]:
    """Send the announcement to every recipient not sent yet; returns (sent, failed).

    Each recipient is claimed by a conditional update before its message leaves, so two
    workers never send the same row and a second run skips what was sent. A send that
    raises returns the row to ``pending`` (``failed`` after ``MAX_ATTEMPTS``); the
    caller (the task) retries while any row is still open.
    """
    announcement = Announcement.objects.select_related("contest").filter(pk=announcement_id).first()
    if announcement is None:
        return 0, 0
    sent = failed = 0
    connection = get_connection()
    ids = list(
        announcement.recipients.filter(state__in=DeliveryState.open()).values_list("pk", "address")
    )
    for pk, address in ids:
        if not _claim(pk, timezone.now()):
            continue
        try:
            connection.send_messages([_message(announcement, address)])
        except Exception as exc:
            row = Recipient.objects.get(pk=pk)
            state = DeliveryState.FAILED if row.attempts >= MAX_ATTEMPTS else DeliveryState.PENDING
            Recipient.objects.filter(pk=pk).update(state=state, error=str(exc)[:300])
            failed += 1
            continue
        Recipient.objects.filter(pk=pk).update(
            state=DeliveryState.SENT, sent_at=timezone.now(), error=""
        )
        sent += 1
    return sent, failed


def stalled_announcements(*, now: dt.datetime) -> list[int]:
    """Announcements with rows a worker should have finished: waiting rows older than a
    lease (their task died or ran out of retries) or claims older than the lease."""
    stale = now - CLAIM_LEASE
    return list(
        Recipient.objects.filter(
            Q(state=DeliveryState.SENDING, claimed_at__lt=stale)
            | Q(state=DeliveryState.PENDING, announcement__created_at__lt=stale)
        )
        .values_list("announcement_id", flat=True)
        .distinct()
        .order_by("announcement_id")
    )


def open_count(announcement_id: int) -> int:
    return Recipient.objects.filter(
        announcement_id=announcement_id, state=DeliveryState.PENDING
    ).count()


def preset_text(*, preset: str, contest: Contest, language: str) -> tuple[str, str]:
    """The subject and message of a ready-made announcement, in ``language``."""
    from clipcontest.contests.enums import PhaseKind

    with translation.override(language):
        if preset == Preset.DEADLINE:
            phase = contest.phases.filter(kind=PhaseKind.SUBMISSION).first()
            deadline = (
                timezone.localtime(phase.ends_at).strftime("%H:%M %d/%m/%Y") if phase else "…"
            )
            return (
                _("Reminder: entries for %(contest)s close on %(deadline)s")
                % {"contest": contest.title, "deadline": deadline},
                _(
                    "Dear teams,\n\nSubmission for %(contest)s closes on %(deadline)s. "
                    "Please upload your video, answer the contest's questions and submit "
                    "your entry before then; drafts are not judged.\n\nThe organizing committee"
                )
                % {"contest": contest.title, "deadline": deadline},
            )
        if preset == Preset.RESULTS:
            url = settings.SITE_URL + reverse("web:contest_detail", args=[contest.slug])
            return (
                _("The results of %(contest)s are published") % {"contest": contest.title},
                _(
                    "Dear participants,\n\nThe results of %(contest)s are published: %(url)s\n"
                    "Thank you for taking part.\n\nThe organizing committee"
                )
                % {"contest": contest.title, "url": url},
            )
    raise DomainError(_("Unknown ready-made message."))
