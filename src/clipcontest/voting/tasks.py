"""Housekeeping (forget expired codes and spent challenges) and the sequencer's runs.

Every task is idempotent and takes ids: sealing twice seals nothing the second time.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from clipcontest.contests.models import Contest

from . import challenge, conf, sealing
from .models import VerificationCode


@db_periodic_task(crontab(minute="*/15"))
def purge_expired() -> None:
    now = timezone.now()
    challenge.purge(now=now)
    VerificationCode.objects.filter(expires_at__lt=now - dt.timedelta(hours=1)).delete()


def _kick_key(contest_id: int) -> str:
    return f"voting:seal-kick:{contest_id}"


def kick(contest_id: int) -> None:
    """Ask for a seal of ``contest_id`` soon; call after a vote's commit.

    Many votes in the same moment enqueue one run: the key is taken until that run
    starts (then a vote committed later kicks again); it expires after the merge delay
    so a lost run cannot stop later kicks.
    """
    if cache.add(_kick_key(contest_id), 1, timeout=conf.get("VOTING_MERGE_DELAY")):
        seal_contest(contest_id)


@db_task()
def seal_contest(contest_id: int) -> None:
    cache.delete(_kick_key(contest_id))
    contest = Contest.objects.filter(pk=contest_id).first()
    if contest is not None:
        sealing.seal(contest=contest)


@db_task()
def seal_all() -> None:
    """Seal every contest with something pending and alert organizers whose log is
    behind the merge delay (the safety net when a kick was lost to a crash)."""
    for contest in Contest.objects.filter(pk__in=sealing.pending_contests()):
        sealing.check_lag(contest=contest)
        sealing.seal(contest=contest)


@db_periodic_task(crontab(minute="*"))
def sweep() -> None:
    """Huey looks at periodic tasks once a minute: schedule sweeps across the minute so
    the safety net runs well within the merge delay."""
    step = max(1, min(60, conf.get("VOTING_MERGE_DELAY") // 2))
    for delay in range(0, 60, step):
        seal_all.schedule(delay=delay)


@HUEY.on_startup()
def seal_on_start() -> None:
    """A restarted worker seals what a crash left behind before anything else."""
    if not HUEY.immediate:
        seal_all()
