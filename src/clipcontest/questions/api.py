"""Questions and answers through the JSON API, with the same permissions and domain
functions as the pages: ``/contests/{slug}/questions`` (read by anyone who sees the
contest, changed by its organizers) and ``/answers/{entry public_id}`` (an entry's
answers: read as the viewer may, written by the entry's team)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from clipcontest.api.auth import ANYONE, SIGNED_IN
from clipcontest.api.lookups import visible_contest
from clipcontest.api.schemas import ErrorOut
from clipcontest.contests.models import Contest
from clipcontest.entries.models import Entry

from . import domain
from .enums import QuestionKind, Visibility
from .models import Question
from .queries import readable_answers

router = Router(tags=["questions"])
answers_router = Router(tags=["questions"])
ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class QuestionOut(Schema):
    id: int
    position: int
    label: str
    help_text: str
    kind: str = Field(description="One of: " + ", ".join(QuestionKind.values))
    required: bool
    choices: list[str]
    visibility: str = Field(description="One of: " + ", ".join(Visibility.values))
    blind_safe: bool
    condition_on: int | None = Field(
        description="Asked only when the answer to this question equals condition_value."
    )
    condition_value: str
    retired: bool
    locked: bool = Field(description="Entries answered it: it can no longer change.")


class QuestionIn(Schema):
    label: str = Field(max_length=300)
    kind: str = Field(description="One of: " + ", ".join(QuestionKind.values))
    required: bool = False
    help_text: str = Field(default="", max_length=500)
    choices: list[str] = []
    visibility: str = Visibility.ORGANIZER.value
    blind_safe: bool = False
    condition_on: int | None = None
    condition_value: str = ""


class AnswerOut(Schema):
    question: int
    label: str
    kind: str
    value: Any = Field(
        description="Text, URL, single choice: string; number: decimal string; date: "
        "YYYY-MM-DD; multiple choice: list of strings; yes/no: boolean; file: "
        "{name, size, type}."
    )
    file_url: str = ""


class AnswersIn(Schema):
    values: dict[int, Any] = Field(
        description="Question id → answer (as in AnswerOut.value; files are sent to "
        "/answers/{entry}/{question}/file). A question left out is unanswered; "
        "file answers are kept."
    )


def _out(q: Question, answered: set[int]) -> QuestionOut:
    return QuestionOut(
        id=q.pk,
        position=q.position,
        label=q.label,
        help_text=q.help_text,
        kind=q.kind,
        required=q.required,
        choices=list(q.choices),
        visibility=q.visibility,
        blind_safe=q.blind_safe,
        condition_on=q.condition_on_id,
        condition_value=q.condition_value,
        retired=q.retired_at is not None,
        locked=q.pk in answered,
    )


def _managed(request: HttpRequest, slug: str) -> Contest:
    contest = visible_contest(request, slug)
    if not request.user.has_perm("questions.manage_questions", contest):
        raise PermissionDenied
    return contest


def _values(contest: Contest, payload: QuestionIn) -> dict[str, Any]:
    data = payload.dict()
    parent = data.pop("condition_on")
    data["condition_on"] = (
        get_object_or_404(Question, pk=parent, contest=contest) if parent is not None else None
    )
    return data


def _answered(contest: Contest) -> set[int]:
    from .models import Answer

    return set(
        Answer.objects.filter(question__contest=contest).values_list("question_id", flat=True)
    )


@router.get("/{slug}/questions", response=list[QuestionOut], auth=ANYONE)
def questions_list(request: HttpRequest, slug: str) -> list[QuestionOut]:
    """The contest's entry questions in form order (retired ones included, marked)."""
    contest = visible_contest(request, slug)
    answered = _answered(contest)
    return [_out(q, answered) for q in Question.objects.filter(contest=contest)]


@router.post("/{slug}/questions", response={201: QuestionOut, **ERRORS}, auth=SIGNED_IN)
def question_add(request: HttpRequest, slug: str, payload: QuestionIn) -> Status[QuestionOut]:
    contest = _managed(request, slug)
    question = domain.add_question(contest=contest, by=request.user, **_values(contest, payload))
    return Status(201, _out(question, set()))


@router.put(
    "/{slug}/questions/{question_id}", response={200: QuestionOut, **ERRORS}, auth=SIGNED_IN
)
def question_update(
    request: HttpRequest, slug: str, question_id: int, payload: QuestionIn
) -> QuestionOut:
    """Replace a question; 409 once entries answered it (add a new one instead)."""
    contest = _managed(request, slug)
    question = get_object_or_404(Question, pk=question_id, contest=contest)
    question = domain.update_question(
        question=question, by=request.user, **_values(contest, payload)
    )
    return _out(question, set())


@router.post(
    "/{slug}/questions/{question_id}/retire", response={200: QuestionOut, **ERRORS}, auth=SIGNED_IN
)
def question_retire(request: HttpRequest, slug: str, question_id: int) -> QuestionOut:
    contest = _managed(request, slug)
    question = get_object_or_404(Question, pk=question_id, contest=contest)
    question = domain.retire_question(question=question, by=request.user)
    return _out(question, _answered(contest))


@router.delete("/{slug}/questions/{question_id}", response={204: None, **ERRORS}, auth=SIGNED_IN)
def question_delete(request: HttpRequest, slug: str, question_id: int) -> Status[None]:
    contest = _managed(request, slug)
    question = get_object_or_404(Question, pk=question_id, contest=contest)
    domain.delete_question(question=question, by=request.user)
    return Status(204, None)


def _entry(request: HttpRequest, public_id: uuid.UUID, *, change: bool = False) -> Entry:
    entry = get_object_or_404(
        Entry.objects.select_related("contest__organizer_unit", "team", "unit"),
        public_id=public_id,
    )
    if not request.user.has_perm("entries.view_entry", entry):
        raise Http404
    if change and not request.user.has_perm("entries.change_entry", entry):
        raise PermissionDenied
    return entry


def _answers(request: HttpRequest, entry: Entry) -> list[AnswerOut]:
    return [
        AnswerOut(
            question=a.question_id,
            label=a.label,
            kind=a.kind,
            value=a.value,
            file_url=request.build_absolute_uri(a.file_url) if a.file_url else "",
        )
        for a in readable_answers(request.user, entry)
    ]


@answers_router.get("/{public_id}", response=list[AnswerOut], auth=ANYONE)
def answers_get(request: HttpRequest, public_id: uuid.UUID) -> list[AnswerOut]:
    """The entry's answers the caller may read (by each question's visibility; jurors in
    blind rounds only see answers marked safe for blind judging)."""
    return _answers(request, _entry(request, public_id))


@answers_router.put("/{public_id}", response={200: list[AnswerOut], **ERRORS}, auth=SIGNED_IN)
def answers_put(request: HttpRequest, public_id: uuid.UUID, payload: AnswersIn) -> list[AnswerOut]:
    """Store the draft's answers (the team). Required questions are checked on submit."""
    entry = _entry(request, public_id, change=True)
    domain.save_answers(entry=entry, by=request.user, values=payload.values)
    return _answers(request, entry)


class _Body:
    def __init__(self, request: HttpRequest, name: str):
        self.request, self.name = request, name

    def read(self, size: int = -1, /) -> bytes:
        return self.request.read(size)


@answers_router.put(
    "/{public_id}/{question_id}/file",
    response={200: list[AnswerOut], **ERRORS},
    auth=SIGNED_IN,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
def answer_file_put(
    request: HttpRequest, public_id: uuid.UUID, question_id: int, filename: str = "file"
) -> list[AnswerOut]:
    """The request body is the file (PDF or image, at most 10 MB, recognised by its
    content, not its name); other answers are kept."""
    entry = _entry(request, public_id, change=True)
    stored = {k: a.value for k, a in domain.answers_of(entry).items()}
    domain.save_answers(
        entry=entry,
        by=request.user,
        values=stored,
        uploads={question_id: _Body(request, filename)},
    )
    return _answers(request, entry)
