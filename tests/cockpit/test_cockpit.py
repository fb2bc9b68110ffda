"""The organizer's cockpit: the numbers it draws equal the domain's counts, per-entry
votes stay hidden while the contest hides them, and what needs attention is listed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from clipcontest.audit.models import AuditEvent
from clipcontest.cockpit import pictures
from clipcontest.cockpit.attention import context_for
from clipcontest.cockpit.queries import cockpit_for
from clipcontest.judging.queries import progress_by_juror
from clipcontest.screening.enums import ScreeningState
from clipcontest.screening.queries import level_state_counts
from clipcontest.voting import sealing
from clipcontest.voting.enums import CountsVisibility, VoteState
from clipcontest.voting.models import Vote, Voter, VotingSettings
from clipcontest.voting.queries import tally
from tests.judging.factories import open_round, submit
from tests.screening.conftest import screening  # noqa: F401 - fixture
from tests.screening.factories import during
from tests.voting.factories import make_entry, open_voting

from ..factories import UserFactory, grant

pytestmark = pytest.mark.django_db

DRAWN = re.compile(r'data-row="([^"]*)" data-kind="(\w+)" data-value="(\d+)"')


def _drawn(picture) -> dict[tuple[str, str], int]:
    return {(row, kind): int(v) for row, kind, v in DRAWN.findall(str(picture.svg))}


def _picture(contest, key):
    found = [p for p in pictures.pictures_for(cockpit_for(contest)) if p.key == key]
    return found[0] if found else None


def _votes(world, entries, states_by_hour):
    """Votes cast at given hours ago, in given states (one voter each)."""
    now = timezone.now().replace(minute=30)
    for n, (hours_ago, entry, state) in enumerate(states_by_hour, start=1):
        voter = Voter.objects.create(
            kind="email", identity_hash=f"{n:064x}", email_domain="example.org"
        )
        Vote.objects.create(
            contest=world.contest,
            entry=entries[entry],
            voter=voter,
            cast_at=now - dt.timedelta(hours=hours_ago),
            state=state,
        )


@pytest.fixture
def voted(world):
    open_voting(world.contest)
    a = make_entry(world.contest, world.team_a, "Nghĩa Điền số")
    b = make_entry(world.contest, world.team_b, "Đức Phong năng động")
    _votes(
        world,
        [a, b],
        [
            (5, 0, VoteState.VALID),
            (5, 1, VoteState.VALID),
            (3, 0, VoteState.VALID),
            (3, 0, VoteState.HELD),
            (3, 1, VoteState.HELD),
            (3, 1, VoteState.INVALID),
            (1, 1, VoteState.VALID),
        ],
    )
    return world


def test_votes_over_time_draw_the_domain_counts_per_state(voted):
    picture = _picture(voted.contest, "votes-time")
    drawn = _drawn(picture)
    by_kind = {k: sum(v for (_row, kind), v in drawn.items() if kind == k) for k in VoteState}
    assert by_kind == {
        VoteState.VALID: Vote.objects.filter(state=VoteState.VALID).count(),
        VoteState.HELD: Vote.objects.filter(state=VoteState.HELD).count(),
        VoteState.INVALID: Vote.objects.filter(state=VoteState.INVALID).count(),
    }
    assert [c.total for c in picture.chart.columns] == [2, 0, 4, 0, 1]
    assert [c.marked for c in picture.chart.columns] == [False, False, True, False, False]


def test_votes_per_entry_draw_the_tally_when_counts_are_live(voted):
    VotingSettings.objects.create(contest=voted.contest, counts=CountsVisibility.LIVE)
    sealing.seal(contest=voted.contest)
    assert tally(voted.contest) != {}
    drawn = _drawn(_picture(voted.contest, "votes-entry"))
    titles = dict(voted.contest.entries.values_list("pk", "title"))
    assert drawn == {(titles[pk], "valid"): n for pk, n in tally(voted.contest).items()}


def test_votes_per_entry_stay_hidden_while_the_contest_hides_counts(voted):
    VotingSettings.objects.create(contest=voted.contest, counts=CountsVisibility.AFTER_CLOSE)
    assert _picture(voted.contest, "votes-entry") is None
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(voted.organizer)
    html = client.get(f"/manage/contests/{voted.contest.slug}/").content.decode()
    assert 'id="chart-votes-entry"' not in html
    assert "Nghĩa Điền số" not in html
    assert "Votes per entry stay hidden until voting closes" in html
    assert (
        AuditEvent.objects.filter(action="voting.view_totals", actor=voted.organizer).count() == 1
    )


def test_held_votes_are_listed_as_needing_attention(voted):
    texts = [(a.text, a.url) for a in context_for(voted.contest)["attention"]]
    assert texts == [("2 votes await review", f"/manage/contests/{voted.contest.slug}/votes/")]


def test_screening_chart_draws_the_level_counts_per_unit(world, screening):  # noqa: F811
    with time_machine.travel(during(screening.commune), tick=False):
        picture = _picture(world.contest, "screening")
        cockpit = cockpit_for(world.contest)
    counts = level_state_counts(screening.commune)
    assert sum(sum(c.values()) for c in counts.values()) == 3
    assert _drawn(picture) == {
        ("Xã Nghĩa Điền", "pending"): 1,
        ("Xã Nghĩa Thắng", "pending"): 1,
        ("Xã Đức Phong", "pending"): 1,
    }
    assert [(lvl.arrived, lvl.pending) for lvl in cockpit.levels] == [(3, 3), (0, 0), (0, 0)]
    assert ScreeningState.PENDING in {s for c in counts.values() for s in c}


def test_jury_chart_draws_progress_per_juror(world):
    entries = [
        make_entry(world.contest, t, f"Tác phẩm {t.pk}") for t in (world.team_a, world.team_b)
    ]
    grant(UserFactory(username="juror2"), "juror", contest=world.contest)
    jury_round = open_round(world.contest, world.organizer)
    submit(jury_round, world.juror, entries[0], 7)
    drawn = _drawn(_picture(world.contest, "jury"))
    expected = {}
    for p in progress_by_juror(jury_round):
        expected[(p.label, "passed")] = p.submitted
        expected[(p.label, "missing")] = p.assigned - p.submitted - p.drafts
    assert drawn == {k: v for k, v in expected.items() if v}
    assert drawn[(str(world.juror), "passed")] == 1


def test_organizer_page_shows_the_funnel_and_charts(voted):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(voted.organizer)
    html = client.get(f"/manage/contests/{voted.contest.slug}/").content.decode()
    assert "At a glance" in html
    assert 'id="chart-votes-time"' in html
    assert '<table class="table" data-chart="votes-time">' in html


def test_cockpit_is_for_organizers_only(voted):
    client = Client()
    client.force_login(voted.coord_a)
    assert client.get(f"/manage/contests/{voted.contest.slug}/").status_code == 403
