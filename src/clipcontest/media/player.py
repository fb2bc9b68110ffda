"""What the shared player (entries/_player.html, media/static/media/player.js) needs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from .models import Rendition


def player_sources(renditions: Iterable[Rendition]) -> list[dict[str, Any]]:
    """One source per rendition: the player picks one that fits the connection."""
    return [
        {
            "label": r.label,
            "width": r.width,
            "height": r.height,
            "kbps": r.video_kbps + r.audio_kbps,
            "src": reverse("media:rendition", args=[r.video_id, r.label]),
        }
        for r in renditions
    ]
