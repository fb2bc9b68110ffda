"""Background jobs for judging: e-mails leave through the queue, not the request."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=60)
def send_juror_reminder(reminder_id: int, language: str) -> None:
    """Mail one reminder; quietly does nothing if it is gone or already sent."""
    from .domain import send_reminder

    send_reminder(reminder_id=reminder_id, language=language)
