"""Finalists with a playable video, and solved challenges, for the voting tests."""

from __future__ import annotations

import datetime as dt

from altcha import ChallengeOptionsV1, PayloadV1, create_challenge_v1
from django.utils import timezone

from clipcontest.contests.enums import PhaseKind
from clipcontest.contests.models import Contest, Phase
from clipcontest.entries.enums import EntryStatus
from clipcontest.entries.models import Entry
from clipcontest.org.models import Team
from clipcontest.screening.enums import ScreeningState
from clipcontest.screening.models import EntryScreening, UnitScreening
from clipcontest.voting import conf
from tests.factories import add_phase, add_video


def make_entry(
    contest: Contest,
    team: Team,
    title: str = "Có Chú Minh đây rồi",
    *,
    finalist: bool = True,
    video: bool = True,
    topics: list[str] | None = None,
    slot: int = 1,
) -> Entry:
    entry = Entry.objects.create(
        contest=contest,
        team=team,
        unit=team.unit,
        title=title,
        slot=slot,
        status=EntryStatus.SUBMITTED,
        submitted_at=timezone.now(),
        topic_tags=topics or [],
        description="Giới thiệu dịch vụ công trực tuyến.",
    )
    if video:
        add_video(entry)
    if finalist:
        phase = _top_screening(contest, team)
        stage, _ = UnitScreening.objects.get_or_create(
            contest=contest, phase=phase, unit=contest.organizer_unit
        )
        EntryScreening.objects.create(
            entry=entry, stage=stage, phase=phase, state=ScreeningState.FINALIST
        )
        entry.published_at = timezone.now()  # what screening does for a finalist
        entry.save(update_fields=["published_at"])
    return entry


def _top_screening(contest: Contest, team: Team) -> Phase:
    existing = Phase.objects.filter(contest=contest, kind=PhaseKind.SCREENING).first()
    if existing:
        return existing
    start = timezone.now() - dt.timedelta(days=40)
    return add_phase(
        contest, PhaseKind.SCREENING, start, days=5, level=contest.organizer_unit.level, quota=10
    )


def open_voting(contest: Contest, *, days_before: int = 1, days: int = 10) -> Phase:
    return add_phase(
        contest, PhaseKind.VOTING, timezone.now() - dt.timedelta(days=days_before), days=days
    )


def solved(max_number: int | None = None, *, expires_in: int = 300) -> str:
    """A correctly solved, signed challenge payload (as the browser would send it)."""
    number = 7
    challenge = create_challenge_v1(
        ChallengeOptionsV1(
            algorithm="SHA-256",
            max_number=max_number or 1000,
            hmac_key=conf.key(),
            number=number,
            expires=timezone.now() + dt.timedelta(seconds=expires_in),
        )
    )
    return PayloadV1(
        challenge.algorithm, challenge.challenge, number, challenge.salt, challenge.signature
    ).to_base64()
