"""Background jobs for contests."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from clipcontest.audit.context import acting

from .domain import sync_phase_states


@db_periodic_task(crontab(minute="*"))
def advance_phases() -> int:
    """Every minute: open and close phases whose dates have come (idempotent)."""
    with acting(via="worker"):
        return sync_phase_states(now=timezone.now())
