"""A unit's screening page: watch, shortlist or reject, forward with sign-off."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clipcontest.core.errors import DomainError
from clipcontest.media.enums import VideoStatus

from .. import domain
from ..enums import ScreeningState
from ..forms import DecisionForm, ForwardForm
from ..links import SLOT, Link
from ..lookups import contest_or_404, entry_in_contest, stage_or_404
from ..models import EntryScreening
from ..queries import Stage, coordinated_stages, stage_items, stage_state_counts

#: Entries per page. A coordinator watches the clips one at a time; 20 keep the page
#: light (each item carries a player and a decision form).
PAGE_SIZE = 20


@dataclass(frozen=True)
class ItemLinks:
    detail: str
    history: str
    decide: str
    withdraw: str
    poster: str
    rendition: str


class _ItemLinks:
    """The links of one stage's items, each route reversed once (see ..links)."""

    def __init__(self, stage: Stage) -> None:
        unit = (stage.contest.slug, stage.unit.code)
        self.detail = Link("entries:detail", SLOT)
        self.history = Link("screening:entry_history", SLOT)
        self.decide = Link("screening:decide", *unit, SLOT)
        self.withdraw = Link("screening:withdraw_forward", *unit, SLOT)
        self.poster = Link("media:poster", SLOT)
        self.rendition = Link("media:rendition", SLOT, SLOT)

    def __call__(self, item: EntryScreening) -> ItemLinks:
        entry = item.entry.public_id
        video = getattr(item, "video", None)
        rendition = getattr(item, "rendition", None)
        return ItemLinks(
            detail=self.detail(entry),
            history=self.history(entry),
            decide=self.decide(entry),
            withdraw=self.withdraw(entry),
            poster=self.poster(video.pk) if video is not None else "",
            rendition=self.rendition(video.pk, rendition.label)
            if video is not None and rendition is not None
            else "",
        )


def _decorate(items: list[EntryScreening], stage: Stage) -> list[EntryScreening]:
    """Attach the current video, whether it can be watched, its smallest rendition and
    the item's links."""
    links = _ItemLinks(stage)
    for item in items:
        videos = getattr(item.entry, "current_videos", [])
        item.video = videos[0] if videos else None  # type: ignore[attr-defined]
        renditions = list(item.video.renditions.all()) if item.video else []  # type: ignore[attr-defined]
        item.rendition = renditions[0] if renditions else None  # type: ignore[attr-defined]
        item.ready = bool(  # type: ignore[attr-defined]
            item.video and item.video.status in VideoStatus.watchable() and item.rendition  # type: ignore[attr-defined]
        )
        item.links = links(item)  # type: ignore[attr-defined]
    return items


@login_required
@require_safe
def home(request: HttpRequest, slug: str) -> HttpResponse:
    """The units this person screens in the contest (and the organizer's overview link)."""
    contest = contest_or_404(request.user, slug)
    return render(
        request,
        "screening/home.html",
        {
            "contest": contest,
            "stages": coordinated_stages(request.user, contest),
            "can_manage": request.user.has_perm("screening.manage", contest),
            "now": timezone.now(),
        },
    )


def _queue_context(request: HttpRequest, stage: Stage) -> dict[str, Any]:
    now = timezone.now()
    state = request.GET.get("state", "")
    state = state if state in ScreeningState.values else ""
    counts = stage_state_counts(stage.record)
    context: dict[str, Any] = {
        "stage": stage,
        "contest": stage.contest,
        "now": now,
        "is_open": stage.is_open(now),
        "not_started": now < stage.phase.starts_at,
        "state": state,
        "state_tabs": [
            (value, label, counts.get(value, 0)) for value, label in ScreeningState.choices
        ],
        "left": max(stage.quota() - stage.forwarded(), 0),
        "page": None,
        "forward_form": None,
    }
    if stage.record is None:
        return context
    paginator = Paginator(stage_items(stage.record, state), PAGE_SIZE)
    # The state counts above already say how many items there are: no COUNT query.
    paginator.count = counts.get(state, 0) if state else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = _decorate(list(page.object_list), stage)
    context["page"] = page
    shortlisted = (
        list(
            EntryScreening.objects.filter(stage=stage.record, state=ScreeningState.SHORTLISTED)
            .select_related("entry")
            .order_by("arrived_at", "pk")
        )
        if counts.get(ScreeningState.SHORTLISTED)
        else []
    )
    if shortlisted:
        context["forward_form"] = ForwardForm(
            choices=[(i.entry_id, i.entry.title) for i in shortlisted]
        )
    return context


@login_required
@require_safe
def queue(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    stage = stage_or_404(request.user, slug, code)
    return render(request, "screening/queue.html", _queue_context(request, stage))


def _item_partial(
    request: HttpRequest, stage: Stage, entry_id: int, errors: list[str]
) -> HttpResponse:
    assert stage.record is not None
    item = _decorate([stage_items(stage.record).get(entry_id=entry_id)], stage)[0]
    return render(
        request,
        "screening/_items.html",
        {
            "items": [item],
            "stage": stage,
            "contest": stage.contest,
            "errors": errors,
            "is_open": stage.is_open(timezone.now()),
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, slug: str, code: str, public_id: uuid.UUID) -> HttpResponse:
    """Shortlist, reject or clear one entry (an htmx fragment, or a redirect without JS)."""
    stage = stage_or_404(request.user, slug, code, "screening.decide")
    entry = entry_in_contest(stage.contest, public_id)
    form = DecisionForm(request.POST)
    errors: list[str] = []
    if not form.is_valid():
        errors = [_("Choose a decision.")]
    else:
        data = form.cleaned_data
        try:
            if data["action"] == "shortlist":
                domain.shortlist_entry(
                    entry=entry, unit=stage.unit, by=request.user, note=data["note"]
                )
            elif data["action"] == "reject":
                domain.reject_entry(
                    entry=entry,
                    unit=stage.unit,
                    by=request.user,
                    reason=data["reason"],
                    note=data["note"],
                )
            else:
                domain.clear_decision(
                    entry=entry, unit=stage.unit, by=request.user, note=data["note"]
                )
        except DomainError as exc:
            errors = exc.messages
    if getattr(request, "htmx", False) and stage.record is not None:
        return _item_partial(request, stage, entry.pk, errors)
    for message in errors:
        messages.error(request, message)
    if not errors:
        messages.success(request, _("Decision saved for “%(title)s”.") % {"title": entry.title})
    return redirect("screening:queue", slug=slug, code=code)


@login_required
@require_POST
def forward(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Forward the chosen shortlisted entries, signed off by the person forwarding."""
    stage = stage_or_404(request.user, slug, code, "screening.decide")
    ids = [int(v) for v in request.POST.getlist("entries") if v.isdigit()]
    form = ForwardForm(request.POST, choices=[(i, str(i)) for i in ids])
    if not form.is_valid():
        messages.error(request, _("Tick the entries to forward and sign off the list."))
        return redirect("screening:queue", slug=slug, code=code)
    entries = list(stage.contest.entries.filter(pk__in=form.cleaned_data["entries"]))
    try:
        done = domain.forward_entries(
            contest=stage.contest,
            unit=stage.unit,
            entries=entries,
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(n)s entries forwarded and signed off.") % {"n": len(done)})
    return redirect("screening:queue", slug=slug, code=code)


@login_required
@require_POST
def withdraw_forward(
    request: HttpRequest, slug: str, code: str, public_id: uuid.UUID
) -> HttpResponse:
    stage = stage_or_404(request.user, slug, code, "screening.decide")
    entry = entry_in_contest(stage.contest, public_id)
    try:
        domain.withdraw_forward(
            entry=entry,
            unit=stage.unit,
            by=request.user,
            reason=request.POST.get("reason", "")[:2000],
        )
    except DomainError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The forward of “%(title)s” was withdrawn.") % {"title": entry.title}
        )
    return redirect("screening:queue", slug=slug, code=code)
