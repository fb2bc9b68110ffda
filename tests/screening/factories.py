"""Helpers for screening tests: submitted entries with a video in a chosen state, and
screening chains at fixed dates (tests move the clock with time-machine)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from clipcontest.contests.enums import PhaseKind
from clipcontest.contests.models import Contest, Phase
from clipcontest.entries.enums import EntryStatus
from clipcontest.entries.models import Entry
from clipcontest.media.enums import VideoStatus
from clipcontest.org.models import Level, Team
from tests.factories import add_phase, add_video

#: Screening opens at T0; each level lasts a week, bottom-up.
T0 = dt.datetime(2030, 3, 1, 1, 0, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)

_titles = itertools.count(1)


def submitted_entry(
    contest: Contest,
    team: Team,
    *,
    title: str = "",
    video: str | None = VideoStatus.READY,
    slot: int | None = None,
) -> Entry:
    """A submitted entry of ``team`` (made directly with the models: the entries app's
    functions check the submission dates) with its current video in state ``video``."""
    used = Entry.objects.filter(contest=contest, team=team).count()
    entry = Entry.objects.create(
        contest=contest,
        team=team,
        unit=team.unit,
        title=title or f"Tác phẩm {next(_titles)}",
        status=EntryStatus.SUBMITTED,
        slot=slot or used + 1,
        consent_people_shown=True,
        submitted_at=T0 - dt.timedelta(days=1),
    )
    if video is not None:
        add_video(entry, video)
    return entry


def screening_chain(
    contest: Contest, levels: list[tuple[Level, int]], *, start: dt.datetime = T0
) -> list[Phase]:
    """Submission before ``start``, then one screening week per level (bottom-up, as
    given), then results."""
    add_phase(contest, PhaseKind.SUBMISSION, start - dt.timedelta(days=30), days=30)
    phases = []
    for i, (level, quota) in enumerate(levels):
        phases.append(
            add_phase(
                contest, PhaseKind.SCREENING, start + i * WEEK, days=7, level=level, quota=quota
            )
        )
    add_phase(contest, PhaseKind.RESULTS, start + len(levels) * WEEK, days=30)
    return phases


def during(phase: Phase, hours: int = 1) -> dt.datetime:
    return phase.starts_at + dt.timedelta(hours=hours)


def now() -> dt.datetime:
    return timezone.now()
