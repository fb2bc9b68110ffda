from __future__ import annotations

import pytest

from clipcontest.entries.demo import load_demo_entries
from clipcontest.entries.enums import EntryStatus
from clipcontest.media.domain import plan_for
from clipcontest.media.enums import VideoStatus
from clipcontest.media.models import Video

pytestmark = pytest.mark.slow


def test_load_demo_entries_makes_playable_distinct_clips_once(world):
    pairs = [(world.team_a, "Nông thôn số"), (world.team_b, "Chợ 4.0")]

    first = load_demo_entries(contest=world.contest, teams_and_titles=pairs, by=world.admin)
    again = load_demo_entries(contest=world.contest, teams_and_titles=pairs, by=world.admin)

    videos = Video.objects.filter(is_current=True).order_by("entry__title")
    assert [e.pk for e in first] == [e.pk for e in again]
    assert [e.status for e in first] == [EntryStatus.SUBMITTED] * 2
    assert Video.objects.count() == 2
    assert [v.status for v in videos] == [VideoStatus.READY] * 2
    # The rungs the capped ladder plans for each small demo clip (a rung adding too few
    # bits over the one below is dropped), all of them made.
    assert [sorted(v.renditions.values_list("label", flat=True)) for v in videos] == [
        sorted(r.label for r in plan_for(v)) for v in videos
    ]
    assert all(v.renditions.exists() for v in videos)
    assert videos[0].sha256 != videos[1].sha256
