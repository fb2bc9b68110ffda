"""A published result is a commitment (issue 9, cases 2 and 6): its prize tiers are
read-only and the phases that led to it cannot move until it is withdrawn."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from clipcontest.contests.models import PrizeTier
from clipcontest.results import domain
from tests.api.test_api import bearer
from tests.judging.factories import submit

from .test_domain import scored  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
READ_ONLY = (
    "Prizes were awarded in the published result (version 1): the prize tiers are read-only now."
)


@pytest.fixture
def published(scored):  # noqa: F811
    world, r, _a, b = scored
    submit(r, world.juror, b, 6)
    domain.publish_results(contest=world.contest, by=world.organizer)
    return world


def test_api_put_prizes_empty_after_publication_is_409_read_only(published):
    world = published
    client = Client(**bearer(world.organizer), **EN)

    response = client.put(
        f"/api/v1/contests/{world.contest.slug}/prizes", "[]", content_type="application/json"
    )

    assert response.status_code == 409
    assert response.json() == {"code": "conflict", "messages": [READ_ONLY]}
    assert list(PrizeTier.objects.values_list("name", flat=True)) == ["Giải Nhất toàn diện"]


def test_prizes_page_after_publication_is_read_only_and_resave_refused(published):
    world = published
    client = Client(**EN)
    client.force_login(world.organizer)
    url = f"/manage/contests/{world.contest.slug}/prizes/"
    form = {
        "prizes-TOTAL_FORMS": "1",
        "prizes-INITIAL_FORMS": "1",
        "prizes-0-name": "Giải Nhất toàn diện",
        "prizes-0-kind": "jury",
        "prizes-0-count": "1",
        "prizes-0-reward": "",
    }

    page = client.get(url)
    resaved = client.post(url, form)

    assert (page.status_code, page.context["locked"]) == (200, READ_ONLY)
    assert 'data-testid="prizes-locked"' in page.content.decode()
    assert (resaved.status_code, resaved.context["errors"]) == (200, [READ_ONLY])
    assert list(PrizeTier.objects.values_list("pk", "name")) == [
        (world.contest.prize_tiers.get().pk, "Giải Nhất toàn diện")
    ]


def test_api_put_timeline_unknown_phase_kind_is_422_on_the_field(world):
    client = Client(**bearer(world.organizer), **EN)
    start = dt.datetime(2030, 3, 1, tzinfo=dt.UTC)
    phases = [
        {
            "kind": "submission",
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(days=5)).isoformat(),
        },
        {
            "kind": "party",
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(days=1)).isoformat(),
        },
    ]

    response = client.put(
        f"/api/v1/contests/{world.contest.slug}/timeline",
        json.dumps(phases),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "field": "kind",
        "messages": [
            "Unknown kind of phase: party. Known kinds: submission, screening, voting, "
            "judging, results."
        ],
    }
    assert world.contest.phases.count() == 0
