"""The pure core of entry questions: one answer's validation and the conditions
between questions, over plain data (no ORM), so web forms, the API and the submit check
all agree and the rules can be tested with hypothesis.

An answer's stored form (JSON) by kind: text, URL and single choice are strings, number a
decimal string ("12", "3.5"), date an ISO date ("2026-03-01"), multiple choice a list of
options in the question's order, yes/no a boolean, file ``{"name", "size", "type"}``
(the file itself lives in storage). ``None`` means unanswered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from .enums import QuestionKind

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
YES = ("yes", "true", "1", "on", "có")
NO = ("no", "false", "0", "off", "không")


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    condition_on: int | None = None
    condition_value: str = ""


@dataclass
class Checked:
    values: dict[int, Any] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)


class Invalid(ValueError):
    pass


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _text(raw: Any, limit: int) -> str:
    text = str(raw).strip()
    if len(text) > limit:
        raise Invalid(_("At most %(n)s characters.") % {"n": limit})
    return text


def _number(raw: Any) -> str:
    try:
        number = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise Invalid(_("Enter a number.")) from exc
    if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
        raise Invalid(_("Enter a number."))
    text = format(number.normalize(), "f")
    return text[:-2] if text.endswith(".0") else text


def _date(raw: Any) -> str:
    if isinstance(raw, dt.date):
        return raw.isoformat()
    try:
        return dt.date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError as exc:
        raise Invalid(_("Enter a date as YYYY-MM-DD.")) from exc


def _yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise Invalid(_("Answer yes or no."))


def _url(raw: Any) -> str:
    text = str(raw).strip()
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError as exc:
        raise Invalid(_("Enter a web address starting with http:// or https://.")) from exc
    if len(text) > 500:
        raise Invalid(_("At most %(n)s characters.") % {"n": 500})
    return text


def _single(raw: Any, choices: Sequence[str]) -> str:
    text = str(raw).strip()
    if text not in choices:
        raise Invalid(_("Choose one of the options."))
    return text


def _multiple(raw: Any, choices: Sequence[str]) -> list[str]:
    items = [raw] if isinstance(raw, str) else list(raw)
    picked = {str(i).strip() for i in items}
    if not picked <= set(choices):
        raise Invalid(_("Choose among the options."))
    return [c for c in choices if c in picked]


def _file(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, Mapping) or not {"name", "size", "type"} <= set(raw):
        raise Invalid(_("Upload a file."))
    return {"name": str(raw["name"]), "size": int(raw["size"]), "type": str(raw["type"])}


def clean_value(spec: QuestionSpec, raw: Any) -> Any:
    """The stored form of ``raw`` for this question, ``None`` when unanswered.

    Raises ``Invalid`` with a translated message when the answer does not fit the kind.
    """
    if is_empty(raw) or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = spec.kind
    if kind == QuestionKind.SHORT_TEXT:
        return _text(raw, SHORT_TEXT_MAX)
    if kind == QuestionKind.LONG_TEXT:
        return _text(raw, LONG_TEXT_MAX)
    if kind == QuestionKind.NUMBER:
        return _number(raw)
    if kind == QuestionKind.DATE:
        return _date(raw)
    if kind == QuestionKind.YES_NO:
        return _yes_no(raw)
    if kind == QuestionKind.URL:
        return _url(raw)
    if kind == QuestionKind.SINGLE_CHOICE:
        return _single(raw, spec.choices)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return _multiple(raw, spec.choices) or None
    if kind == QuestionKind.FILE:
        return _file(raw)
    raise Invalid(_("Unknown kind of question."))


def matches(value: Any, expected: str) -> bool:
    """Whether an answer equals the value a condition waits for."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value == (expected.strip().lower() in YES)
    if isinstance(value, list):
        return expected in value
    return str(value) == expected


def applicable(specs: Sequence[QuestionSpec], values: Mapping[int, Any]) -> set[int]:
    """Ids of the questions that are asked, given the answers: a question with a
    condition is asked only when the question it depends on is asked and its answer
    matches. ``specs`` are in form order; a condition on a later or unknown question
    is never met."""
    asked: set[int] = set()
    for spec in specs:
        if spec.condition_on is None or (
            spec.condition_on in asked
            and matches(values.get(spec.condition_on), spec.condition_value)
        ):
            asked.add(spec.id)
    return asked


def check(specs: Sequence[QuestionSpec], raw: Mapping[int, Any], *, complete: bool) -> Checked:
    """Validate a whole set of answers. Answers to questions that are not asked are
    dropped; with ``complete`` every asked required question must be answered."""
    result = Checked()
    cleaned: dict[int, Any] = {}
    for spec in specs:
        try:
            cleaned[spec.id] = clean_value(spec, raw.get(spec.id))
        except Invalid as exc:
            result.errors[spec.id] = str(exc)
            cleaned[spec.id] = None
    asked = applicable(specs, cleaned)
    for spec in specs:
        if spec.id not in asked:
            result.errors.pop(spec.id, None)
            continue
        value = cleaned[spec.id]
        if value is not None:
            result.values[spec.id] = value
        elif complete and spec.required and spec.id not in result.errors:
            result.errors[spec.id] = _("This question must be answered.")
    return result


def missing(specs: Sequence[QuestionSpec], values: Mapping[int, Any]) -> list[int]:
    """Ids of asked, required questions without an answer (what stops submitting)."""
    asked = applicable(specs, values)
    return [s.id for s in specs if s.required and s.id in asked and is_empty(values.get(s.id))]
