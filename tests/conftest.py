from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from playwright.sync_api import Browser, Page, sync_playwright

from clipcontest.accounts.enums import Role
from clipcontest.accounts.models import User
from clipcontest.contests.models import Contest
from clipcontest.core.appendonly import TABLES as APPEND_ONLY_TABLES
from clipcontest.org.models import Team, Unit

from .factories import ContestFactory, TeamFactory, UnitFactory, UserFactory, add_member, grant

# Property tests must not depend on the machine's speed: no deadline, and no "too slow"
# health check, on a loaded CI runner as on a laptop. Loaded here, before any test module
# is imported, so every @given and every @settings(...) inherits it.
# HYPOTHESIS_PROFILE=thorough runs more examples locally.
hypothesis_settings.register_profile(
    "clipcontest",
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
hypothesis_settings.register_profile(
    "thorough", parent=hypothesis_settings.get_profile("clipcontest"), max_examples=1000
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "clipcontest"))


@pytest.fixture(autouse=True)
def _isolated_data(settings, tmp_path: Path) -> None:
    """Each test gets its own outbox and media folder; the shared cache starts empty."""
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "clipcontest.core.outbox.OutboxEmailBackend"
    cache.clear()


@pytest.fixture(autouse=True)
def _english():
    """Assertions are written against the English source strings; tests that check the
    Vietnamese UI ask for it explicitly."""
    with translation.override("en"):
        yield


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    return (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def _flushable_append_only_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let transactional tests' databases be flushed.

    Append-only tables (the audit log, the vote ledger) refuse DELETE and TRUNCATE
    with triggers: SQLite's flush deletes rows, PostgreSQL's truncates. The
    server fixtures are set up first so this teardown runs before their flush: each
    trigger is lifted, its table emptied, and the trigger put back as it was.
    """
    if not _is_transactional(request):
        yield
        return
    for name in ("live_server", "transactional_db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
    yield
    if connection.vendor == "postgresql":
        _empty_append_only_tables_on_postgres()
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        triggers = cursor.fetchall()
        for name, _table, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        for table in sorted({table for _name, table, _sql in triggers}):
            cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 - names from sqlite_master
        for _name, _table, sql in triggers:
            cursor.execute(sql)


def _empty_append_only_tables_on_postgres() -> None:
    """PostgreSQL's flush is one TRUNCATE, which the append-only tables refuse while
    they hold records: as their owner, lift that trigger, empty them, put it back."""
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        tables = [table for table in APPEND_ONLY_TABLES if table in present]
        if not tables:
            return
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER "{table}_no_truncate"')
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER "{table}_no_truncate"')


CHROMIUM = os.environ.get("CLIPCONTEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright, one per test session."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between browser steps are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="vi-VN")
    new_page = context.new_page()
    new_page.set_default_timeout(15_000)
    yield new_page
    context.close()


@dataclass
class World:
    """Two districts of one province, each with a commune and a team, and one person per
    role: the usual cast for authorization tests."""

    province: Unit
    district_a: Unit
    district_b: Unit
    commune_a: Unit
    commune_b: Unit
    team_a: Team
    team_b: Team
    contest: Contest
    admin: User
    organizer: User
    coord_a: User
    coord_commune_a: User
    coord_b: User
    member_a: User
    juror: User
    outsider: User

    def user(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


@pytest.fixture
def world(db) -> World:
    province = UnitFactory(code="51", name="Tỉnh Quảng Ngãi")
    district_a = UnitFactory(parent=province, code="528", name="Huyện Tư Nghĩa")
    district_b = UnitFactory(parent=province, code="533", name="Huyện Mộ Đức")
    commune_a = UnitFactory(parent=district_a, code="21271", name="Xã Nghĩa Điền")
    commune_b = UnitFactory(parent=district_b, code="21433", name="Xã Đức Phong")
    team_a = TeamFactory(unit=commune_a, name="Tổ CNSCĐ xã Nghĩa Điền")
    team_b = TeamFactory(unit=commune_b, name="Tổ CNSCĐ xã Đức Phong")
    contest = ContestFactory(organizer_unit=province)
    w = World(
        province=province,
        district_a=district_a,
        district_b=district_b,
        commune_a=commune_a,
        commune_b=commune_b,
        team_a=team_a,
        team_b=team_b,
        contest=contest,
        admin=UserFactory(username="admin", is_superuser=True, is_staff=True),
        organizer=UserFactory(username="organizer"),
        coord_a=UserFactory(username="coord_a"),
        coord_commune_a=UserFactory(username="coord_commune_a"),
        coord_b=UserFactory(username="coord_b"),
        member_a=UserFactory(username="member_a"),
        juror=UserFactory(username="juror"),
        outsider=UserFactory(username="outsider"),
    )
    grant(w.organizer, Role.ORGANIZER, unit=province)
    grant(w.coord_a, Role.COORDINATOR, unit=district_a)
    grant(w.coord_commune_a, Role.COORDINATOR, unit=commune_a)
    grant(w.coord_b, Role.COORDINATOR, unit=district_b)
    grant(w.juror, Role.JUROR, contest=contest)
    add_member(team_a, w.member_a, role="leader")
    return w
