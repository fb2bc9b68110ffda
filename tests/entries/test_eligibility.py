"""Who may enter a contest (issue 9, case 1): a team of a unit inside the organizer's, on
the contest's map, at the entering level or below it; web, API and domain alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from clipcontest.audit.models import AuditEvent
from clipcontest.contests.eligibility import Place, Refusal, refusal
from clipcontest.contests.enums import PhaseKind
from clipcontest.core.errors import FieldError
from clipcontest.entries.domain import AuthorInput, create_entry
from clipcontest.entries.models import Entry
from clipcontest.org.models import Hierarchy, Level
from tests.factories import (
    ContestFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
    add_member,
    add_phase,
)

from .test_api import bearer
from .test_views import _form

EN = {"Accept-Language": "en"}


def _map(slug: str, names: list[str]) -> Hierarchy:
    hierarchy = Hierarchy.objects.create(slug=slug, name=f"Map {slug}")
    for rank, name in enumerate(names):
        Level.objects.create(hierarchy=hierarchy, rank=rank, name=name)
    return hierarchy


def _unit(hierarchy: Hierarchy, code: str, name: str, parent=None):
    depth = parent.depth + 1 if parent else 0
    return UnitFactory(
        hierarchy=hierarchy,
        parent=parent,
        code=code,
        name=name,
        depth=depth,
        level=Level.objects.get(hierarchy=hierarchy, rank=depth),
    )


def _open_with_chain(contest, levels: list[Level]) -> None:
    """Submission open now; screening bottom-up over ``levels`` afterwards; results."""
    start = timezone.now() - dt.timedelta(days=1)
    add_phase(contest, PhaseKind.SUBMISSION, start, days=10)
    at = start + dt.timedelta(days=10)
    for level in levels:
        add_phase(contest, PhaseKind.SCREENING, at, days=5, level=level, quota=3)
        at += dt.timedelta(days=5)
    add_phase(contest, PhaseKind.RESULTS, at, days=5)


@pytest.fixture
def reform(db):
    """The issue's case: the 2023 map (tỉnh → huyện → xã) and the post-2025 map
    (tỉnh → xã), both with a province coded 51; the 2nd edition runs on the new map with
    submission open; a team of a 2023 commune has a leader."""
    old = _map("quang-ngai-2023", ["tỉnh", "huyện", "xã"])
    new = _map("vn-2025", ["tỉnh", "xã"])
    old_province = _unit(old, "51", "Tỉnh Quảng Ngãi")
    old_district = _unit(old, "528", "Huyện Tư Nghĩa", old_province)
    old_commune = _unit(old, "21271", "Xã Nghĩa Điền", old_district)
    province = _unit(new, "51", "Tỉnh Quảng Ngãi")
    commune = _unit(new, "21271", "Xã Nghĩa Điền mới", province)
    contest = ContestFactory(organizer_unit=province, slug="lan-2")
    _open_with_chain(
        contest,
        [Level.objects.get(hierarchy=new, rank=1), Level.objects.get(hierarchy=new, rank=0)],
    )
    old_team = TeamFactory(unit=old_commune, name="Tổ CNSCĐ xã Nghĩa Điền (2023)")
    new_team = TeamFactory(unit=commune, name="Tổ CNSCĐ xã Nghĩa Điền")
    leader = UserFactory(username="to.nghiadien")
    add_member(old_team, leader, role="leader")
    add_member(new_team, leader, role="leader")
    return {"contest": contest, "old_team": old_team, "new_team": new_team, "leader": leader}


def _nothing_written() -> bool:
    return (Entry.objects.count(), AuditEvent.objects.filter(action="entry.created").count()) == (
        0,
        0,
    )


def _body(team) -> dict:
    return {"contest": "lan-2", "team": team.pk, "title": "Làng số", "authors": [{"name": "A"}]}


def test_refusal_other_map_outside_and_level():
    organizer = Place(hierarchy=1, path="/51/", rank=0)

    assert refusal(unit=Place(2, "/51/21271/", 1), organizer=organizer, entry_rank=1) == (
        Refusal.OTHER_MAP
    )
    assert refusal(unit=Place(1, "/52/1/", 1), organizer=organizer, entry_rank=1) == (
        Refusal.OUTSIDE
    )
    assert refusal(unit=Place(1, "/51/", 0), organizer=organizer, entry_rank=1) == Refusal.LEVEL
    assert refusal(unit=Place(1, "/51/7/", 1), organizer=organizer, entry_rank=1) is None
    assert refusal(unit=Place(1, "/51/7/8/", 2), organizer=organizer, entry_rank=1) is None


def test_entry_create_api_team_of_old_map_refused_with_field_message(reform):
    client = Client(headers={**EN, **bearer(reform["leader"])})
    response = client.post(
        "/api/v1/entries", _body(reform["old_team"]), content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json() == {
        "code": "ineligible",
        "field": "team",
        "messages": [
            "Tổ CNSCĐ xã Nghĩa Điền (2023) belongs to Xã Nghĩa Điền on the map Map "
            "quang-ngai-2023; this contest uses the map Map vn-2025 and is open to teams of "
            "units inside Tỉnh Quảng Ngãi."
        ],
    }
    assert _nothing_written()


def test_entry_create_api_team_of_new_map_accepted(reform):
    client = Client(headers={**EN, **bearer(reform["leader"])})
    response = client.post(
        "/api/v1/entries", _body(reform["new_team"]), content_type="application/json"
    )

    assert response.status_code == 201
    assert Entry.objects.get().team == reform["new_team"]


def test_create_entry_page_team_of_old_map_refused_on_team_field(client, reform):
    client.force_login(reform["leader"])

    response = client.post(
        "/contests/lan-2/entries/new/", _form(team=reform["old_team"].pk), headers=EN
    )

    assert response.status_code == 200
    assert response.context["team_form"].errors["team"] == [
        "Tổ CNSCĐ xã Nghĩa Điền (2023) belongs to Xã Nghĩa Điền on the map Map "
        "quang-ngai-2023; this contest uses the map Map vn-2025 and is open to teams of "
        "units inside Tỉnh Quảng Ngãi."
    ]
    assert _nothing_written()


def _create(contest, team, user):
    return create_entry(
        contest=contest, team=team, by=user, title="Làng số", authors=[AuthorInput("A")]
    )


def test_create_entry_team_outside_organizer_subtree_refused(world):
    _open_with_chain(world.contest, [world.commune_a.level, world.province.level])
    neighbour = UnitFactory(hierarchy=world.province.hierarchy, code="52", name="Tỉnh Bình Định")
    commune = UnitFactory(parent=UnitFactory(parent=neighbour), code="x1", name="Xã Láng")
    team = TeamFactory(unit=commune, name="Tổ xã Láng")

    with pytest.raises(FieldError) as refused:
        _create(world.contest, team, world.admin)

    assert (refused.value.code, refused.value.field, refused.value.messages) == (
        "ineligible",
        "team",
        [
            "Tổ xã Láng belongs to Xã Láng, which is not inside Tỉnh Quảng Ngãi; this contest "
            "is open to teams of units inside Tỉnh Quảng Ngãi."
        ],
    )
    assert _nothing_written()


def test_create_entry_team_above_lowest_screening_level_refused(world):
    hierarchy = world.province.hierarchy
    levels = {lv.rank: lv for lv in Level.objects.filter(hierarchy=hierarchy)}
    _open_with_chain(world.contest, [levels[2], levels[1], levels[0]])
    district_team = TeamFactory(unit=world.district_a, name="Tổ huyện Tư Nghĩa")

    with pytest.raises(FieldError) as refused:
        _create(world.contest, district_team, world.admin)

    assert refused.value.messages == [
        "Tổ huyện Tư Nghĩa belongs to Huyện Tư Nghĩa (huyện); this contest is open to teams "
        "of units at the level xã or below it."
    ]
    assert _nothing_written()


def test_create_entry_village_team_below_entering_level_accepted(world):
    hierarchy = world.province.hierarchy
    levels = {lv.rank: lv for lv in Level.objects.filter(hierarchy=hierarchy)}
    _open_with_chain(world.contest, [levels[2], levels[1], levels[0]])
    village = UnitFactory(parent=world.commune_a, code="21271.01", name="Thôn An Hòa")
    team = TeamFactory(unit=village, name="Tổ thôn An Hòa")

    entry = _create(world.contest, team, world.admin)

    assert entry.unit == village


def test_create_entry_district_team_accepted_when_contest_enters_from_district(world):
    hierarchy = world.province.hierarchy
    levels = {lv.rank: lv for lv in Level.objects.filter(hierarchy=hierarchy)}
    _open_with_chain(world.contest, [levels[2], levels[1], levels[0]])
    world.contest.entry_level = levels[1]
    world.contest.save()
    district_team = TeamFactory(unit=world.district_a, name="Tổ huyện Tư Nghĩa")

    entry = _create(world.contest, district_team, world.admin)

    assert entry.team == district_team


def test_submit_entry_refused_after_entering_level_moved_below_the_team(world):
    from clipcontest.entries.domain import submit_entry
    from tests.factories import add_video

    hierarchy = world.province.hierarchy
    levels = {lv.rank: lv for lv in Level.objects.filter(hierarchy=hierarchy)}
    _open_with_chain(world.contest, [levels[2], levels[1], levels[0]])
    world.contest.entry_level = levels[1]
    world.contest.save()
    district_team = TeamFactory(unit=world.district_a, name="Tổ huyện Tư Nghĩa")
    entry = _create(world.contest, district_team, world.admin)
    entry.consent_people_shown = True
    entry.save()
    add_video(entry)
    world.contest.entry_level = levels[2]
    world.contest.save()

    with pytest.raises(FieldError):
        submit_entry(entry=entry, by=world.admin)

    entry.refresh_from_db()
    assert entry.status == "draft"
