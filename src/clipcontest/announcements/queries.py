"""Reading announcements: what a person received."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import Announcement


def inbox_for(user: Any) -> QuerySet[Announcement]:
    """Announcements addressed to ``user`` or to a team they belong to (newest first)."""
    return (
        Announcement.objects.filter(
            Q(recipients__user=user) | Q(recipients__team__memberships__user=user)
        )
        .select_related("contest")
        .distinct()
        .order_by("-created_at")
    )
