"""Announcement pages: the list with delivery counts, compose with a recipient preview,
delivery per recipient, and the recipients' own inbox."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clipcontest.contests.models import Contest
from clipcontest.core.errors import DomainError
from clipcontest.web.access import visible_contest

from . import domain
from .enums import Audience, DeliveryState, Preset
from .forms import AnnouncementForm
from .models import Announcement, Recipient
from .queries import inbox_for
from .rules import organizes, sender_units

PREVIEW_ROWS = 50


def _sender(request: HttpRequest, slug: str) -> tuple[Contest, list[Any]]:
    contest = visible_contest(request, slug)
    units = sender_units(request.user, contest)
    if not units:
        raise PermissionDenied
    return contest, units


def _visible(request: HttpRequest, contest: Contest, units: list[Any]) -> Any:
    """The announcements this sender may see: all for organizers, their own area's else."""
    found = Announcement.objects.filter(contest=contest)
    if not organizes(request.user, contest):
        found = found.filter(unit__in=units)
    return found


@login_required
@require_safe
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    contest, units = _sender(request, slug)
    rows = (
        _visible(request, contest, units)
        .select_related("unit", "created_by")
        .annotate(
            total=Count("recipients"),
            sent=Count("recipients", filter=Q(recipients__state=DeliveryState.SENT)),
            failed=Count("recipients", filter=Q(recipients__state=DeliveryState.FAILED)),
        )
    )
    return render(request, "announcements/manage.html", {"contest": contest, "rows": rows})


@login_required
def compose(request: HttpRequest, slug: str) -> HttpResponse:
    """Write, preview the recipients (count and first addresses), then send."""
    contest, units = _sender(request, slug)
    audiences = Audience.values if organizes(request.user, contest) else Audience.for_coordinators()
    initial: dict[str, Any] = {"unit": units[0].pk}
    preset = request.GET.get("preset", "")
    if preset in Preset.values:
        language = "en" if request.GET.get("lang") == "en" else "vi"
        initial["subject"], initial["body"] = domain.preset_text(
            preset=preset, contest=contest, language=language
        )
        initial["audience"] = (
            Audience.ALL_TEAMS if preset == Preset.DEADLINE else Audience.TEAMS_WITH_ENTRIES
        )
    form = AnnouncementForm(
        request.POST or None, initial=initial, units=units, audiences=tuple(audiences)
    )
    errors: list[str] = []
    found = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = domain.Draft(
            contest=contest,
            unit=data["unit"],
            audience=data["audience"],
            entry_status=data["entry_status"],
            at_unit=data["at_unit"],
        )
        try:
            if "send" in request.POST:
                announcement = domain.send_announcement(
                    draft=draft, by=request.user, subject=data["subject"], body=data["body"]
                )
                messages.success(request, _("The announcement is being sent."))
                return redirect("announcements:detail", slug=slug, announcement_id=announcement.pk)
            found = domain.preview(draft=draft, by=request.user)
        except DomainError as exc:
            errors = exc.messages
    return render(
        request,
        "announcements/compose.html",
        {
            "contest": contest,
            "form": form,
            "errors": errors,
            "found": found,
            "shown": (found or [])[:PREVIEW_ROWS],
            "presets": Preset.choices,
        },
    )


@login_required
@require_safe
def detail(request: HttpRequest, slug: str, announcement_id: int) -> HttpResponse:
    """Delivery state per recipient."""
    contest, units = _sender(request, slug)
    announcement = get_object_or_404(
        _visible(request, contest, units).select_related("unit", "at_unit", "created_by"),
        pk=announcement_id,
    )
    recipients = Recipient.objects.filter(announcement=announcement).select_related("team")
    return render(
        request,
        "announcements/detail.html",
        {"contest": contest, "announcement": announcement, "recipients": recipients},
    )


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """The announcements sent to the signed-in person or to their teams."""
    return render(request, "announcements/inbox.html", {"rows": inbox_for(request.user)})
