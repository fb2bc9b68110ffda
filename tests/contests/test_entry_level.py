"""The entering level (issue 9, case 1): a contest setting the organizer edits on the
form and through the API, validated on the organizer's map, cloned with the edition."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from clipcontest.contests import domain
from clipcontest.contests.eligibility import entering_level
from clipcontest.core.errors import FieldError
from clipcontest.org.models import Level
from tests.factories import HierarchyFactory, UnitFactory, add_phase, level_for

from ..api.test_api import bearer

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_entering_level_defaults_to_lowest_screening_level(world):
    hierarchy = world.province.hierarchy
    start = dt.datetime(2030, 3, 1, tzinfo=dt.UTC)
    add_phase(world.contest, "screening", start, level=level_for(hierarchy, 1), quota=2)
    add_phase(world.contest, "screening", start, level=level_for(hierarchy, 0), quota=2)

    assert entering_level(world.contest) == level_for(hierarchy, 1)


def test_entering_level_without_screening_is_the_organizers_level(world):
    assert entering_level(world.contest) == world.province.level


def test_update_contest_entry_level_of_another_map_refused(world):
    other = level_for(HierarchyFactory(slug="vn-2025"), 1)

    with pytest.raises(FieldError) as refused:
        domain.update_contest(contest=world.contest, by=world.organizer, entry_level=other)

    assert (refused.value.field, refused.value.messages) == (
        "entry_level",
        ["The entering level huyện belongs to another map than the organizer's unit."],
    )


def test_update_contest_entry_level_above_organizer_refused(world):
    world.contest.organizer_unit = world.district_a
    world.contest.save()

    with pytest.raises(FieldError) as refused:
        domain.update_contest(
            contest=world.contest, by=world.organizer, entry_level=world.province.level
        )

    assert refused.value.messages == [
        "Teams cannot enter from the level tỉnh: it is above the organizer's unit."
    ]


def test_clone_contest_matches_entry_level_by_name_on_the_new_map(world):
    source = domain.update_contest(
        contest=world.contest, by=world.organizer, entry_level=world.commune_a.level
    )
    new_map = HierarchyFactory(slug="vn-2025")
    province = UnitFactory(hierarchy=new_map, code="51")
    commune_level = Level.objects.create(hierarchy=new_map, name="xã", rank=1)

    clone = domain.clone_contest(
        source=source,
        by=world.organizer,
        slug="lan-2",
        title="Lần II",
        edition=2,
        submission_starts_at=dt.datetime(2031, 1, 1, tzinfo=dt.UTC),
        organizer_unit=province,
    )

    assert clone.entry_level == commune_level


def test_contest_edit_page_sets_entry_level(client, world):
    client.force_login(world.organizer)
    page = client.get(f"/manage/contests/{world.contest.slug}/edit/", **EN)
    data = {
        name: value
        for name, value in page.context["form"].initial.items()
        if value is not None and name != "entry_level"
    }

    response = client.post(
        f"/manage/contests/{world.contest.slug}/edit/",
        {**data, "entry_level": world.commune_a.level.pk},
        **EN,
    )

    assert response.status_code == 302
    world.contest.refresh_from_db()
    assert world.contest.entry_level == world.commune_a.level


def test_api_patch_entry_level_by_name_and_back_to_default(world):
    client = Client(**bearer(world.organizer), **EN)
    url = f"/api/v1/contests/{world.contest.slug}"

    set_ = client.patch(url, json.dumps({"entry_level": "xã"}), content_type="application/json")
    cleared = client.patch(url, json.dumps({"entry_level": ""}), content_type="application/json")

    assert (set_.status_code, set_.json()["entry_level"]) == (200, "xã")
    assert (cleared.status_code, cleared.json()["entry_level"]) == (200, None)


def test_api_patch_unknown_entry_level_is_422_on_the_field(world):
    client = Client(**bearer(world.organizer), **EN)

    response = client.patch(
        f"/api/v1/contests/{world.contest.slug}",
        json.dumps({"entry_level": "ấp"}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "field": "entry_level",
        "messages": [f"The map {world.province.hierarchy.name} has no level ấp."],
    }
