"""The demo is live when loaded: a newcomer can shortlist and forward, vote, and score
right away, and every demo work plays a clip of its own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from clipcontest.accounts.models import User
from clipcontest.contests.enums import PhaseKind
from clipcontest.demo import live
from clipcontest.demo.loader import load_demo
from clipcontest.entries.models import Entry
from clipcontest.judging.enums import RoundState
from clipcontest.judging.models import Assignment, JuryRound
from clipcontest.media.models import Video
from clipcontest.screening import domain as screening
from clipcontest.screening.enums import ScreeningState
from clipcontest.screening.models import EntryScreening
from clipcontest.voting.queries import gallery_entries, voting_window

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _open_phase(contest) -> str:
    now = timezone.now()
    (phase,) = [p for p in contest.phases.all() if p.starts_at <= now < p.ends_at]
    return str(phase)


def test_demo_editions_are_live_and_every_flow_can_be_tried():
    result = load_demo()
    slugs = [slug for slug, _what in result.live]
    assert slugs == [live.SCREENING, live.VOTING, live.JUDGING]
    contests = {c.slug: c for c in [e for e in _contests(slugs)]}

    # Screening: the district level is open and Tư Nghĩa's coordinator has works to decide.
    contest = contests[live.SCREENING]
    assert _open_phase(contest) == "screening: huyện"
    coordinator = User.objects.get(username="dieuphoi.tunghia")
    waiting = EntryScreening.objects.filter(
        entry__contest=contest,
        phase__level__name="huyện",
        stage__unit__code=live.DISTRICT_TU_NGHIA,
        state=ScreeningState.PENDING,
    )
    assert waiting.count() >= 2
    item = waiting.select_related("entry", "stage__unit").first()
    screening.shortlist_entry(entry=item.entry, unit=item.stage.unit, by=coordinator)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    assert client.get(f"/contests/{contest.slug}/").status_code == 200

    # Voting: open now, four finalists in the gallery.
    contest = contests[live.VOTING]
    assert voting_window(contest).is_open
    assert gallery_entries(contest).count() == 4

    # Jury: a round open now with giamkhao1's assignments.
    contest = contests[live.JUDGING]
    assert _open_phase(contest) == "judging"
    jury_round = JuryRound.objects.get(contest=contest)
    assert jury_round.state == RoundState.OPEN
    juror = User.objects.get(username="giamkhao1")
    assert Assignment.objects.filter(round=jury_round, juror=juror).count() == 3

    # Every demo work, of every edition, plays a clip of its own.
    videos = Video.objects.filter(is_current=True)
    assert videos.count() == Entry.objects.count()
    assert len(set(videos.values_list("sha256", flat=True))) == videos.count()
    assert contest.phases.filter(kind=PhaseKind.JUDGING).count() == 1


def _contests(slugs):
    from clipcontest.contests.models import Contest

    return Contest.objects.filter(slug__in=slugs).prefetch_related("phases")
