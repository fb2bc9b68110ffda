"""List pages issue the same number of queries for 1 item as for 3."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clipcontest.audit.domain import record
from clipcontest.org.models import Unit

from ..factories import ContestFactory, TeamFactory, UnitFactory

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str) -> int:
    client.get(url)  # warm per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def same_count(client: Client, url: str, add_two: Callable[[], None]) -> tuple[int, int]:
    one = queries(client, url)
    add_two()
    return one, queries(client, url)


def test_home_page_query_count_is_constant(world):
    one, three = same_count(
        Client(), "/", lambda: [ContestFactory(organizer_unit=world.province) for _ in range(2)]
    )
    assert one == three


def test_audit_page_query_count_is_constant(world):
    client = Client()
    client.force_login(world.organizer)
    record(action="x", target=world.contest, contest=world.contest, actor=world.coord_a)

    def more() -> None:
        record(action="y", target=world.contest, contest=world.contest, actor=world.organizer)
        record(action="z", target=world.team_a, contest=world.contest)

    one, three = same_count(client, f"/manage/contests/{world.contest.slug}/audit/", more)
    assert one == three


def test_unit_page_query_count_is_constant(world):
    client = Client()
    client.force_login(world.coord_a)
    h = world.province.hierarchy.slug
    url = f"/units/{h}/{world.district_a.code}/"

    def more() -> None:
        for i in range(2):
            unit: Unit = UnitFactory(parent=world.district_a, code=f"c{i}")
            TeamFactory(unit=world.district_a, name=f"Tổ {i}")
            assert unit.depth == 2

    one, three = same_count(client, url, more)
    assert one == three


def test_manage_page_query_count_is_constant(world):
    client = Client()
    client.force_login(world.organizer)
    url = f"/manage/contests/{world.contest.slug}/"

    def more() -> None:
        record(action="y", target=world.contest, contest=world.contest, actor=world.organizer)
        record(action="z", target=world.contest, contest=world.contest, actor=world.coord_b)

    record(action="x", target=world.contest, contest=world.contest, actor=world.coord_a)
    one, three = same_count(client, url, more)
    assert one == three
