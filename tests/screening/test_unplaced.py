"""The screening clock handles each entry on its own (issue 9, case 1): an entry that
cannot be placed is reported to the organizer once and never holds up the others."""

from __future__ import annotations

import time_machine
from django.test import Client

from clipcontest.audit.models import AuditEvent
from clipcontest.org.models import Hierarchy, Level
from clipcontest.screening import domain
from clipcontest.screening.models import EntryScreening
from tests.factories import TeamFactory, UnitFactory, level_for

from .factories import during, screening_chain, submitted_entry


def _foreign_team():
    """A commune team on another map whose province is also coded 51 (the 2023 map
    against the post-2025 one)."""
    other = Hierarchy.objects.create(slug="quang-ngai-2023", name="Quảng Ngãi 2023")
    province = UnitFactory(hierarchy=other, code="51", name="Tỉnh Quảng Ngãi (2023)")
    district = UnitFactory(parent=province, code="528")
    commune = UnitFactory(parent=district, code="21271", name="Xã Nghĩa Điền (2023)")
    return TeamFactory(unit=commune, name="Tổ CNSCĐ 2023")


def _chain(world):
    hierarchy = world.province.hierarchy
    return screening_chain(
        world.contest,
        [(level_for(hierarchy, 2), 2), (level_for(hierarchy, 1), 3), (level_for(hierarchy, 0), 9)],
    )


def test_enter_screening_foreign_entry_first_does_not_stall_the_others(world):
    commune, _district, _province = _chain(world)
    foreign = submitted_entry(world.contest, _foreign_team(), title="Ngoại lai")
    own = submitted_entry(world.contest, world.team_a, title="Của xã")
    foreign.submitted_at = own.submitted_at.replace(year=own.submitted_at.year - 1)
    foreign.save()

    entered = domain.enter_screening(contest=world.contest, now=during(commune))

    assert entered == 1
    assert list(EntryScreening.objects.values_list("entry_id", "stage__unit__code")) == [
        (own.pk, world.commune_a.code)
    ]
    events = AuditEvent.objects.filter(action="screening.entry_unplaced")
    assert [(e.target_id, e.after["unit"]) for e in events] == [
        (str(foreign.pk), "quang-ngai-2023/21271")
    ]


def test_enter_screening_foreign_entry_never_lands_at_the_top_level(world):
    commune, _district, _province = _chain(world)
    submitted_entry(world.contest, world.team_a)
    foreign = submitted_entry(world.contest, _foreign_team())

    domain.enter_screening(contest=world.contest, now=during(commune))

    assert EntryScreening.objects.filter(entry=foreign).exists() is False


def test_enter_screening_wrong_level_entry_reported_once_and_others_enter(world):
    commune, _district, _province = _chain(world)
    district_entry = submitted_entry(world.contest, TeamFactory(unit=world.district_b))
    own = submitted_entry(world.contest, world.team_a)

    first = domain.enter_screening(contest=world.contest, now=during(commune))
    later = submitted_entry(world.contest, world.team_b)
    second = domain.enter_screening(contest=world.contest, now=during(commune, hours=2))

    assert (first, second) == (1, 1)
    assert set(EntryScreening.objects.values_list("entry_id", flat=True)) == {own.pk, later.pk}
    assert list(
        AuditEvent.objects.filter(action="screening.entry_unplaced").values_list(
            "target_id", flat=True
        )
    ) == [str(district_entry.pk)]


def test_overview_lists_entries_that_cannot_enter(world):
    commune, _district, _province = _chain(world)
    foreign = submitted_entry(world.contest, _foreign_team(), title="Ngoại lai")
    submitted_entry(world.contest, world.team_a)
    client = Client(headers={"Accept-Language": "en"})

    with time_machine.travel(during(commune), tick=False):
        client.force_login(world.organizer)
        domain.enter_screening(contest=world.contest, now=during(commune))
        response = client.get(f"/contests/{world.contest.slug}/screening/overview/")

    assert [(e.pk, problem) for e, problem in response.context["unplaced"]] == [
        (
            foreign.pk,
            "Tổ CNSCĐ 2023 belongs to Xã Nghĩa Điền (2023) on the map Quảng Ngãi 2023; this "
            "contest uses the map Hierarchy "
            f"{world.province.hierarchy.slug} and is open to teams of units inside "
            "Tỉnh Quảng Ngãi.",
        )
    ]
    assert Level.objects.filter(hierarchy__slug="quang-ngai-2023").count() == 3
