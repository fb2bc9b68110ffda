"""The demo's published result: the real 2023 outcome, reproducible and idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from clipcontest.accounts.models import User
from clipcontest.demo.loader import load_demo
from clipcontest.entries.models import Entry
from clipcontest.results.demo import load_demo_judging
from clipcontest.results.models import Award, Publication
from tests.judging.factories import make_finalist

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

FIRST = "Giải Nhất toàn diện"
QUALITY = "Tác phẩm đạt chất lượng cao về truyền thông"


@pytest.fixture
def demo():
    result = load_demo()
    for team, title in result.teams:
        if not Entry.objects.filter(contest=result.contest, title=title).exists():
            make_finalist(result.contest, team, title)
    return result


def _winners(publication: Publication, tier: str) -> set[str]:
    return set(
        Award.objects.filter(publication=publication, tier__name=tier).values_list(
            "entry__team__unit__name", flat=True
        )
    )


def test_demo_judging_matches_the_2023_outcome(demo):
    organizer = User.objects.get(username="bantochuc")
    publication = load_demo_judging(contest=demo.contest, by=organizer)
    assert _winners(publication, FIRST) == {"Xã Nghĩa Điền"}
    assert _winners(publication, QUALITY) == {
        "Phường Phổ Hòa",
        "Xã Đức Phong",
        "Thôn Kỳ Thọ Nam 2",
        "Xã Nghĩa Điền",
    }
    assert publication.computation.count('["J5",') == 21


def test_demo_judging_is_idempotent(demo):
    organizer = User.objects.get(username="bantochuc")
    first = load_demo_judging(contest=demo.contest, by=organizer)
    second = load_demo_judging(contest=demo.contest, by=organizer)
    assert (second.pk, Publication.objects.count()) == (first.pk, 1)


def test_results_command_reports_match_for_the_demo(demo):
    organizer = User.objects.get(username="bantochuc")
    publication = load_demo_judging(contest=demo.contest, by=organizer)
    out = StringIO()
    call_command("results", "--contest", demo.contest.slug, stdout=out)
    assert "MATCH" in out.getvalue()
    assert publication.sha256 in out.getvalue()
