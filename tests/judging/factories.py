"""Factories for judging and results tests: finalists, a rubric, rounds and cards.

Finalists are made the way the screening app records them: an EntryScreening in the
FINALIST state at the top screening level (the organizer's unit).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from clipcontest.contests.enums import PhaseKind
from clipcontest.contests.models import Contest, Phase
from clipcontest.entries.enums import EntryStatus
from clipcontest.entries.models import Author, Entry
from clipcontest.judging import domain
from clipcontest.judging.models import JuryRound
from clipcontest.org.models import Team
from clipcontest.screening.enums import ScreeningState
from clipcontest.screening.models import EntryScreening, UnitScreening


def top_stage(contest: Contest) -> UnitScreening:
    unit = contest.organizer_unit
    start = timezone.now() - dt.timedelta(days=30)
    phase, _ = Phase.objects.get_or_create(
        contest=contest,
        kind=PhaseKind.SCREENING,
        level=unit.level,
        defaults={"starts_at": start, "ends_at": start + dt.timedelta(days=5), "quota": 50},
    )
    stage, _ = UnitScreening.objects.get_or_create(contest=contest, phase=phase, unit=unit)
    return stage


def make_entry(
    contest: Contest, team: Team, title: str, *, slot: int | None = None, **extra: Any
) -> Entry:
    slot = slot or Entry.objects.filter(contest=contest, team=team).count() + 1
    entry = Entry.objects.create(
        contest=contest,
        team=team,
        unit=team.unit,
        title=title,
        slot=slot,
        status=EntryStatus.SUBMITTED,
        submitted_at=timezone.now(),
        **extra,
    )
    return entry


def make_finalist(
    contest: Contest, team: Team, title: str, *, author: str = "", **extra: Any
) -> Entry:
    entry = make_entry(contest, team, title, **extra)
    if author:
        Author.objects.create(entry=entry, position=1, name=author, role="director")
    stage = top_stage(contest)
    EntryScreening.objects.create(
        entry=entry, stage=stage, phase=stage.phase, state=ScreeningState.FINALIST
    )
    entry.published_at = timezone.now()  # what screening does for a finalist
    entry.save(update_fields=["published_at"])
    return entry


def open_round(contest: Contest, by: Any, **kwargs: Any) -> JuryRound:
    domain.ensure_rubric(contest=contest, by=by)
    jury_round = domain.create_round(contest=contest, by=by, name="Final", **kwargs)
    domain.assign_round(round=jury_round, by=by, seed=kwargs.get("seed") or "s")
    return domain.open_round(round=jury_round, by=by)


def full_scores(contest: Contest, value: Any) -> dict[int, Decimal]:
    rubric = contest.rubric
    values = value if isinstance(value, list | tuple) else [value] * rubric.criteria.count()
    return {
        c.pk: Decimal(str(v))
        for c, v in zip(rubric.criteria.order_by("position"), values, strict=True)
    }


def submit(jury_round: JuryRound, juror: Any, entry: Entry, value: Any) -> Any:
    return domain.save_scorecard(
        round=jury_round,
        juror=juror,
        entry=entry,
        scores=full_scores(jury_round.contest, value),
        submit=True,
    )
