from __future__ import annotations

import pytest
from django.db import connection

from clipcontest.core.appendonly import sqlite_create, sqlite_drop
from clipcontest.voting.models import Voter

from .factories import make_entry, open_voting


@pytest.fixture
def voting(world):
    """The world's contest with voting open and two finalists (one per team)."""
    open_voting(world.contest)
    world.entry_a = make_entry(
        world.contest, world.team_a, "Xã Nghĩa Điền không dùng tiền mặt", topics=["dịch vụ công"]
    )
    world.entry_b = make_entry(
        world.contest, world.team_b, "Đức Phong năng động", topics=["thanh toán"]
    )
    return world


@pytest.fixture
def voter(db) -> Voter:
    return Voter.objects.create(kind="email", identity_hash="a" * 64, email_domain="example.org")


def _sqlite_triggers(create: bool) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in ("voting_logleaf", "voting_treehead"):
            for statement in sqlite_create(table) if create else sqlite_drop(table):
                cursor.execute(statement)


@pytest.fixture
def append_only(db) -> None:
    """The vote log's triggers in place (a transactional test may have lifted them)."""
    _sqlite_triggers(True)
