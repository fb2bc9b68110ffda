"""The queue and overview lists: links reversed once per page, the overview's counts
from one grouped query, and the queue's page size."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from clipcontest.screening import domain
from clipcontest.screening.links import SLOT, Link
from clipcontest.screening.queries import level_totals, level_units
from clipcontest.screening.views.coordinator import PAGE_SIZE
from tests.factories import TeamFactory

from .factories import during, submitted_entry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["21271", "a b", "x%y", "đ~:@"])
def test_link_gives_the_same_url_as_reverse(code):
    public_id = uuid.uuid4()
    assert Link("screening:queue", "cuoc-thi", SLOT)(code) == reverse(
        "screening:queue", args=["cuoc-thi", code]
    )
    assert Link("screening:decide", "cuoc-thi", code, SLOT)(public_id) == reverse(
        "screening:decide", args=["cuoc-thi", code, public_id]
    )
    assert Link("media:rendition", SLOT, SLOT)(public_id, "360p") == reverse(
        "media:rendition", args=[public_id, "360p"]
    )


def test_link_needs_one_value_per_slot():
    with pytest.raises(TypeError):
        Link("screening:queue", "cuoc-thi", SLOT)()


def test_overview_rows_and_totals_match_the_database_aggregates(world, screening, at_commune):
    domain.shortlist_entry(entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a)
    domain.forward_entries(
        contest=world.contest,
        unit=world.commune_a,
        entries=[screening.entry_a],
        by=world.coord_commune_a,
    )
    domain.reject_entry(
        entry=screening.entry_b, unit=world.commune_b, by=screening.coord_commune_b, reason="x"
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.organizer)
    response = client.get(
        f"/contests/{world.contest.slug}/screening/overview/?level={screening.commune.pk}"
    )
    fields = ("code", "name", "s_id", "s_quota", "arrived", "forwarded", "rejected", "pending")
    organizer_unit = world.contest.organizer_unit
    expected = [
        tuple(getattr(u, f) for f in fields)
        for u in level_units(phase=screening.commune, organizer_unit=organizer_unit)
    ]
    shown = [tuple(getattr(u, f) for f in fields) for u in response.context["page"]]
    assert shown == expected
    assert response.context["totals"] == dict(sorted(level_totals(screening.commune).items()))
    html = response.content.decode()
    url = reverse("screening:queue", args=[world.contest.slug, world.commune_a.code])
    assert f'<a href="{url}">{world.commune_a.name}</a>' in html


def test_queue_shows_one_page_of_entries_at_a_time(world, screening, at_commune):
    for i in range(PAGE_SIZE):
        submitted_entry(world.contest, TeamFactory(unit=world.commune_a, name=f"Tổ {i}"))
    domain.enter_screening(contest=world.contest, now=during(screening.commune))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.coord_commune_a)
    url = f"/contests/{world.contest.slug}/screening/units/{world.commune_a.code}/"
    first = client.get(url).content.decode()
    second = client.get(f"{url}?page=2").content.decode()
    assert first.count('data-testid="decide-form"') == PAGE_SIZE
    assert second.count('data-testid="decide-form"') == 1
    assert "1 / 2" in first
