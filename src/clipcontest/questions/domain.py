"""Entry questions: the organizer defines them, teams answer them.

Every change writes an audit event in its own transaction; web views, the API, the demo
and the clone step call these functions, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clipcontest.audit.domain import record
from clipcontest.contests.models import Contest
from clipcontest.core.errors import Conflict, DomainError
from clipcontest.entries.domain import submission_open
from clipcontest.entries.models import Entry

from . import files, logic
from .enums import QuestionKind, Visibility
from .models import Answer, Question

QUESTION_FIELDS = (
    "label",
    "help_text",
    "kind",
    "required",
    "choices",
    "visibility",
    "blind_safe",
    "condition_on",
    "condition_value",
)
MAX_CHOICES = 30


class Upload(Protocol):
    """What a file answer needs from an upload (Django's UploadedFile fits)."""

    @property
    def name(self) -> str | None: ...

    def read(self, size: int = ..., /) -> bytes: ...


def _record(question: Question) -> dict[str, Any]:
    return {
        "position": question.position,
        **{f: getattr(question, f) for f in QUESTION_FIELDS if f != "condition_on"},
        "condition_on": question.condition_on_id,
    }


def _clean_question(contest: Contest, values: dict[str, Any], position: int | None) -> None:
    errors: list[str] = []
    values["label"] = str(values.get("label", "")).strip()
    values["help_text"] = str(values.get("help_text", "")).strip()
    if not values["label"]:
        errors.append(_("A question needs its text."))
    if values.get("kind") not in QuestionKind.values:
        errors.append(_("Choose the kind of question."))
    if values.get("visibility") not in Visibility.values:
        errors.append(_("Choose who sees the answers."))
    choices = [str(c).strip()[:200] for c in values.get("choices") or [] if str(c).strip()]
    values["choices"] = list(dict.fromkeys(choices))
    if values.get("kind") in QuestionKind.with_choices():
        if len(values["choices"]) < 2:
            errors.append(_("A choice question needs at least two options."))
        if len(values["choices"]) > MAX_CHOICES:
            errors.append(_("At most %(n)s options.") % {"n": MAX_CHOICES})
    else:
        values["choices"] = []
    parent = values.get("condition_on")
    value = str(values.get("condition_value") or "").strip()
    if parent is None:
        values["condition_value"] = ""
    elif parent.contest_id != contest.pk or parent.retired_at is not None:
        errors.append(_("The condition must be on an active question of this contest."))
    elif parent.kind not in QuestionKind.conditionable():
        errors.append(_("A condition can only depend on a choice or yes/no question."))
    elif position is not None and parent.position >= position:
        errors.append(_("A question can only depend on a question asked before it."))
    elif parent.kind == QuestionKind.YES_NO:
        if value.lower() not in (*logic.YES, *logic.NO):
            errors.append(_("The condition on a yes/no question is “yes” or “no”."))
        values["condition_value"] = "yes" if value.lower() in logic.YES else "no"
    elif value not in parent.choices:
        errors.append(_("The condition must be one of the options of the question it depends on."))
    else:
        values["condition_value"] = value
    if errors:
        raise DomainError(*errors)


@transaction.atomic
def add_question(
    *,
    contest: Contest,
    by: Any,
    label: str,
    kind: str,
    required: bool = False,
    help_text: str = "",
    choices: Sequence[str] = (),
    visibility: str = Visibility.ORGANIZER,
    blind_safe: bool = False,
    condition_on: Question | None = None,
    condition_value: str = "",
) -> Question:
    """Add a question at the end of the contest's entry form; logged."""
    Contest.objects.select_for_update().filter(pk=contest.pk).first()
    top = Question.objects.filter(contest=contest).aggregate(m=Max("position"))["m"] or 0
    values: dict[str, Any] = {
        "label": label,
        "kind": kind,
        "required": bool(required),
        "help_text": help_text,
        "choices": list(choices),
        "visibility": visibility,
        "blind_safe": bool(blind_safe),
        "condition_on": condition_on,
        "condition_value": condition_value,
    }
    _clean_question(contest, values, top + 1)
    question = Question.objects.create(contest=contest, position=top + 1, **values)
    record(
        action="question.added",
        target=question,
        contest=contest,
        actor=by,
        after=_record(question),
    )
    return question


def is_locked(question: Question) -> bool:
    """An answered question cannot change: its answers would no longer fit it."""
    return Answer.objects.filter(question=question).exists()


def _locked_row(question: Question) -> Question:
    return Question.objects.select_for_update().select_related("contest").get(pk=question.pk)


@transaction.atomic
def update_question(*, question: Question, by: Any, **changes: Any) -> Question:
    """Change a question nobody has answered yet; logged with before/after.

    Refused (Conflict) once an entry answered it: add a new question and retire this one.
    """
    unknown = set(changes) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown question fields: {sorted(unknown)}")
    question = _locked_row(question)
    if is_locked(question):
        raise Conflict(
            _(
                "Entries have already answered this question, so it cannot change. "
                "Add a new question and retire this one."
            )
        )
    before = _record(question)
    values = {f: getattr(question, f) for f in QUESTION_FIELDS} | changes
    if values["condition_on"] is not None and values["condition_on"].pk == question.pk:
        raise DomainError(_("A question cannot depend on itself."))
    _clean_question(question.contest, values, question.position)
    if values["kind"] not in QuestionKind.conditionable() and question.dependents.exists():
        raise DomainError(
            _(
                "Other questions depend on this one's answer; "
                "it must stay a choice or yes/no question."
            )
        )
    for name, value in values.items():
        setattr(question, name, value)
    question.save()
    record(
        action="question.updated",
        target=question,
        contest=question.contest,
        actor=by,
        before=before,
        after=_record(question),
    )
    return question


def _require_no_dependents(question: Question) -> None:
    if question.dependents.filter(retired_at__isnull=True).exists():
        raise DomainError(
            _("Other questions depend on this one's answer; change or retire them first.")
        )


@transaction.atomic
def retire_question(*, question: Question, by: Any) -> Question:
    """Stop asking a question; its answers are kept, shown and exported. Logged."""
    question = _locked_row(question)
    if question.retired_at is not None:
        return question
    _require_no_dependents(question)
    question.retired_at = timezone.now()
    question.save(update_fields=["retired_at"])
    record(action="question.retired", target=question, contest=question.contest, actor=by)
    return question


@transaction.atomic
def delete_question(*, question: Question, by: Any) -> None:
    """Delete a question nobody answered; logged. Refused once answered (retire it)."""
    question = _locked_row(question)
    if is_locked(question):
        raise Conflict(_("Entries have already answered this question; retire it instead."))
    if question.dependents.exists():
        raise DomainError(
            _("Other questions depend on this one's answer; change or retire them first.")
        )
    before = _record(question)
    record(
        action="question.deleted",
        target=question,
        contest=question.contest,
        actor=by,
        before=before,
    )
    question.delete()


@transaction.atomic
def move_question(*, question: Question, by: Any, up: bool) -> Question:
    """Swap a question with its neighbour in the form (allowed when locked too); logged.

    Refused when a question would come before the question it depends on.
    """
    question = _locked_row(question)
    siblings = Question.objects.select_for_update().filter(contest=question.contest_id)
    other = (
        siblings.filter(position__lt=question.position).order_by("-position").first()
        if up
        else siblings.filter(position__gt=question.position).order_by("position").first()
    )
    if other is None:
        return question
    first, second = (other, question) if up else (question, other)
    if second.condition_on_id == first.pk:
        raise DomainError(_("A question must stay after the question it depends on."))
    a, b = question.position, other.position
    Question.objects.filter(pk=question.pk).update(position=32000)
    Question.objects.filter(pk=other.pk).update(position=a)
    Question.objects.filter(pk=question.pk).update(position=b)
    question.position = b
    record(
        action="question.moved",
        target=question,
        contest=question.contest,
        actor=by,
        before={"position": a},
        after={"position": b},
    )
    return question


def active_questions(contest: Contest) -> list[Question]:
    return list(Question.objects.filter(contest=contest, retired_at__isnull=True))


def spec_of(question: Question) -> logic.QuestionSpec:
    return logic.QuestionSpec(
        id=question.pk,
        kind=question.kind,
        required=question.required,
        choices=tuple(question.choices),
        condition_on=question.condition_on_id,
        condition_value=question.condition_value,
    )


def answers_of(entry: Entry) -> dict[int, Answer]:
    return {a.question_id: a for a in Answer.objects.filter(entry=entry)}


def _read_file(question: Question, upload: Upload) -> tuple[dict[str, Any], bytes]:
    content = upload.read(files.MAX_FILE_BYTES + 1)
    if len(content) > files.MAX_FILE_BYTES:
        raise logic.Invalid(
            _("The file is larger than %(mb)s MB.") % {"mb": files.MAX_FILE_BYTES // 1024 // 1024}
        )
    kind = files.sniff(content[:16])
    if kind is None:
        raise logic.Invalid(_("The file must be a PDF or an image (PNG, JPEG, WebP or GIF)."))
    name = (upload.name or "file").rsplit("/", 1)[-1][-120:]
    return {"name": name, "size": len(content), "type": kind}, content


@transaction.atomic
def save_answers(
    *,
    entry: Entry,
    by: Any,
    values: Mapping[int, Any],
    uploads: Mapping[int, Upload] | None = None,
    clear_files: Sequence[int] = (),
) -> dict[int, Answer]:
    """Store a draft entry's answers to its contest's questions; logged.

    ``values`` maps question ids to raw answers (a question left out is unanswered);
    file questions take ``uploads`` (checked by size and by their first bytes, stored
    through the storage API) and keep their file unless listed in ``clear_files``.
    Required questions are not enforced here but when the entry is submitted, so a team
    can save halfway. Nothing changes when any answer is invalid.
    """
    entry = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
    if not entry.is_editable:
        raise DomainError(_("Only a draft entry can be changed."))
    if not submission_open(entry.contest):
        raise DomainError(_("Submission for this contest is closed."))
    questions = active_questions(entry.contest)
    by_id = {q.pk: q for q in questions}
    stored = answers_of(entry)
    raw: dict[int, Any] = {k: v for k, v in values.items() if k in by_id}
    errors: dict[int, str] = {}
    contents: dict[int, bytes] = {}
    for q in questions:
        if q.kind != QuestionKind.FILE:
            continue
        upload = (uploads or {}).get(q.pk)
        if upload is not None:
            try:
                raw[q.pk], contents[q.pk] = _read_file(q, upload)
            except logic.Invalid as exc:
                errors[q.pk] = str(exc)
        elif q.pk not in clear_files and q.pk in stored:
            raw[q.pk] = stored[q.pk].value
        else:
            raw[q.pk] = None
    checked = logic.check([spec_of(q) for q in questions], raw, complete=False)
    errors = {**checked.errors, **{k: v for k, v in errors.items() if k in by_id}}
    if errors:
        raise DomainError(*(f"{by_id[k].label}: {msg}" for k, msg in errors.items()))
    before = {str(k): a.value for k, a in stored.items() if k in by_id}
    now = timezone.now()
    for qid in set(stored) & set(by_id) - set(checked.values):
        stored.pop(qid).delete()
    for qid, value in checked.values.items():
        answer = stored.get(qid) or Answer(question_id=qid, entry=entry)
        answer.value, answer.updated_by, answer.updated_at = value, by, now
        if qid in contents:
            name = files.storage_name(entry.public_id, value["type"])
            answer.file.name = default_storage.save(name, ContentFile(contents[qid]))
        answer.save()
        stored[qid] = answer
    record(
        action="entry.answers_saved",
        target=entry,
        contest=entry.contest,
        actor=by,
        before=before,
        after={str(k): v for k, v in checked.values.items()},
    )
    return stored


def submit_problems(entry: Entry) -> list[str]:
    """The required questions still unanswered (entries.domain asks before submitting)."""
    questions = active_questions(entry.contest)
    if not questions:
        return []
    values = {k: a.value for k, a in answers_of(entry).items()}
    by_id = {q.pk: q for q in questions}
    return [
        _("Answer the question “%(q)s”.") % {"q": by_id[qid].label}
        for qid in logic.missing([spec_of(q) for q in questions], values)
    ]


@transaction.atomic
def clone_questions(*, source: Contest, target: Contest, by: Any) -> list[Question]:
    """Copy the source edition's active questions, in order and with their conditions,
    to the target edition (a clone step of contests.domain.clone_contest). Does nothing
    when the target already has questions. Logs one event per question."""
    if Question.objects.filter(contest=target).exists():
        return []
    copied: dict[int, Question] = {}
    for q in active_questions(source):
        copied[q.pk] = add_question(
            contest=target,
            by=by,
            label=q.label,
            kind=q.kind,
            required=q.required,
            help_text=q.help_text,
            choices=q.choices,
            visibility=q.visibility,
            blind_safe=q.blind_safe,
            condition_on=copied.get(q.condition_on_id) if q.condition_on_id else None,
            condition_value=q.condition_value,
        )
    return list(copied.values())
