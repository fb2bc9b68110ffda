"""Questions and answers for tests: questions through the domain, answers as rows when
the entry is no longer a draft (judging and screening fixtures make submitted entries)."""

from __future__ import annotations

from typing import Any

from clipcontest.contests.models import Contest
from clipcontest.entries.models import Entry
from clipcontest.questions import domain
from clipcontest.questions.enums import QuestionKind, Visibility
from clipcontest.questions.models import Answer, Question


def add_question(
    contest: Contest,
    by: Any,
    label: str = "Số điện thoại tổ trưởng",
    kind: str = QuestionKind.SHORT_TEXT,
    visibility: str = Visibility.ORGANIZER,
    **extra: Any,
) -> Question:
    return domain.add_question(
        contest=contest, by=by, label=label, kind=kind, visibility=visibility, **extra
    )


def add_answer(entry: Entry, question: Question, value: Any) -> Answer:
    return Answer.objects.create(entry=entry, question=question, value=value)
