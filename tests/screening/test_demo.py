from __future__ import annotations

import pytest

from clipcontest.demo.loader import load_demo
from clipcontest.entries.models import Entry
from clipcontest.screening.demo import load_demo_screening
from clipcontest.screening.enums import DecisionKind, ScreeningState
from clipcontest.screening.models import EntryScreening, ScreeningDecision, UnitScreening

from .factories import submitted_entry

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def demo():
    """The demo contest with its 21 works submitted (made here with stand-in videos; the
    real demo uses ``entries.demo``)."""
    result = load_demo()
    for team, title in result.teams:
        submitted_entry(result.contest, team, title=title)
    return result


def test_demo_screening_reproduces_the_2023_outcome(demo):
    organizer = demo.contest.created_by
    outcome = load_demo_screening(contest=demo.contest, by=organizer)
    assert outcome.entered == 25
    assert outcome.district_units == 13
    assert outcome.district_units_forwarded == 12
    assert outcome.finalists == 21
    assert outcome.rejected == 4
    finalists = EntryScreening.objects.filter(
        state=ScreeningState.FINALIST, entry__contest=demo.contest
    )
    assert {i.entry.title for i in finalists} == {title for _team, title in demo.teams}
    rejected = ScreeningDecision.objects.filter(
        kind=DecisionKind.REJECTED, entry__contest=demo.contest
    ).select_related("phase__level")
    assert sorted((d.phase.level.name, bool(d.reason)) for d in rejected) == [
        ("huyện", True),
        ("huyện", True),
        ("xã", True),
        ("xã", True),
    ]
    ly_son = UnitScreening.objects.filter(unit__code="536").count()
    assert ly_son == 0


def test_demo_screening_is_idempotent(demo):
    organizer = demo.contest.created_by
    first = load_demo_screening(contest=demo.contest, by=organizer)
    entries = Entry.objects.count()
    decisions = ScreeningDecision.objects.count()
    assert load_demo_screening(contest=demo.contest, by=organizer) == first
    assert (Entry.objects.count(), ScreeningDecision.objects.count()) == (entries, decisions)


def test_demo_commune_decisions_are_taken_by_the_commune_coordinator(demo):
    load_demo_screening(contest=demo.contest, by=demo.contest.created_by)
    stage = UnitScreening.objects.get(contest=demo.contest, unit__code="21271")
    assert stage.signed_off_by.username == "dieuphoi.nghiadien"
    district = UnitScreening.objects.get(contest=demo.contest, unit__code="528")
    assert district.signed_off_by.username == "dieuphoi.tunghia"
    assert district.forwarded_count == 3
