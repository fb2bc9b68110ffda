"""Background delivery of announcements."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from clipcontest.audit.context import acting


class StillPending(Exception):
    """Raised so that Huey retries while some recipients are still waiting."""


@db_task(retries=5, retry_delay=60)
def deliver_announcement(announcement_id: int) -> int:
    """Send an announcement to its recipients not sent yet; idempotent. Retried while a
    send failed and its recipient waits for another attempt."""
    from .domain import deliver, open_count

    with acting(via="worker"):
        sent, _failed = deliver(announcement_id=announcement_id)
    if open_count(announcement_id):
        raise StillPending(announcement_id)
    return sent


@db_periodic_task(crontab(minute="*/5"))
def resume_deliveries() -> int:
    """Every five minutes: finish announcements a dead worker left half-sent (rows still
    waiting, or claimed longer ago than the lease). Returns how many messages it sent."""
    from .domain import deliver, stalled_announcements

    sent = 0
    with acting(via="worker"):
        for announcement_id in stalled_announcements(now=timezone.now()):
            sent += deliver(announcement_id=announcement_id)[0]
    return sent
