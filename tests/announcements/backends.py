"""Mail servers for tests (the outside world): one that keeps what it accepted, one
that refuses the Nth message, and one whose worker dies during the Nth send."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

DELIVERED: list[str] = []
FAIL_AT: dict[str, int] = {"refuse": 0, "die": 0}
CALLS = {"n": 0}


class Killed(BaseException):
    """What a worker killed mid-send looks like to the code around the send."""


class FlakyBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            CALLS["n"] += 1
            if CALLS["n"] == FAIL_AT["refuse"]:
                raise ConnectionError("SMTP 451 try again later")
            if CALLS["n"] == FAIL_AT["die"]:
                raise Killed
            DELIVERED.extend(message.to)
        return len(email_messages)


def reset(*, refuse: int = 0, die: int = 0) -> None:
    DELIVERED.clear()
    CALLS["n"] = 0
    FAIL_AT.update(refuse=refuse, die=die)
