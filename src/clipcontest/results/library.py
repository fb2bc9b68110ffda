"""The winners' library: what a visitor may see, watch, download and embed.

Only entries of contests with published results are shown. Renditions are served by
this app (the entry itself may not be public in the entries app); the original only
when the team's licence lets anyone reuse it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import escape

from clipcontest.entries.enums import Licence
from clipcontest.entries.models import Entry
from clipcontest.media.models import Video

from .models import Award, LibraryItem, Publication

#: Licences under which anyone may download and reuse the original file.
OPEN_LICENCES = (Licence.CC_BY, Licence.CC_BY_NC)


def filter_items(
    items: QuerySet[LibraryItem], *, contest: str = "", unit: str = "", topic: str = ""
) -> list[LibraryItem]:
    if contest:
        items = items.filter(contest__slug=contest)
    if unit:
        items = items.filter(entry__unit__name__icontains=unit)
    rows = list(items)
    if topic:
        wanted = topic.casefold()
        rows = [i for i in rows if any(str(t).casefold() == wanted for t in i.entry.topic_tags)]
    return rows


def current_video(entry: Entry) -> Any:
    return Video.objects.current_of(entry)


def prizes_of(entries: list[int]) -> dict[int, list[str]]:
    latest: dict[int, int] = {}
    for pub in Publication.objects.order_by("contest_id", "version").values("contest_id", "pk"):
        latest[pub["contest_id"]] = pub["pk"]
    out: dict[int, list[str]] = {}
    awards = Award.objects.filter(publication_id__in=latest.values(), entry_id__in=entries)
    for a in awards.select_related("tier").order_by("tier__position"):
        out.setdefault(a.entry_id, []).append(a.tier.name)
    return out


def item_cards(request: HttpRequest, items: list[LibraryItem]) -> list[dict[str, Any]]:
    """Cards for many items in a fixed number of queries (current videos with their
    renditions, and prizes, each fetched once for all items)."""
    entries = [i.entry for i in items]
    videos = {
        v.entry_id: v
        for v in Video.objects.filter(entry__in=entries, is_current=True).prefetch_related(
            "renditions"
        )
    }
    prizes = prizes_of([e.pk for e in entries])
    return [_card(request, i, videos.get(i.entry_id), prizes.get(i.entry_id, [])) for i in items]


def item_card(request: HttpRequest, item: LibraryItem) -> dict[str, Any]:
    return item_cards(request, [item])[0]


def _card(
    request: HttpRequest, item: LibraryItem, video: Video | None, prizes: list[str]
) -> dict[str, Any]:
    entry = item.entry
    renditions = list(video.renditions.all()) if video else []
    pid = entry.public_id
    embed_url = request.build_absolute_uri(reverse("results:library_embed", args=[pid]))
    return {
        "public_id": str(pid),
        "title": entry.title,
        "team": entry.team.name,
        "unit": entry.unit.name,
        "contest": item.contest.slug,
        "edition": item.contest.edition,
        "topics": [str(t) for t in entry.topic_tags],
        "licence": entry.licence,
        "is_winner": item.is_winner,
        "prizes": prizes,
        "renditions": {
            r.label: request.build_absolute_uri(
                reverse("results:library_rendition", args=[pid, r.label])
            )
            for r in renditions
        },
        "original": request.build_absolute_uri(reverse("results:library_original", args=[pid]))
        if video and entry.licence in OPEN_LICENCES
        else None,
        "embed": (
            f'<iframe src="{escape(embed_url)}" width="640" height="360" '
            f'title="{escape(entry.title)}" allow="fullscreen" loading="lazy"></iframe>'
        ),
    }
