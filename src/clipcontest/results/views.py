"""Results pages: the organizer's preview and publication desk, the public results page,
certificates, exports and the winners' library."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST, require_safe

from clipcontest.contests.models import Contest, PrizeTier
from clipcontest.core.errors import DomainError
from clipcontest.core.headers import csp_override
from clipcontest.entries.models import Entry
from clipcontest.media.serve import stream
from clipcontest.web.access import require, visible_contest

from . import certificates, domain, exports
from .enums import Aggregation, DecisionKind, Outcome, TieBreak
from .library import OPEN_LICENCES, current_video, filter_items, item_card, item_cards
from .models import CommitteeDecision, LibraryItem, TierRule
from .queries import (
    current_publication,
    library_items,
    method_of,
    publication_history,
    vote_exclusions,
)


class MethodForm(forms.Form):
    aggregation = forms.ChoiceField(label=gettext_lazy("aggregation"), choices=Aggregation.choices)
    trim_percent = forms.IntegerField(
        label=gettext_lazy("trimmed from each end (%)"), min_value=0, max_value=49
    )
    jury_percent = forms.IntegerField(
        label=gettext_lazy("jury weight (%)"), min_value=0, max_value=100
    )
    public_percent = forms.IntegerField(
        label=gettext_lazy("public vote weight (%)"), min_value=0, max_value=100
    )
    tie_break = forms.CharField(
        label=gettext_lazy("tie-break order"),
        help_text=gettext_lazy("Comma-separated: jury, public, committee, criterion:<position>."),
    )
    one_prize_per_entry = forms.BooleanField(
        label=gettext_lazy("one prize per entry"), required=False
    )
    max_prizes_per_unit = forms.IntegerField(
        label=gettext_lazy("most prizes per unit"), min_value=1, required=False
    )


def _managed(request: HttpRequest, slug: str) -> Contest:
    contest = visible_contest(request, slug)
    require(request, "judging.manage_judging", contest)
    return contest


def _entries_by_key(keys: list[str]) -> dict[str, Entry]:
    entries = Entry.objects.filter(public_id__in=keys).select_related("team", "unit")
    return {str(e.public_id): e for e in entries}


def _explained(doc: dict[str, Any], entries: dict[str, Entry]) -> list[dict[str, Any]]:
    """Standings with their entry, prizes and a readable reason per tier."""
    tiers = {t["position"]: t["name"] for t in doc["tiers"]}
    labels = dict(Outcome.choices)
    won: dict[str, list[str]] = {}
    for a in doc["awards"]:
        won.setdefault(a["entry"], []).append(tiers[a["tier"]])
    keys = _tie_names(doc)
    return [
        {
            **s,
            "decided_by": keys.get(s.get("decided_by", ""), s.get("decided_by", "")),
            "entry_obj": entries.get(s["entry"]),
            "prizes": won.get(s["entry"], []),
            "card_rows": [
                (juror, total, [f"{v / 100:.2f}" for v in scores])
                for juror, total, _z, scores in s["cards"]
            ],
            "why": [
                f"{tiers[r['tier']]}: {labels.get(r['outcome'], r['outcome'])}"
                for r in s["reasons"]
            ],
        }
        for s in doc["standings"]
    ]


def _tie_names(doc: dict[str, Any]) -> dict[str, str]:
    """Readable names of the declared tie-break keys (criteria by their rubric name)."""
    names = {f"criterion:{c['position']}": c["name"] for c in doc["rubric"]["criteria"]}
    labels = dict(TieBreak.choices)
    return {k: str(labels.get(k, names.get(k, k))) for k in doc["method"]["tie_break"]}


def _tie_labels(doc: dict[str, Any]) -> list[str]:
    return list(_tie_names(doc).values())


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _managed(request, slug)
    method = method_of(contest)
    form = MethodForm(
        request.POST or None,
        initial={
            "aggregation": method.aggregation,
            "trim_percent": method.trim_percent,
            "jury_percent": method.jury_percent,
            "public_percent": method.public_percent,
            "tie_break": ", ".join(method.tie_break),
            "one_prize_per_entry": method.one_prize_per_entry,
            "max_prizes_per_unit": method.max_prizes_per_unit,
        },
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values["tie_break"] = [k.strip() for k in values["tie_break"].split(",") if k.strip()]
        try:
            domain.set_method(contest=contest, by=request.user, **values)
        except DomainError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Method saved."))
            return redirect("results:manage", slug=slug)
    preview, preview_error = None, ""
    try:
        preview = domain.compute_results(contest=contest)
    except DomainError as exc:
        preview_error = str(exc)
    doc = preview.document if preview else None
    context = {
        "contest": contest,
        "form": form,
        "errors": errors,
        "preview": preview,
        "preview_error": preview_error,
        "standings": _explained(doc, _entries_by_key([s["entry"] for s in doc["standings"]]))
        if doc
        else [],
        "doc": doc,
        "decisions": CommitteeDecision.objects.filter(contest=contest).select_related("entry"),
        "decision_kinds": DecisionKind.choices,
        "tiers": [
            (t, TierRule.objects.filter(tier=t, distinction=True).exists())
            for t in PrizeTier.objects.filter(contest=contest)
        ],
        "publication": current_publication(contest),
        "history": publication_history(contest),
        "kinds": exports.KINDS,
    }
    return render(request, "results/manage.html", context)


def _redirect_with(request: HttpRequest, slug: str, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except DomainError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, done)
    return redirect("results:manage", slug=slug)


@login_required
@require_POST
def decide(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _managed(request, slug)
    entry = get_object_or_404(Entry, contest=contest, public_id=request.POST.get("entry", ""))
    try:
        value = int(request.POST.get("value", "0"))
    except ValueError:
        value = 0
    return _redirect_with(
        request,
        slug,
        lambda: domain.record_decision(
            contest=contest,
            entry=entry,
            kind=request.POST.get("kind", ""),
            value=value,
            reason=request.POST.get("reason", ""),
            by=request.user,
        ),
        _("Committee decision recorded."),
    )


@login_required
@require_POST
def distinction(request: HttpRequest, slug: str, tier_id: int) -> HttpResponse:
    contest = _managed(request, slug)
    tier = get_object_or_404(PrizeTier, pk=tier_id, contest=contest)
    on = request.POST.get("distinction") == "1"
    return _redirect_with(
        request,
        slug,
        lambda: domain.set_distinction(tier=tier, distinction=on, by=request.user),
        _("Saved."),
    )


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _managed(request, slug)
    reason = request.POST.get("incomplete_reason", "")
    return _redirect_with(
        request,
        slug,
        lambda: domain.publish_results(contest=contest, by=request.user, incomplete_reason=reason),
        _("Results published."),
    )


@login_required
@require_POST
def library_add(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _managed(request, slug)
    entry = get_object_or_404(
        Entry.objects.select_related("contest"),
        contest=contest,
        public_id=request.POST.get("entry", ""),
    )
    return _redirect_with(
        request,
        slug,
        lambda: domain.add_to_library(
            entry=entry, by=request.user, note=request.POST.get("note", "")
        ),
        _("Added to the library."),
    )


@login_required
@require_safe
def export(request: HttpRequest, slug: str, kind: str, fmt: str) -> HttpResponse:
    contest = _managed(request, slug)
    if kind not in exports.KINDS or fmt not in ("csv", "xlsx"):
        raise Http404
    try:
        result = domain.compute_results(contest=contest)
    except DomainError as exc:
        raise Http404 from exc
    return exports.response(result, kind, fmt, contest.slug)


def _certificates(request: HttpRequest, slug: str) -> list[certificates.Certificate]:
    contest = _managed(request, slug)
    publication = current_publication(contest)
    if publication is None:
        raise Http404
    return certificates.certificates_for(publication)


@login_required
@require_safe
def certificate(request: HttpRequest, slug: str, team_id: int) -> HttpResponse:
    found = [c for c in _certificates(request, slug) if c.team_id == team_id]
    if not found:
        raise Http404
    response = HttpResponse(
        certificates.render(found[0], language=get_language() or "vi"),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{found[0].filename}"'
    return response


@login_required
@require_safe
def certificates_zip(request: HttpRequest, slug: str) -> HttpResponse:
    body = certificates.zip_all(_certificates(request, slug), language=get_language() or "vi")
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{slug}-certificates.zip"'
    return response


@require_safe
def public_results(request: HttpRequest, slug: str) -> HttpResponse:
    """The published result: winners with their clips, the formula, the rubric and every
    finalist's scores with pseudonymous jurors, and votes excluded by the voting app."""
    contest = visible_contest(request, slug)
    history = publication_history(contest)
    if not history:
        raise Http404
    publication = current_publication(contest)
    if publication is None:
        # The latest version was withdrawn: say so, and keep every version available.
        return render(
            request,
            "results/public.html",
            {"contest": contest, "withdrawn": history[0].publication, "history": history},
        )
    doc = json.loads(publication.computation)
    entries = _entries_by_key([s["entry"] for s in doc["standings"]])
    excluded = vote_exclusions(contest)
    standings = _explained(doc, entries)
    in_library = set(
        LibraryItem.objects.filter(entry__in=[e for e in entries.values() if e]).values_list(
            "entry_id", flat=True
        )
    )
    for s in standings:
        entry = s["entry_obj"]
        s["excluded"] = sum(excluded.get(entry.pk, {}).values()) if entry else 0
        s["in_library"] = bool(entry and entry.pk in in_library)
    return render(
        request,
        "results/public.html",
        {
            "contest": contest,
            "publication": publication,
            "doc": doc,
            "standings": standings,
            "winners": [s for s in standings if s["prizes"]],
            "tie_labels": _tie_labels(doc),
            "aggregation": dict(Aggregation.choices).get(doc["method"]["aggregation"]),
            "decisions": [(entries.get(d["entry"]), d) for d in doc["decisions"]],
            "history": history,
        },
    )


@require_safe
def library(request: HttpRequest) -> HttpResponse:
    contest, unit, topic = (request.GET.get(k, "").strip() for k in ("contest", "unit", "topic"))
    items = filter_items(library_items(), contest=contest, unit=unit, topic=topic)
    cards = item_cards(request, items)
    editions = (
        Contest.objects.filter(result_publications__isnull=False).distinct().order_by("-edition")
    )
    return render(
        request,
        "results/library.html",
        {
            "cards": cards,
            "editions": editions,
            "q": {"contest": contest, "unit": unit, "topic": topic},
        },
    )


def _library_entry(public_id: uuid.UUID) -> Entry:
    item = library_items().filter(entry__public_id=public_id).first()
    if item is None:
        raise Http404
    return item.entry


@require_safe
def library_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    item = get_object_or_404(library_items(), entry__public_id=public_id)
    return render(
        request,
        "results/library_detail.html",
        {"card": item_card(request, item), "item": item, "video": current_video(item.entry)},
    )


@xframe_options_exempt
@csp_override(frame_ancestors=lambda: settings.EMBED_FRAME_ANCESTORS)
@require_safe
def library_embed(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    item = get_object_or_404(library_items(), entry__public_id=public_id)
    return render(
        request,
        "results/embed.html",
        {"card": item_card(request, item), "video": current_video(item.entry)},
    )


@require_safe
def library_rendition(request: HttpRequest, public_id: uuid.UUID, label: str) -> HttpResponseBase:
    video = current_video(_library_entry(public_id))
    rendition = next(
        (r for r in (video.renditions.all() if video else []) if r.label == label), None
    )
    if rendition is None:
        raise Http404
    return stream(request, rendition.name, "video/mp4")


@require_safe
def library_original(request: HttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    entry = _library_entry(public_id)
    video = current_video(entry)
    if video is None or entry.licence not in OPEN_LICENCES:
        raise Http404
    response = stream(request, video.original, "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{entry.public_id}-original"'
    return response


@require_safe
def library_poster(request: HttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    video = current_video(_library_entry(public_id))
    if video is None or not video.poster:
        raise Http404
    return stream(request, video.poster, "image/jpeg")
