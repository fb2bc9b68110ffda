"""Reusable entry querysets."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from .enums import EntryStatus
from .models import Entry


def with_current_video(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """Entries with their current video (and its renditions) in two extra queries."""
    from clipcontest.media.models import Video

    current = Video.objects.filter(is_current=True).prefetch_related("renditions")
    return entries.prefetch_related(Prefetch("videos", queryset=current, to_attr="current"))


def team_entries(user: Any, contest: Any) -> QuerySet[Entry]:
    """The user's teams' entries in a contest, newest first."""
    return with_current_video(
        Entry.objects.filter(contest=contest, team__memberships__user=user)
        .exclude(status=EntryStatus.WITHDRAWN)
        .select_related("team", "unit", "contest")
    ).distinct()
