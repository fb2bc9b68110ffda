"""Which answers a viewer may read, loaded for many entries at once.

The level of a viewer (``viewer_level``) decides the visibilities they read; jurors in a
blind round read only answers to questions marked safe for blind judging, so an answer
can never reveal the team where the jury must not know it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from clipcontest.accounts.enums import Role
from clipcontest.accounts.queries import holds_unit_role, is_juror_of
from clipcontest.entries.models import Entry
from clipcontest.org.models import TeamMembership

from .enums import QuestionKind, Visibility
from .models import Answer


@dataclass(frozen=True)
class AnswerView:
    question_id: int
    label: str
    kind: str
    visibility: str
    value: Any
    text: str
    file_url: str = ""


def viewer_level(user: Any, entry: Entry) -> Visibility | None:
    """The widest visibility ``user`` reads on ``entry``'s answers, None for none.

    The team and the contest's organizers read everything; coordinators and organizers
    of the entry's unit or above read answers for coordinators; the contest's jurors
    answers for the jury; anyone the public answers of a public entry.
    """
    if user.is_authenticated and user.is_active:
        if (
            user.is_superuser
            or holds_unit_role(user, Role.ORGANIZER, entry.contest.organizer_unit)
            or TeamMembership.objects.filter(team_id=entry.team_id, user=user).exists()
        ):
            return Visibility.ORGANIZER
        if holds_unit_role(user, Role.COORDINATOR, entry.unit) or holds_unit_role(
            user, Role.ORGANIZER, entry.unit
        ):
            return Visibility.COORDINATORS
        if is_juror_of(user, entry.contest):
            return Visibility.JURY
    return Visibility.PUBLIC if entry.is_public else None


def judges_blind(user: Any, entry: Entry) -> bool:
    """True when the juror's only view of ``entry`` is through a blind round (or none)."""
    from clipcontest.judging.models import Assignment

    rounds = Assignment.objects.filter(juror=user, entry=entry).values_list(
        "round__blind", flat=True
    )
    return all(rounds)


def answer_text(kind: str, value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if kind == QuestionKind.FILE and isinstance(value, dict):
        return str(value.get("name", ""))
    return str(value)


def answers_for(
    entries: Iterable[Entry], *, level: Visibility | None, blind: bool = False
) -> dict[int, list[AnswerView]]:
    """Per entry id, the answers a viewer at ``level`` reads, in form order. One query."""
    ids = [e.pk for e in entries]
    out: dict[int, list[AnswerView]] = {pk: [] for pk in ids}
    if level is None or not ids:
        return out
    answers = Answer.objects.filter(
        entry_id__in=ids, question__visibility__in=Visibility.seen_at(level)
    ).select_related("question")
    if blind:
        answers = answers.filter(question__blind_safe=True)
    for a in answers.order_by("question__position", "question_id"):
        q = a.question
        out[a.entry_id].append(
            AnswerView(
                question_id=q.pk,
                label=q.label,
                kind=q.kind,
                visibility=q.visibility,
                value=a.value,
                text=answer_text(q.kind, a.value),
                file_url=reverse("questions:answer_file", args=[a.pk]) if a.file else "",
            )
        )
    return out


def may_read(user: Any, answer: Answer) -> bool:
    """Whether ``user`` may read this answer (the same rule as every page showing it)."""
    level = viewer_level(user, answer.entry)
    if level is None or answer.question.visibility not in Visibility.seen_at(level):
        return False
    if level == Visibility.JURY and not answer.question.blind_safe:
        return not judges_blind(user, answer.entry)
    return True


def readable_answers(user: Any, entry: Entry) -> list[AnswerView]:
    """The answers of ``entry`` that ``user`` may read (API and entry page)."""
    level = viewer_level(user, entry)
    blind = level == Visibility.JURY and judges_blind(user, entry)
    return answers_for([entry], level=level, blind=blind)[entry.pk]
