"""Who is acting and from where, for the audit log, without threading it through calls."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AuditContext:
    actor_id: int | None = None
    ip: str | None = None
    via: str = "system"  # web, api, cli, worker, system


_current: ContextVar[AuditContext] = ContextVar(
    "audit_context",
    default=AuditContext(),  # noqa: B039 - a frozen dataclass, never mutated
)


def current() -> AuditContext:
    return _current.get()


def bind_actor(actor: Any) -> None:
    """Name the actor once a request has authenticated late (API bearer tokens).

    The middleware's ``acting`` block resets the variable when the request ends.
    """
    ctx = _current.get()
    _current.set(AuditContext(actor_id=getattr(actor, "pk", None), ip=ctx.ip, via=ctx.via))


@contextlib.contextmanager
def acting(*, actor: Any = None, ip: str | None = None, via: str = "system") -> Iterator[None]:
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    token = _current.set(AuditContext(actor_id=actor_id, ip=ip, via=via))
    try:
        yield
    finally:
        _current.reset(token)
