"""Entry pages: create, edit, upload the video, submit, withdraw, watch."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clipcontest.contests.models import Contest
from clipcontest.core.errors import DomainError
from clipcontest.media.player import player_sources
from clipcontest.org.models import Team

from . import domain
from .forms import CaptionsForm, EntryForm, TeamChoiceForm
from .models import Entry
from .queries import team_entries


def _entry(request: HttpRequest, public_id: uuid.UUID, perm: str = "entries.view_entry") -> Entry:
    entry = get_object_or_404(
        Entry.objects.select_related("contest__organizer_unit", "team", "unit"), public_id=public_id
    )
    if not request.user.has_perm("entries.view_entry", entry):
        raise Http404
    if perm != "entries.view_entry" and not request.user.has_perm(perm, entry):
        raise PermissionDenied
    return entry


def _teams_of(request: HttpRequest) -> QuerySet[Team]:
    """The signed-in user's teams (the views using it require a login)."""
    return Team.objects.filter(memberships__user=cast(Any, request.user))


def _contest(request: HttpRequest, slug: str) -> Contest:
    contest = get_object_or_404(Contest, slug=slug)
    if not request.user.has_perm("contests.view_contest", contest):
        raise Http404
    return contest


@login_required
@require_safe
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest(request, slug)
    return render(
        request,
        "entries/mine.html",
        {
            "contest": contest,
            "entries": team_entries(request.user, contest),
            "can_create": domain.submission_open(contest) and _teams_of(request).exists(),
        },
    )


@login_required
def create(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest(request, slug)
    teams = _teams_of(request).select_related("unit")
    if not teams.exists():
        raise PermissionDenied
    form = EntryForm(request.POST or None)
    team_form = TeamChoiceForm(request.POST or None, teams=teams)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid() and team_form.is_valid():
        team = team_form.cleaned_data["team"]
        if not request.user.has_perm("entries.add_entry", team):
            raise PermissionDenied
        try:
            entry = domain.create_entry(
                contest=contest, team=team, by=request.user, authors=form.authors(), **form.values()
            )
        except DomainError as exc:
            if exc.field == "team":
                for message in exc.messages:
                    team_form.add_error("team", message)
            else:
                errors = exc.messages
        else:
            messages.success(request, _("Draft saved. Now upload the video."))
            return redirect("entries:upload", public_id=entry.public_id)
    return render(
        request,
        "entries/form.html",
        {
            "contest": contest,
            "form": form,
            "team_form": team_form,
            "errors": errors,
        },
    )


@login_required
def edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    entry = _entry(request, public_id, "entries.change_entry")
    form = EntryForm(request.POST or None, initial=EntryForm.initial_for(entry))
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            domain.update_entry(
                entry=entry, by=request.user, authors=form.authors(), **form.values()
            )
        except DomainError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Changes saved."))
            return redirect("entries:detail", public_id=entry.public_id)
    return render(
        request,
        "entries/form.html",
        {
            "contest": entry.contest,
            "entry": entry,
            "form": form,
            "errors": errors,
        },
    )


@login_required
def upload(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    from clipcontest.media.tus import upload_token
    from clipcontest.media.uploads import max_length

    entry = _entry(request, public_id, "entries.change_entry")
    captions_form = CaptionsForm()
    errors: list[str] = []
    if request.method == "POST":
        captions_form = CaptionsForm(request.POST, request.FILES)
        if captions_form.is_valid():
            file = captions_form.cleaned_data["captions"]
            try:
                if captions_form.cleaned_data["remove"]:
                    domain.set_captions(entry=entry, by=request.user, content=None)
                elif file:
                    domain.set_captions(
                        entry=entry,
                        by=request.user,
                        content=file.read(domain.MAX_CAPTIONS_BYTES + 1),
                    )
            except DomainError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("Captions saved."))
                return redirect("entries:upload", public_id=entry.public_id)
    return render(
        request,
        "entries/upload.html",
        {
            "entry": entry,
            "captions_form": captions_form,
            "errors": errors,
            "tus_endpoint": reverse("media:tus"),
            "max_bytes": max_length(entry),
            "upload_token": upload_token(entry=entry, user=request.user),
            "status_url": reverse("entries:video_status", args=[entry.public_id]),
        },
    )


def _video_context(entry: Entry) -> dict[str, Any]:
    from clipcontest.media.models import Upload, Video

    video = Video.objects.current_of(entry)
    latest = Upload.objects.filter(entry=entry).order_by("-created_at").first()
    renditions = list(video.renditions.all()) if video else []
    sources = player_sources(renditions)
    return {
        "video": video,
        "latest_upload": latest,
        "renditions": renditions,
        "player_sources": sources,
    }


@require_safe
def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    entry = _entry(request, public_id)
    can_change = request.user.has_perm("entries.change_entry", entry)
    return render(
        request,
        "entries/detail.html",
        {
            "entry": entry,
            "authors": list(entry.authors.all()),
            "can_change": can_change,
            "problems": domain.submit_problems(entry) if can_change and entry.is_editable else [],
            **_video_context(entry),
        },
    )


@require_safe
def video_status(request: HttpRequest, public_id: uuid.UUID) -> JsonResponse:
    """What the uploader and the entry page poll: upload check, then transcode progress."""
    entry = _entry(request, public_id)
    context = _video_context(entry)
    video, latest = context["video"], context["latest_upload"]
    data: dict[str, Any] = {"upload": None, "video": None}
    if latest is not None and request.user.has_perm("entries.change_entry", entry):
        data["upload"] = {
            "status": latest.status,
            "label": latest.get_status_display(),
            "refusal": latest.refusal,
            "offset": latest.offset,
            "length": latest.length,
        }
    if video is not None:
        data["video"] = {
            "status": video.status,
            "label": video.get_status_display(),
            "progress": video.progress,
            "failure": video.failure,
            "renditions": [r.label for r in context["renditions"]],
        }
    return JsonResponse(data)


@login_required
@require_POST
def submit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    entry = _entry(request, public_id, "entries.change_entry")
    try:
        domain.submit_entry(entry=entry, by=request.user)
    except DomainError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your entry has been submitted."))
    return redirect("entries:detail", public_id=entry.public_id)


@login_required
@require_POST
def withdraw(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    entry = _entry(request, public_id, "entries.change_entry")
    try:
        domain.withdraw_entry(
            entry=entry, by=request.user, reason=request.POST.get("reason", "")[:500]
        )
    except DomainError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The entry has been withdrawn."))
    return redirect("entries:detail", public_id=entry.public_id)
