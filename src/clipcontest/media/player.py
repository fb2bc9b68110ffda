"""What the shared player (entries/_player.html, media/static/media/player.js) needs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.templatetags.static import static
from django.urls import reverse

from .models import Rendition

#: hls.js, vendored by scripts/vendor-hls-js.sh; loaded only where HLS is not native
HLS_LIBRARY = "media/vendor/hls.js/hls.light.min.js"


def player_sources(renditions: Iterable[Rendition]) -> list[dict[str, Any]]:
    """One ``mp4`` source per rendition (lowest first), then one ``hls`` source when
    every rendition has its HLS variant: the player streams that one adaptively where
    it can, and falls back to picking an MP4 that fits the connection."""
    items = list(renditions)
    sources: list[dict[str, Any]] = [
        {
            "kind": "mp4",
            "label": r.label,
            "width": r.width,
            "height": r.height,
            "kbps": r.video_kbps + r.audio_kbps,
            "src": reverse("media:rendition", args=[r.video_id, r.label]),
        }
        for r in items
    ]
    if items and all(r.hls for r in items):
        top = max(items, key=lambda r: r.height * r.width)
        sources.append(
            {
                "kind": "hls",
                "label": "auto",
                "width": top.width,
                "height": top.height,
                "kbps": top.video_kbps + top.audio_kbps,
                "src": reverse("media:hls_master", args=[top.video_id]),
                "library": static(HLS_LIBRARY),
            }
        )
    return sources
