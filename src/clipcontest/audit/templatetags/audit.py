"""``{{ event|sentence }}`` and ``{{ event|changes }}``: the audit log for people."""

from __future__ import annotations

from django import template

from clipcontest.audit import sentences
from clipcontest.audit.models import AuditEvent

register = template.Library()


@register.filter
def sentence(event: AuditEvent) -> str:
    return sentences.describe(event)


@register.filter
def changes(event: AuditEvent) -> list[sentences.Change]:
    return sentences.changes(event)
