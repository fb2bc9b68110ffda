"""Public pages: the gallery, an entry's page, vote results, share links."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe

from clipcontest.audit import domain as audit
from clipcontest.audit.middleware import client_ip
from clipcontest.contests.models import Contest
from clipcontest.core import pagecache as core_pagecache
from clipcontest.entries.models import Entry
from clipcontest.media.player import player_sources
from clipcontest.org.models import Unit
from clipcontest.web.access import visible_contest

from .. import conf, domain, pagecache, queries
from ..enums import CountsVisibility, ExclusionReason
from ..models import ShareLink
from ..sessions import current_voter, ensure_device_cookie

SORTS = ("newest", "votes", "title")
BOTS = ("bot", "crawler", "spider", "facebookexternalhit", "zalo", "preview", "curl", "wget")


def poster_url(entry: Entry) -> str:
    current = getattr(entry, "current", None)
    video = current[0] if current else None
    if video is None or not video.poster:
        return ""
    return reverse("media:poster", args=[video.pk])


def _filters(request: HttpRequest) -> dict[str, str]:
    sort = request.GET.get("sort", "newest")
    return {
        "unit": request.GET.get("unit", "")[:40],
        "topic": request.GET.get("topic", "")[:60],
        "q": request.GET.get("q", "").strip()[:80],
        "sort": sort if sort in SORTS else "newest",
    }


@require_safe
@pagecache.cached_for_everyone()
def gallery(request: HttpRequest, slug: str) -> HttpResponse:
    """Filterable gallery of the finalists: the page everyone opens from a shared link.

    Whole pages are cached for anonymous visitors (``voting.pagecache``); the grid alone
    is cached per filter and language for everyone else, under the same versions."""
    contest, voting, window = pagecache.visible_state(request, slug)
    filters = _filters(request)
    show_counts = queries.counts_visible(contest, voting, window)
    versions = [core_pagecache.version(contest.pk), core_pagecache.version()]
    key = (
        "voting:gallery:"
        + hashlib.sha256(
            json.dumps([contest.pk, versions, filters, get_language(), show_counts]).encode()
        ).hexdigest()
    )
    grid = cache.get(key)
    if grid is None:
        grid = _render_grid(request, contest, filters, show_counts)
        cache.set(key, grid, conf.get("VOTING_GALLERY_CACHE_SECONDS"))
    context = {"contest": contest, "grid": grid, "window": window, "filters": filters}
    return render(request, "voting/gallery.html", _shared_context(request, context))


def _shared_context(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    """A page rendered for everyone carries no CSRF token (web/csrf.js supplies it)."""
    if pagecache.is_shared(request):
        return {**context, "csrf_token": pagecache.NO_TOKEN}
    return context


def _render_grid(
    request: HttpRequest, contest: Contest, filters: dict[str, str], show_counts: bool
) -> str:
    everything = list(queries.gallery_entries(contest))
    unit = None
    if filters["unit"]:
        unit = Unit.objects.filter(
            hierarchy_id=contest.organizer_unit.hierarchy_id, code=filters["unit"]
        ).first()
    entries = queries.filter_gallery(
        queries.gallery_entries(contest),
        unit_path=unit.path if unit else "",
        search=filters["q"],
    )
    if filters["unit"] and unit is None:  # an unknown unit matches nothing
        entries = entries.none()
    counts = queries.tally(contest) if show_counts else {}
    items = [e for e in entries if not filters["topic"] or filters["topic"] in e.topic_tags]
    if filters["sort"] == "votes" and show_counts:
        items.sort(key=lambda e: (-counts.get(e.pk, 0), e.title))
    elif filters["sort"] == "title":
        items.sort(key=lambda e: e.title)
    else:
        items.sort(key=lambda e: e.submitted_at or e.created_at, reverse=True)
    return render_to_string(
        "voting/_grid.html",
        {
            "contest": contest,
            "cards": [(e, poster_url(e), counts.get(e.pk, 0)) for e in items],
            "show_counts": show_counts,
            "filters": filters,
            "units": _unit_choices(contest, everything),
            "topics": sorted({t for e in everything for t in (e.topic_tags or [])}),
            "total": len(everything),
        },
        request=None,
    )


def _unit_choices(contest: Contest, entries: list[Entry]) -> list[Unit]:
    """The units one level below the organizer that have works in the gallery."""
    organizer = contest.organizer_unit
    codes = {
        e.unit.ancestor_codes[organizer.depth + 1]
        if len(e.unit.ancestor_codes) > organizer.depth + 1
        else e.unit.code
        for e in entries
    }
    return list(
        Unit.objects.filter(hierarchy_id=organizer.hierarchy_id, code__in=codes).order_by("name")
    )


def gallery_entry(contest: Contest, public_id: uuid.UUID) -> Entry:
    entry = queries.gallery_entries(contest).filter(public_id=public_id).first()
    if entry is None:
        raise Http404
    return entry


@require_safe
@pagecache.cached_for_everyone(finish=ensure_device_cookie)
def entry_page(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    contest, voting, window = pagecache.visible_state(request, slug)
    entry = gallery_entry(contest, public_id)
    show_counts = queries.counts_visible(contest, voting, window)
    video = entry.current[0]  # type: ignore[attr-defined]  # gallery_entries prefetch
    renditions = list(video.renditions.all())
    poster = poster_url(entry)
    context = {
        "contest": contest,
        "entry": entry,
        "video": video,
        "renditions": renditions,
        "player_sources": player_sources(renditions),
        "og_image": settings.SITE_URL + poster if poster else "",
        "og_url": settings.SITE_URL + request.path,
        "window": window,
        "voting": voting,
        "count": queries.tally(contest).get(entry.pk, 0) if show_counts else None,
        "voter": current_voter(request),
        "code_request": request.session.get("voting.code_request"),
        "ref": request.GET.get("ref", "")[:16],
    }
    return render(request, "voting/entry.html", _shared_context(request, context))


@require_safe
def results(request: HttpRequest, slug: str) -> HttpResponse:
    """Valid votes per entry, the votes excluded and why; reach for the organizers.

    While a contest hides its counts nobody sees per-entry numbers, organizers
    included: they see the totals (and review held votes one by one in the queue);
    each organizer look at vote data is written to the audit log.
    """
    contest = visible_contest(request, slug)
    voting = queries.settings_for(contest)
    window = queries.voting_window(contest)
    can_manage = request.user.has_perm("contests.change_contest", contest)
    show = queries.counts_visible(contest, voting, window)
    entries = list(queries.gallery_entries(contest)) if show else []
    counts = queries.tally(contest) if show else {}
    held = queries.held_counts(contest) if show else {}
    excluded = queries.exclusions(contest) if show else {}
    reach = queries.reach(contest) if can_manage and show else {}
    labels = dict(ExclusionReason.choices)
    rows: list[dict[str, Any]] = sorted(
        (
            {
                "entry": e,
                "votes": counts.get(e.pk, 0),
                "held": held.get(e.pk, 0),
                "excluded": sum(excluded.get(e.pk, {}).values()),
                "reasons": [
                    (labels.get(r, r), n) for r, n in sorted(excluded.get(e.pk, {}).items())
                ],
                "reach": reach.get(e.pk, 0),
            }
            for e in entries
        ),
        key=lambda row: (-row["votes"], row["entry"].title),
    )
    totals = queries.totals(contest) if can_manage and not show else None
    if totals is not None:
        audit.record(
            action="voting.view_totals", target=contest, contest=contest, actor=request.user
        )
    return render(
        request,
        "voting/results.html",
        {
            "contest": contest,
            "rows": rows,
            "show": show,
            "window": window,
            "can_manage": can_manage,
            "head": queries.latest_head(contest),
            "totals": totals,
            "hidden_until_close": voting.counts == CountsVisibility.AFTER_CLOSE,
            "merge_delay": conf.get("VOTING_MERGE_DELAY"),
        },
    )


@require_POST
def share(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    """A fresh referral link for this entry, with share buttons (an htmx fragment)."""
    contest = visible_contest(request, slug)
    entry = gallery_entry(contest, public_id)
    link = domain.create_share_link(entry=entry)
    url = settings.SITE_URL + reverse("voting:shared", args=[link.code])
    return render(request, "voting/_share.html", {"entry": entry, "url": url, "link": link})


@require_safe
def shared(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """A visit through a shared link: counted as reach (not for crawlers), then on to the
    entry's page."""
    link = get_object_or_404(ShareLink.objects.select_related("contest", "entry"), code=code)
    agent = request.headers.get("User-Agent", "")
    if agent and not any(bot in agent.lower() for bot in BOTS):
        domain.record_visit(link=link, ip=client_ip(request), user_agent=agent, now=timezone.now())
    target = reverse("voting:entry", args=[link.contest.slug, link.entry.public_id])
    return HttpResponseRedirect(f"{target}?ref={link.code}")
