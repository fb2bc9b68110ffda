"""The organizer's screening pages: the overview per level per unit, reminders,
reopening a unit, and the level settings."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clipcontest.contests.enums import PhaseKind
from clipcontest.core.errors import DomainError

from .. import domain
from ..enums import ScreeningState
from ..forms import LevelSettingsForm, ReopenForm
from ..links import SLOT, Link
from ..lookups import contest_or_404, require, stage_or_404
from ..models import UnitScreening
from ..queries import (
    level_overview,
    level_state_counts,
    level_unit_list,
    reason_required,
    screening_chain,
    stages_needing_attention,
    totals_of,
)

UNITS_PER_PAGE = 100


@login_required
@require_safe
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """One level at a time: every unit's arrivals, forwards, rejections and pending work."""
    contest = contest_or_404(request.user, slug)
    require(request.user, "screening.manage", contest)
    chain = screening_chain(contest)
    if not chain:
        return render(request, "screening/overview.html", {"contest": contest, "chain": []})
    now = timezone.now()
    wanted = request.GET.get("level", "")
    current = next((p for p in chain if str(p.pk) == wanted), None) or next(
        (p for p in chain if p.starts_at <= now < p.ends_at), chain[0]
    )
    # Page through the bare units; group the level's items once (per stage and state)
    # for both the page's rows and the level totals, rather than aggregating per unit
    # three times (for the page count, the page and the totals).
    units = level_unit_list(phase=current, organizer_unit=contest.organizer_unit)
    page = Paginator(units.only("pk", "code", "name"), UNITS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    counts = level_state_counts(current)
    queue_link = Link("screening:queue", contest.slug, SLOT)
    reopen_link = Link("screening:reopen", contest.slug, SLOT)
    lines = [
        replace(u, queue_url=queue_link(u.code), reopen_url=reopen_link(u.code))
        for u in level_overview(phase=current, units=page.object_list, counts=counts)
    ]
    page.object_list = lines  # type: ignore[assignment]  # the page shows these lines
    return render(
        request,
        "screening/overview.html",
        {
            "contest": contest,
            "chain": chain,
            "phase": current,
            "page": page,
            "totals": (totals := totals_of(counts)),
            "totals_labelled": [(ScreeningState(v).label, n) for v, n in totals.items()],
            "attention": list(stages_needing_attention(current, now)),
            "unplaced": domain.unplaced_entries(contest, chain, now),
            "now": now,
        },
    )


@login_required
@require_POST
def remind(request: HttpRequest, slug: str) -> HttpResponse:
    contest = contest_or_404(request.user, slug)
    require(request.user, "screening.manage", contest)
    phase = contest.phases.filter(
        kind=PhaseKind.SCREENING, pk=request.POST.get("level") or 0
    ).first()
    stages = domain.send_reminders(contest=contest, by=request.user, phase=phase)
    if stages:
        messages.success(
            request, _("Reminders sent to the coordinators of %(n)s units.") % {"n": len(stages)}
        )
    else:
        messages.info(request, _("No unit needs a reminder now."))
    url = redirect("screening:overview", slug=slug)
    if phase is not None:
        url["Location"] += f"?level={phase.pk}"
    return url


@login_required
def reopen(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Give one unit a new deadline at its level, with a logged reason."""
    stage = stage_or_404(request.user, slug, code, "screening.manage_stage")
    form = ReopenForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            domain.reopen_unit(
                contest=stage.contest,
                unit=stage.unit,
                by=request.user,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("%(unit)s is open again.") % {"unit": stage.unit})
            return redirect("screening:queue", slug=slug, code=code)
    return render(
        request,
        "screening/reopen.html",
        {"stage": stage, "contest": stage.contest, "form": form, "errors": errors},
    )


@login_required
def level_settings(request: HttpRequest, slug: str, phase_id: int) -> HttpResponse:
    contest = contest_or_404(request.user, slug)
    require(request.user, "screening.manage", contest)
    phase = get_object_or_404(contest.phases.select_related("level"), pk=phase_id)
    if phase.kind != PhaseKind.SCREENING:
        raise Http404
    current = dict(
        UnitScreening.objects.filter(phase=phase, quota_override__isnull=False)
        .order_by("unit__path")
        .values_list("unit__code", "quota_override")
    )
    initial = {
        "reason_required": reason_required(phase),
        "overrides": "\n".join(f"{code} {quota}" for code, quota in current.items()),
    }
    form = LevelSettingsForm(request.POST or None, initial=initial, phase=phase)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            domain.configure_level(
                phase=phase,
                by=request.user,
                reason_required=form.cleaned_data["reason_required"],
                quota_overrides=form.quota_overrides(current),
            )
        except ValidationError as exc:
            errors = exc.messages
        except DomainError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Settings saved."))
            return redirect(f"{request.path}")
    return render(
        request,
        "screening/level_settings.html",
        {"contest": contest, "phase": phase, "form": form, "errors": errors},
    )
