"""Domain errors: a translated message for people, a code for programs."""

from __future__ import annotations


class DomainError(Exception):
    """A refused action. ``messages`` are translated and shown as they are."""

    code = "invalid"
    status = 400
    #: The input field the refusal is about (forms show it there; the API names it).
    field: str | None = None

    def __init__(self, *messages: str, code: str | None = None):
        super().__init__(*messages)
        self.messages = [str(m) for m in messages]
        if code:
            self.code = code

    def __str__(self) -> str:
        return " ".join(self.messages)


class Conflict(DomainError):
    code = "conflict"
    status = 409


class NotAllowed(DomainError):
    code = "forbidden"
    status = 403


class FieldError(DomainError):
    """A refusal about one input field: 422 in the API with the field named."""

    status = 422

    def __init__(self, *messages: str, field: str, code: str | None = None):
        super().__init__(*messages, code=code)
        self.field = field
