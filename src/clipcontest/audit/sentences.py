"""The audit log read as sentences: "Nguyễn Văn A forwarded X to the next level".

Each app says how its own action codes read, in a module ``<app>/audit_sentences.py``
that calls :func:`register`; the modules are discovered the first time a sentence is
needed, so this low app never imports the apps above it. Field names become labels the
same way, and values are formatted for people (dates in the active time zone, yes/no,
lists joined). Unknown actions still read as a sentence, with the raw code shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from .models import AuditEvent

_SENTENCES: dict[str, Promise | str] = {}
_LABELS: dict[str, Promise | str] = {}
_KINDS: dict[str, Promise | str] = {}
_VALUES: dict[str, dict[str, Promise | str]] = {}
_discovered = False

GENERIC = gettext_lazy("%(actor)s: %(action)s on %(object)s")
MAX_VALUE = 160


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def register(
    *,
    kind: str,
    kind_label: Promise | str,
    sentences: Mapping[str, Promise | str],
    labels: Mapping[str, Promise | str] | None = None,
    values: Mapping[str, Mapping[str, Promise | str]] | None = None,
) -> None:
    """Declare how the action codes starting with ``kind.`` read.

    ``sentences`` maps an action code to a lazy translation with ``%(actor)s`` and
    ``%(object)s``; ``labels`` maps field names in before/after to their label;
    ``values`` maps a field name to the labels of its stored values (an enum's choices).
    """
    _KINDS[kind] = kind_label
    _SENTENCES.update(sentences)
    _LABELS.update(labels or {})
    for name, choices in (values or {}).items():
        _VALUES.setdefault(name, {}).update(choices)


def _discover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("audit_sentences")


def kinds() -> list[tuple[str, str]]:
    """(prefix, label) of every registered kind of action, for the filter."""
    _discover()
    return sorted(((k, str(v)) for k, v in _KINDS.items()), key=lambda kv: kv[1])


def describe(event: AuditEvent) -> str:
    """One sentence in the active language for one event."""
    _discover()
    actor = event.actor.get_full_name() or event.actor.username if event.actor else _("System")
    template = _SENTENCES.get(event.action, GENERIC)
    return str(template) % {"actor": actor, "object": event.target_repr, "action": event.action}


def label(field: str) -> str:
    _discover()
    return str(_LABELS.get(field, field.replace("_", " ")))


def show(value: Any) -> str:
    """A stored JSON value as a person would write it."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, str):
        text = _as_datetime(value) or value
    elif isinstance(value, Mapping):
        text = "; ".join(f"{label(str(k))}: {show(v)}" for k, v in value.items())
    elif isinstance(value, list | tuple):
        text = ", ".join(show(v) for v in value)
    else:
        text = formats.localize(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _as_datetime(value: str) -> str | None:
    if len(value) < 16 or value[4:5] != "-" or "T" not in value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return parsed.strftime("%-d/%-m/%Y %H:%M")  # as every page writes dates


def changes(event: AuditEvent) -> list[Change]:
    """Field by field: label, value before, value after (only fields that differ)."""
    before = event.before if isinstance(event.before, Mapping) else {}
    after = event.after if isinstance(event.after, Mapping) else {}
    out = []
    choices = _VALUES.get
    for field in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(field), after.get(field)
        if old != new or field not in before:
            named = choices(field, {})
            old_text = str(named[old]) if isinstance(old, str) and old in named else show(old)
            new_text = str(named[new]) if isinstance(new, str) and new in named else show(new)
            out.append(Change(label(field), old_text if field in before else "", new_text))
    return out
