"""The public results page and the winners' library cost the same number of queries
for one finalist as for three."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clipcontest.accounts.enums import Role
from clipcontest.contests.models import PrizeTier
from clipcontest.results import domain
from tests.factories import ContestFactory, TeamFactory, grant
from tests.judging.factories import make_finalist, open_round, submit

pytestmark = pytest.mark.django_db


def published_contest(world, n: int):
    contest = ContestFactory(organizer_unit=world.province)
    grant(world.juror, Role.JUROR, contest=contest)
    PrizeTier.objects.create(contest=contest, position=1, name="Giải Nhất toàn diện")
    entries = [
        make_finalist(contest, TeamFactory(unit=world.commune_a), f"Tác phẩm {i}") for i in range(n)
    ]
    jury_round = open_round(contest, world.organizer)
    for i, entry in enumerate(entries):
        submit(jury_round, world.juror, entry, 9 - i)
    domain.publish_results(contest=contest, by=world.organizer)
    return contest


def queries(url: str) -> int:
    client = Client()
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_public_results_query_count_is_constant(world):
    one = published_contest(world, 1)
    three = published_contest(world, 3)
    assert queries(f"/contests/{one.slug}/results/") == queries(f"/contests/{three.slug}/results/")


def test_library_query_count_is_constant(world):
    published_contest(world, 1)
    first = queries("/library/")
    published_contest(world, 3)
    assert queries("/library/") == first
