"""Background jobs for accounts: e-mails leave through the queue, not the request."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=60)
def send_invitation_email(invitation_id: int, token: str, language: str) -> None:
    """Mail the invitation link; quietly does nothing if the invitation is gone or used."""
    from .domain import mail_invitation

    mail_invitation(invitation_id=invitation_id, token=token, language=language)
