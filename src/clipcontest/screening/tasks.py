"""Background jobs for screening: the clock (entering, locking) and the e-mails."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from clipcontest.audit.context import acting


@db_periodic_task(crontab(minute="*"))
def advance_screening() -> int:
    """Every minute: enter newly eligible entries, lock units past their deadline."""
    from .domain import run_clock

    with acting(via="worker"):
        return run_clock(now=timezone.now())


@db_task()
def send_screening_notices(decision_ids: list[int]) -> int:
    """E-mail the teams (or coordinators) about these decisions; idempotent."""
    from .notify import send_notices

    with acting(via="worker"):
        return send_notices(decision_ids=decision_ids)
