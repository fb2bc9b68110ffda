"""Question pages: the organizer's list and form, the team's answers, file downloads
and the answers export."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clipcontest.contests.models import Contest
from clipcontest.core.errors import DomainError
from clipcontest.entries.models import Entry
from clipcontest.media.serve import stream
from clipcontest.web.access import require, visible_contest

from . import domain, exports
from .forms import AnswersForm, QuestionForm
from .models import Answer, Question
from .queries import may_read

ACTIONS = ("up", "down", "retire", "delete")


def _managed(request: HttpRequest, slug: str) -> Contest:
    contest = visible_contest(request, slug)
    require(request, "questions.manage_questions", contest)
    return contest


def _question(contest: Contest, question_id: int) -> Question:
    return get_object_or_404(Question, pk=question_id, contest=contest)


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    """All questions of the contest, and the form to add one."""
    contest = _managed(request, slug)
    form = QuestionForm(request.POST or None, contest=contest)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            domain.add_question(contest=contest, by=request.user, **form.values())
        except DomainError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Question added."))
            return redirect("questions:manage", slug=slug)
    questions = list(
        Question.objects.filter(contest=contest).select_related("condition_on").order_by("position")
    )
    answered = set(
        Answer.objects.filter(question__contest=contest).values_list("question_id", flat=True)
    )
    return render(
        request,
        "questions/manage.html",
        {
            "contest": contest,
            "rows": [(q, q.pk in answered) for q in questions],
            "form": form,
            "errors": errors,
        },
    )


@login_required
def edit(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    contest = _managed(request, slug)
    question = _question(contest, question_id)
    form = QuestionForm(
        request.POST or None,
        contest=contest,
        exclude=question,
        initial=QuestionForm.initial_for(question),
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            domain.update_question(question=question, by=request.user, **form.values())
        except DomainError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Question saved."))
            return redirect("questions:manage", slug=slug)
    return render(
        request,
        "questions/edit.html",
        {
            "contest": contest,
            "question": question,
            "locked": domain.is_locked(question),
            "form": form,
            "errors": errors,
        },
    )


@login_required
@require_POST
def act(request: HttpRequest, slug: str, question_id: int, action: str) -> HttpResponse:
    """Move, retire or delete a question (buttons on the list page)."""
    contest = _managed(request, slug)
    if action not in ACTIONS:
        raise Http404
    question = _question(contest, question_id)
    try:
        if action in ("up", "down"):
            domain.move_question(question=question, by=request.user, up=action == "up")
        elif action == "retire":
            domain.retire_question(question=question, by=request.user)
            messages.success(request, _("The question is no longer asked; its answers are kept."))
        else:
            domain.delete_question(question=question, by=request.user)
            messages.success(request, _("Question deleted."))
    except DomainError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("questions:manage", slug=slug)


@login_required
@require_safe
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Every entry with one column per question, as CSV or XLSX."""
    contest = _managed(request, slug)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return exports.response(contest, fmt, request.build_absolute_uri("/").rstrip("/"))


def _entry(request: HttpRequest, public_id: uuid.UUID) -> Entry:
    entry = get_object_or_404(
        Entry.objects.select_related("contest__organizer_unit", "team", "unit"),
        public_id=public_id,
    )
    if not request.user.has_perm("entries.view_entry", entry):
        raise Http404
    if not request.user.has_perm("entries.change_entry", entry):
        raise PermissionDenied
    return entry


@login_required
def answer(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The team answers the contest's questions for one of its draft entries."""
    entry = _entry(request, public_id)
    questions = domain.active_questions(entry.contest)
    stored = domain.answers_of(entry)
    form = AnswersForm(
        request.POST or None, request.FILES or None, questions=questions, answers=stored
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            domain.save_answers(
                entry=entry,
                by=request.user,
                values=form.values(),
                uploads=form.uploads(),
                clear_files=form.cleared(),
            )
        except DomainError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Answers saved."))
            return redirect("entries:detail", public_id=entry.public_id)
    return render(
        request,
        "questions/answer.html",
        {"entry": entry, "form": form, "errors": errors, "has_questions": bool(questions)},
    )


@require_safe
def answer_file(request: HttpRequest, answer_id: int) -> HttpResponseBase:
    answer = get_object_or_404(
        Answer.objects.select_related(
            "question", "entry__contest__organizer_unit", "entry__unit", "entry__team"
        ),
        pk=answer_id,
    )
    if not answer.file or not may_read(request.user, answer):
        raise Http404
    response = stream(request, str(answer.file.name), str(answer.value.get("type")))
    response["Content-Disposition"] = "attachment"
    return response
