from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import translation

from clipcontest.accounts.enums import Role
from clipcontest.accounts.models import User
from clipcontest.contests.models import Contest
from clipcontest.org.models import Team, Unit

from .factories import ContestFactory, TeamFactory, UnitFactory, UserFactory, add_member, grant


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
