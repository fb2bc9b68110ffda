"""The organizer's pages for one contest edition."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clipcontest.accounts.enums import Role
from clipcontest.accounts.queries import held_roles
from clipcontest.audit.domain import record
from clipcontest.cockpit import attention as cockpit
from clipcontest.contests import domain
from clipcontest.contests.enums import ContestStatus, PhaseKind
from clipcontest.contests.forms import (
    CloneForm,
    ContestForm,
    MovePhaseForm,
    PhaseFormSet,
    PrizeFormSet,
)
from clipcontest.contests.models import Phase
from clipcontest.core.errors import DomainError
from clipcontest.org.models import Level, Unit

from ..access import managed_contest, require


def _organizer_units(request: HttpRequest) -> QuerySet[Unit]:
    """Units this person may run contests for: each organizer unit and its subtree (the
    same rule as ``org.organize_unit``); site admins choose among the top two levels."""
    units = Unit.objects.select_related("hierarchy", "level").order_by("hierarchy", "path")
    if request.user.is_superuser:
        return units.filter(depth__lte=1)
    subtree = Q(pk__in=[])
    for held in held_roles(request.user):
        if held.role == Role.ORGANIZER and held.unit_path:
            subtree |= Q(hierarchy_id=held.hierarchy_id, path__startswith=held.unit_path)
    return units.filter(subtree)


def _add_errors(form: Any, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    for message in exc.messages:
        form.add_error(field, message)


@login_required
def contest_create(request: HttpRequest) -> HttpResponse:
    require(request, "contests.add_contest")
    form = ContestForm(request.POST or None, units=_organizer_units(request))
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        slug = values.pop("slug")
        require(request, "org.organize_unit", values["organizer_unit"])
        try:
            contest = domain.create_contest(by=request.user, slug=slug, **values)
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Contest created. Now set its timeline."))
            return redirect("web:contest_timeline", slug=contest.slug)
    return render(request, "web/manage/contest_form.html", {"form": form, "contest": None})


@login_required
def contest_edit(request: HttpRequest, slug: str) -> HttpResponse:
    contest = managed_contest(request, slug)
    form = ContestForm(request.POST or None, instance=contest, units=_organizer_units(request))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if "organizer_unit" in changes:
            require(request, "org.organize_unit", changes["organizer_unit"])
        try:
            domain.update_contest(contest=contest, by=request.user, **changes)
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("web:contest_manage", slug=contest.slug)
        contest.refresh_from_db()
    return render(request, "web/manage/contest_form.html", {"form": form, "contest": contest})


@login_required
def contest_manage(request: HttpRequest, slug: str) -> HttpResponse:
    contest = managed_contest(request, slug)
    overview = cockpit.context_for(contest)
    if overview["c"].per_entry is None and any(overview["c"].votes.values()):
        # While counts are hidden, every look an organizer takes at vote data is logged.
        record(action="voting.view_totals", target=contest, contest=contest, actor=request.user)
    return render(
        request,
        "web/manage/contest_manage.html",
        {
            "contest": contest,
            "phases": contest.phases.select_related("level").order_by("starts_at"),
            "prizes": contest.prize_tiers.all(),
            "statuses": ContestStatus,
            "recent_events": contest.audit_events.select_related("actor")[:10],
            **overview,
        },
    )


@login_required
def contest_timeline(request: HttpRequest, slug: str) -> HttpResponse:
    contest = managed_contest(request, slug)
    levels = Level.objects.filter(hierarchy_id=contest.organizer_unit.hierarchy_id)
    initial = [
        {
            "kind": p.kind,
            "level": p.level,
            "quota": p.quota,
            "starts_at": p.starts_at,
            "ends_at": p.ends_at,
        }
        for p in contest.phases.select_related("level").order_by("starts_at")
    ]
    formset = PhaseFormSet(
        request.POST or None, initial=initial, form_kwargs={"levels": levels}, prefix="phases"
    )
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        phases = [
            domain.PhaseInput(
                kind=f.cleaned_data["kind"],
                level=f.cleaned_data.get("level"),
                quota=f.cleaned_data.get("quota"),
                starts_at=f.cleaned_data["starts_at"],
                ends_at=f.cleaned_data["ends_at"],
            )
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        phases = [
            p
            if p.kind == PhaseKind.SCREENING
            else domain.PhaseInput(kind=p.kind, starts_at=p.starts_at, ends_at=p.ends_at)
            for p in phases
        ]
        try:
            domain.set_timeline(contest=contest, phases=phases, by=request.user)
        except DomainError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Timeline saved."))
            return redirect("web:contest_manage", slug=contest.slug)
    return render(
        request,
        "web/manage/timeline.html",
        {"contest": contest, "formset": formset, "errors": errors},
    )


@login_required
def contest_prizes(request: HttpRequest, slug: str) -> HttpResponse:
    contest = managed_contest(request, slug)
    initial = [
        {"name": t.name, "kind": t.kind, "count": t.count, "reward": t.reward}
        for t in contest.prize_tiers.all()
    ]
    formset = PrizeFormSet(request.POST or None, initial=initial, prefix="prizes")
    errors: list[str] = []
    locked = domain.prize_tiers_locked(contest)
    if locked and request.method == "POST":
        errors = [locked]
    elif request.method == "POST" and formset.is_valid():
        tiers = [
            domain.PrizeInput(
                name=f.cleaned_data["name"],
                kind=f.cleaned_data["kind"],
                count=f.cleaned_data["count"],
                reward=f.cleaned_data.get("reward", ""),
            )
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            domain.set_prize_tiers(contest=contest, tiers=tiers, by=request.user)
        except DomainError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Prizes saved."))
            return redirect("web:contest_manage", slug=contest.slug)
    return render(
        request,
        "web/manage/prizes.html",
        {
            "contest": contest,
            "formset": formset,
            "errors": errors,
            "locked": locked,
            "prizes": contest.prize_tiers.all(),
        },
    )


@login_required
@require_POST
def contest_status(request: HttpRequest, slug: str) -> HttpResponse:
    contest = managed_contest(request, slug)
    status = request.POST.get("status", "")
    if status not in ContestStatus.values:
        messages.error(request, _("Unknown status."))
    else:
        try:
            domain.set_status(contest=contest, status=status, by=request.user)
        except DomainError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Status changed."))
    return redirect("web:contest_manage", slug=contest.slug)


@login_required
def phase_move(request: HttpRequest, slug: str, phase_id: int) -> HttpResponse:
    contest = managed_contest(request, slug)
    phase = get_object_or_404(Phase, pk=phase_id, contest=contest)
    form = MovePhaseForm(
        request.POST or None, initial={"starts_at": phase.starts_at, "ends_at": phase.ends_at}
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.move_phase(phase=phase, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Phase moved."))
            return redirect("web:contest_manage", slug=contest.slug)
    return render(
        request, "web/manage/phase_move.html", {"contest": contest, "phase": phase, "form": form}
    )


@login_required
def contest_clone(request: HttpRequest, slug: str) -> HttpResponse:
    source = managed_contest(request, slug)
    require(request, "contests.add_contest")
    initial = {
        "title": source.title,
        "edition": source.edition + 1,
        "slug": f"{source.series}-{source.edition + 1}"[:80],
    }
    form = CloneForm(request.POST or None, initial=initial, units=_organizer_units(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = data.get("organizer_unit")
        if unit is not None:
            require(request, "org.organize_unit", unit)
        try:
            contest = domain.clone_contest(
                source=source,
                by=request.user,
                slug=data["slug"],
                title=data["title"],
                edition=data["edition"],
                submission_starts_at=data["submission_starts_at"],
                organizer_unit=unit,
            )
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("New edition created from %(title)s.") % {"title": source.title}
            )
            return redirect("web:contest_manage", slug=contest.slug)
    return render(request, "web/manage/clone.html", {"contest": source, "form": form})
