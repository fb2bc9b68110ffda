"""The demo's announcement: a deadline reminder to every team of the open edition,
written and delivered through the domain, so it lands in the outbox."""

from __future__ import annotations

from typing import Any

from clipcontest.contests.models import Contest

from . import domain
from .enums import Audience, Preset
from .models import Announcement


def load_demo_announcement(*, contest: Contest, by: Any) -> Announcement | None:
    """Send the Vietnamese deadline reminder once (idempotent) and deliver it now, so the
    outbox holds it even before the worker starts (the queued task then finds nothing)."""
    if Announcement.objects.filter(contest=contest).exists():
        return None
    subject, body = domain.preset_text(preset=Preset.DEADLINE, contest=contest, language="vi")
    announcement = domain.send_announcement(
        draft=domain.Draft(
            contest=contest, unit=contest.organizer_unit, audience=Audience.ALL_TEAMS
        ),
        by=by,
        subject=subject,
        body=body,
    )
    domain.deliver(announcement_id=announcement.pk)
    return announcement
