"""Files as the e-mail and SMS outbox for embedded deployments.

Each message is one file written atomically (temporary name, then rename), so a
reader never sees half a message and an operator can forward the folder to a real
gateway later.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.utils import timezone


def _write_atomic(folder: Path, suffix: str, payload: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    final = folder / f"{stamp}-{uuid.uuid4().hex[:12]}{suffix}"
    tmp = final.with_suffix(suffix + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, final)
    return final


def email_outbox_dir() -> Path:
    return Path(settings.OUTBOX_DIR) / "email"


def sms_outbox_dir() -> Path:
    return Path(settings.OUTBOX_DIR) / "sms"


class OutboxEmailBackend(BaseEmailBackend):
    """Writes each message as an RFC 5322 ``.eml`` file into ``<data>/outbox/email``."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            _write_atomic(email_outbox_dir(), ".eml", message.message().as_bytes())
            sent += 1
        return sent


def write_sms(*, to: str, text: str) -> Path:
    """Drop one SMS into ``<data>/outbox/sms`` as JSON; the embedded SMS gateway."""
    payload = json.dumps({"to": to, "text": text, "at": timezone.now().isoformat()})
    return _write_atomic(sms_outbox_dir(), ".json", payload.encode())
