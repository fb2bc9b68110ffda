"""Judging pages: the organizer's jury desk and the juror's scoring pages."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clipcontest.core.errors import DomainError
from clipcontest.entries.models import Entry
from clipcontest.web.access import require, visible_contest

from . import domain
from .enums import RecusalKind, ScorecardState
from .forms import CriterionFormSet, ReasonForm, RoundForm, ScaleForm, ScorecardForm
from .models import JuryRound, Recusal, Scorecard
from .queries import (
    assignment_for,
    juror_assignments,
    juror_entry,
    progress_by_entry,
    progress_by_juror,
    rubric_of,
)


def _managed(request: HttpRequest, slug: str) -> Any:
    contest = visible_contest(request, slug)
    require(request, "judging.manage_judging", contest)
    return contest


def _round(contest: Any, number: int) -> JuryRound:
    return get_object_or_404(
        JuryRound.objects.select_related("contest"), contest=contest, number=number
    )


@login_required
def jury_desk(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _managed(request, slug)
    rounds = list(JuryRound.objects.filter(contest=contest).order_by("-number"))
    current = rounds[0] if rounds else None
    context = {
        "contest": contest,
        "rubric": rubric_of(contest),
        "rounds": rounds,
        "current": current,
        "round_form": RoundForm(initial={"name": _("Final round"), "blind": True}),
        "by_juror": progress_by_juror(current) if current else [],
        "by_entry": progress_by_entry(current) if current else [],
        "submitted": Scorecard.objects.filter(round=current, state=ScorecardState.SUBMITTED)
        .select_related("juror", "entry")
        .order_by("entry__title", "juror_id")
        if current
        else [],
        "recusals": Recusal.objects.filter(contest=contest).select_related("juror", "entry"),
        "declared": RecusalKind.DECLARED,
    }
    return render(request, "judging/desk.html", context)


@login_required
def rubric_edit(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _managed(request, slug)
    rubric = rubric_of(contest)
    initial = (
        [
            {"name": c.name, "weight": c.weight, "description": c.description}
            for c in rubric.criteria.all()
        ]
        if rubric
        else [
            {"name": c.name, "weight": c.weight, "description": c.description}
            for c in domain.default_criteria()
        ]
    )
    scale = ScaleForm(
        request.POST or None,
        initial={"scale_min": rubric.scale_min, "scale_max": rubric.scale_max} if rubric else None,
    )
    formset = CriterionFormSet(request.POST or None, initial=initial, prefix="c")
    errors: list[str] = []
    if request.method == "POST" and scale.is_valid() and formset.is_valid():
        criteria = [
            domain.CriterionInput(
                name=f["name"], weight=f["weight"], description=f.get("description", "")
            )
            for f in formset.cleaned_data
            if f.get("name")
        ]
        try:
            domain.set_rubric(
                contest=contest, by=request.user, criteria=criteria, **scale.cleaned_data
            )
        except DomainError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Rubric saved."))
            return redirect("judging:desk", slug=slug)
    return render(
        request,
        "judging/rubric.html",
        {"contest": contest, "scale": scale, "formset": formset, "errors": errors},
    )


@login_required
@require_POST
def round_create(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _managed(request, slug)
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            domain.create_round(contest=contest, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, _("Round created."))
    else:
        messages.error(request, _("Check the round's settings."))
    return redirect("judging:desk", slug=slug)


@login_required
@require_POST
def round_action(request: HttpRequest, slug: str, number: int, action: str) -> HttpResponse:
    contest = _managed(request, slug)
    jury_round = _round(contest, number)
    actions = {
        "assign": lambda: domain.assign_round(
            round=jury_round, by=request.user, seed=request.POST.get("seed") or None
        ),
        "open": lambda: domain.open_round(round=jury_round, by=request.user),
        "close": lambda: domain.close_round(round=jury_round, by=request.user),
        "remind": lambda: domain.remind_late_jurors(round=jury_round, by=request.user),
        "conflicts": lambda: domain.detect_conflicts(contest=contest, by=request.user),
    }
    if action not in actions:
        raise Http404
    try:
        actions[action]()
    except DomainError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("Done."))
    return redirect("judging:desk", slug=slug)


@login_required
@require_POST
def scorecard_unlock(request: HttpRequest, slug: str, card_id: int) -> HttpResponse:
    contest = _managed(request, slug)
    card = get_object_or_404(Scorecard, pk=card_id, round__contest=contest)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Give the reason for unlocking this scorecard."))
        domain.unlock_scorecard(scorecard=card, by=request.user, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("Scorecard unlocked; the juror can correct it."))
    return redirect("judging:desk", slug=slug)


def _juror_contest(request: HttpRequest, slug: str) -> Any:
    contest = visible_contest(request, slug)
    require(request, "judging.score", contest)
    return contest


@login_required
def my_rounds(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _juror_contest(request, slug)
    rounds = []
    for r in JuryRound.objects.filter(contest=contest).order_by("-number"):
        items = [
            (a, juror_entry(a.entry, blind=r.blind), getattr(a, "scorecard", None))
            for a in juror_assignments(r, request.user)
        ]
        rounds.append((r, items))
    return render(request, "judging/my_rounds.html", {"contest": contest, "rounds": rounds})


@login_required
def score_entry(request: HttpRequest, slug: str, number: int, public_id: uuid.UUID) -> HttpResponse:
    """The juror's one page per entry: watch, score every criterion, comment, save or
    submit. Works on a phone (one column, large inputs)."""
    contest = _juror_contest(request, slug)
    jury_round = _round(contest, number)
    assignment = assignment_for(jury_round, request.user, public_id)
    if assignment is None:
        raise Http404
    rubric = rubric_of(contest)
    assert rubric is not None
    card = Scorecard.objects.filter(assignment=assignment).first()
    current = {s.criterion_id: s.value for s in card.scores.all()} if card else {}
    form = ScorecardForm(
        request.POST or None,
        rubric=rubric,
        initial_scores=current,
        initial={"comment": card.comment if card else ""},
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            domain.save_scorecard(
                round=jury_round,
                juror=request.user,
                entry=assignment.entry,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        except DomainError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Scorecard submitted.") if submit else _("Draft saved."))
            return redirect("judging:my_rounds", slug=slug)
    context = {
        "contest": contest,
        "round": jury_round,
        "entry": juror_entry(assignment.entry, blind=jury_round.blind, with_video=True),
        "card": card,
        "locked": card is not None and card.state == ScorecardState.SUBMITTED,
        "form": form,
        "errors": errors,
        "recuse_form": ReasonForm(),
        "rubric": rubric,
    }
    return render(request, "judging/score.html", context)


@login_required
@require_POST
def recuse(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    contest = _juror_contest(request, slug)
    entry = get_object_or_404(
        Entry.objects.select_related("contest"), contest=contest, public_id=public_id
    )
    if not entry.jury_assignments.filter(juror_id=request.user.pk).exists():
        raise Http404
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Say why you cannot judge this entry."))
        domain.declare_recusal(
            juror=request.user, entry=entry, reason=form.cleaned_data["reason"], by=request.user
        )
    except DomainError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("You are recused from this entry."))
    return redirect("judging:my_rounds", slug=slug)
