"""Writing audit events. Called by every domain function that changes state."""

from __future__ import annotations

import datetime as dt
import decimal
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import models

from clipcontest.core import pagecache

from . import context
from .models import AuditEvent

if TYPE_CHECKING:
    from clipcontest.contests.models import Contest

#: Keys whose values never reach the log in clear.
SENSITIVE_KEYS = frozenset(
    {"password", "token", "token_hash", "key", "key_hash", "secret", "otp", "code", "phone"}
)


EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    if not domain:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Return a JSON-safe copy with sensitive values hidden."""
    if values is None:
        return None
    masked: dict[str, Any] = {}
    for key, value in values.items():
        if key in SENSITIVE_KEYS and value not in (None, ""):
            masked[key] = "***"
        elif key == "email" and isinstance(value, str) and value:
            masked[key] = mask_email(value)
        else:
            masked[key] = _jsonable(value)
    return masked


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values of ``obj`` (foreign keys as ids) for before/after records."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _jsonable(getattr(obj, attname))
    return out


def record(
    *,
    action: str,
    target: models.Model,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    contest: Contest | None = None,
    actor: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event. Actor and IP come from the audit context unless given.

    Call inside the caller's transaction, so the event and the change commit together.
    After commit, the contest's cached public pages (the site's without a contest) are
    marked stale (``core.pagecache``).
    """
    # Whatever was worth an audit event may change what public pages show.
    pagecache.changed_on_commit(contest.pk if contest is not None else None)
    ctx = context.current()
    actor_id = getattr(actor, "pk", None) if actor is not None else ctx.actor_id
    return AuditEvent.objects.create(
        action=action,
        actor_id=actor_id,
        via=ctx.via,
        ip=ctx.ip,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        # Names of people may be their e-mail address; never log one in clear.
        target_repr=EMAIL_RE.sub(lambda m: mask_email(m.group()), str(target))[:255],
        contest=contest,
        before=mask(before),
        after=mask(after),
        reason=reason,
    )
