from __future__ import annotations

from dataclasses import dataclass

import pytest
import time_machine

from clipcontest.accounts.enums import Role
from clipcontest.accounts.models import User
from clipcontest.contests.models import Phase
from clipcontest.entries.models import Entry
from clipcontest.org.models import Team, Unit
from clipcontest.screening import domain
from tests.factories import TeamFactory, UnitFactory, UserFactory, grant, level_for

from .factories import during, screening_chain, submitted_entry


@dataclass
class Screening:
    """The world's contest with the 2023 chain xã (quota 2) → huyện (3) → tỉnh (21), a
    sibling commune in district A with its own coordinator, a coordinator for commune B,
    and entries that entered screening at their communes."""

    commune: Phase
    district: Phase
    province: Phase
    commune_a2: Unit
    team_a2: Team
    coord_commune_a2: User
    coord_commune_b: User
    entry_a: Entry
    entry_a2: Entry
    entry_b: Entry


@pytest.fixture
def screening(world) -> Screening:
    hierarchy = world.province.hierarchy
    commune, district, province = screening_chain(
        world.contest,
        [(level_for(hierarchy, 2), 2), (level_for(hierarchy, 1), 3), (level_for(hierarchy, 0), 21)],
    )
    commune_a2 = UnitFactory(parent=world.district_a, code="21274", name="Xã Nghĩa Thắng")
    team_a2 = TeamFactory(unit=commune_a2, name="Tổ CNSCĐ xã Nghĩa Thắng")
    coord_a2 = UserFactory(username="coord_commune_a2")
    grant(coord_a2, Role.COORDINATOR, unit=commune_a2)
    coord_b = UserFactory(username="coord_commune_b")
    grant(coord_b, Role.COORDINATOR, unit=world.commune_b)
    entry_a = submitted_entry(world.contest, world.team_a, title="Xã Nghĩa Điền không tiền mặt")
    entry_a2 = submitted_entry(world.contest, team_a2, title="Nghĩa Thắng số")
    entry_b = submitted_entry(world.contest, world.team_b, title="Đức Phong năng động")
    with time_machine.travel(during(commune), tick=False):
        domain.enter_screening(contest=world.contest, now=during(commune))
    return Screening(
        commune=commune,
        district=district,
        province=province,
        commune_a2=commune_a2,
        team_a2=team_a2,
        coord_commune_a2=coord_a2,
        coord_commune_b=coord_b,
        entry_a=entry_a,
        entry_a2=entry_a2,
        entry_b=entry_b,
    )


@pytest.fixture
def at_commune(screening):
    """The clock inside the commune level's week."""
    with time_machine.travel(during(screening.commune), tick=False):
        yield


@pytest.fixture
def at_district(screening):
    with time_machine.travel(during(screening.district), tick=False):
        yield
