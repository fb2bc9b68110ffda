from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clipcontest.screening import domain
from clipcontest.screening.models import EntryScreening, UnitScreening
from tests.factories import TeamFactory

from .factories import during, submitted_entry

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def queue_url(world, unit) -> str:
    return f"/contests/{world.contest.slug}/screening/units/{unit.code}/"


def test_queue_shows_only_the_units_entries_with_their_player(world, screening, at_commune):
    html = logged_in(world.coord_commune_a).get(queue_url(world, world.commune_a)).content.decode()
    assert screening.entry_a.title in html
    assert screening.entry_a2.title not in html
    assert screening.entry_b.title not in html
    video = screening.entry_a.videos.get()
    assert f"/video/{video.pk}/360p.mp4" in html
    assert "Quota 2: 0 forwarded, 2 left." in html


def test_queue_says_when_the_video_is_not_ready(world, screening, at_commune):
    entry = submitted_entry(world.contest, world.team_a, video="processing", slot=2)
    domain.enter_screening(contest=world.contest, now=during(screening.commune))
    html = logged_in(world.coord_commune_a).get(queue_url(world, world.commune_a)).content.decode()
    assert f'data-testid="item-{entry.public_id}"' in html
    assert 'data-testid="video-not-ready"' in html


def test_htmx_decision_returns_the_updated_item_only(world, screening, at_commune):
    url = f"{queue_url(world, world.commune_a)}entries/{screening.entry_a.public_id}/decide/"
    response = logged_in(world.coord_commune_a).post(
        url, {"action": "shortlist", "note": "Hay"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<li class="card" id="item-')
    assert '<span class="badge" data-testid="item-state">shortlisted</span>' in html
    assert "Internal note: Hay" in html


def test_htmx_refusal_is_shown_in_the_item(world, screening, at_commune):
    url = f"{queue_url(world, world.commune_a)}entries/{screening.entry_a.public_id}/decide/"
    response = logged_in(world.coord_commune_a).post(
        url, {"action": "reject"}, HTTP_HX_REQUEST="true"
    )
    assert "Give the team a reason for not selecting their entry." in response.content.decode()
    assert screening.entry_a.screenings.get().state == "pending"


def test_without_javascript_decide_and_forward_redirect_back(world, screening, at_commune):
    client = logged_in(world.coord_commune_a)
    base = queue_url(world, world.commune_a)
    response = client.post(
        f"{base}entries/{screening.entry_a.public_id}/decide/", {"action": "shortlist"}
    )
    assert (response.status_code, response["Location"]) == (302, base)
    response = client.post(
        f"{base}forward/", {"entries": [screening.entry_a.pk], "sign_off": "on"}, follow=True
    )
    html = response.content.decode()
    assert "1 entries forwarded and signed off." in html
    assert "Signed off by coord_commune_a" in html


def test_forward_without_sign_off_is_refused(world, screening, at_commune):
    client = logged_in(world.coord_commune_a)
    base = queue_url(world, world.commune_a)
    client.post(f"{base}entries/{screening.entry_a.public_id}/decide/", {"action": "shortlist"})
    response = client.post(f"{base}forward/", {"entries": [screening.entry_a.pk]}, follow=True)
    assert "Tick the entries to forward and sign off the list." in response.content.decode()
    assert UnitScreening.objects.get(unit=world.commune_a).forwarded_count == 0


def test_home_lists_the_units_a_coordinator_screens(world, screening, at_commune):
    html = logged_in(world.coord_a).get(f"/contests/{world.contest.slug}/screening/").content
    assert b'data-testid="stage-528"' in html
    assert b'data-testid="stage-21271"' not in html


def test_history_shows_reason_to_the_team_but_not_the_internal_note(world, screening, at_commune):
    domain.reject_entry(
        entry=screening.entry_a,
        unit=world.commune_a,
        by=world.coord_commune_a,
        reason="Chưa đúng chủ đề",
        note="Âm thanh kém",
    )
    url = f"/entries/{screening.entry_a.public_id}/screening/"
    team_html = logged_in(world.member_a).get(url).content.decode()
    coordinator_html = logged_in(world.coord_a).get(url).content.decode()
    assert "Chưa đúng chủ đề" in team_html
    assert "Âm thanh kém" not in team_html
    assert "Âm thanh kém" in coordinator_html


def test_team_sees_where_its_entries_stand(world, screening, at_commune):
    domain.reject_entry(
        entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a, reason="Trùng ý"
    )
    html = logged_in(world.member_a).get(f"/contests/{world.contest.slug}/screening/mine/")
    text = html.content.decode()
    assert f'data-testid="mine-{screening.entry_a.public_id}"' in text
    assert "not selected" in text
    assert "Trùng ý" in text
    assert screening.entry_b.title not in text


def test_overview_counts_per_unit(world, screening, at_commune):
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
    response = logged_in(world.organizer).get(
        f"/contests/{world.contest.slug}/screening/overview/?level={screening.commune.pk}"
    )
    rows = {
        u.code: (u.arrived, u.forwarded, u.rejected, u.pending, u.stopped)
        for u in response.context["page"]
    }
    assert rows == {
        "21271": (1, 1, 0, 0, 0),
        "21274": (1, 0, 0, 1, 0),
        "21433": (1, 0, 1, 0, 0),
    }


def test_overview_lists_units_that_have_not_acted_near_the_deadline(world, screening):
    import time_machine

    near = screening.commune.ends_at.replace(day=6)
    with time_machine.travel(near, tick=False):
        response = logged_in(world.organizer).get(
            f"/contests/{world.contest.slug}/screening/overview/"
        )
        assert [s.unit.code for s in response.context["attention"]] == ["21271", "21274", "21433"]
        response = logged_in(world.organizer).post(
            f"/contests/{world.contest.slug}/screening/reminders/",
            {"level": screening.commune.pk},
            follow=True,
        )
    assert "Reminders sent to the coordinators of 3 units." in response.content.decode()


def test_reopen_form(world, screening):
    domain.lock_due_stages(now=screening.commune.ends_at)
    import time_machine

    with time_machine.travel(during(screening.district), tick=False):
        response = logged_in(world.organizer).post(
            f"{queue_url(world, world.commune_b)}reopen/",
            {"until": "2030-03-12T10:00", "reason": "Bão"},
        )
    assert response.status_code == 302
    stage = UnitScreening.objects.get(unit=world.commune_b)
    assert (stage.locked_at, stage.reopened_until.isoformat()) == (
        None,
        "2030-03-12T03:00:00+00:00",
    )


def test_level_settings_form_sets_reason_rule_and_quota_override(world, screening):
    url = f"/contests/{world.contest.slug}/screening/levels/{screening.commune.pk}/"
    response = logged_in(world.organizer).post(url, {"overrides": "21271 4\n"})
    assert response.status_code == 302
    assert UnitScreening.objects.get(unit=world.commune_a).quota_override == 4
    assert screening.commune.screening_level.reason_required is False
    response = logged_in(world.organizer).post(url, {"overrides": "nope 4"})
    assert "Unknown unit codes: nope" in response.content.decode()


def add_entries(world, screening, n: int) -> None:
    for i in range(n):
        team = TeamFactory(unit=world.commune_a, name=f"Tổ {i}")
        submitted_entry(world.contest, team)
    domain.enter_screening(contest=world.contest, now=during(screening.commune))


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queue_queries_do_not_grow_with_entries(world, screening, at_commune):
    client = logged_in(world.coord_commune_a)
    url = queue_url(world, world.commune_a)
    domain.shortlist_entry(entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a)
    one = count_queries(client, url)
    add_entries(world, screening, 2)
    for item in EntryScreening.objects.filter(stage__unit=world.commune_a, state="pending"):
        domain.shortlist_entry(entry=item.entry, unit=world.commune_a, by=world.coord_commune_a)
    assert EntryScreening.objects.filter(stage__unit=world.commune_a).count() == 3
    three = count_queries(client, url)
    assert one == three


def test_overview_queries_do_not_grow_with_units(world, screening, at_commune):
    from tests.factories import UnitFactory

    client = logged_in(world.organizer)
    url = f"/contests/{world.contest.slug}/screening/overview/?level={screening.commune.pk}"
    one = count_queries(client, url)
    for code in ("21280", "21281"):
        commune = UnitFactory(parent=world.district_b, code=code)
        submitted_entry(world.contest, TeamFactory(unit=commune))
    domain.enter_screening(contest=world.contest, now=during(screening.commune))
    assert UnitScreening.objects.filter(phase=screening.commune).count() == 5
    assert one == count_queries(client, url)


def test_api_over_quota_is_a_409_with_the_reason(world, screening, at_commune):
    client = logged_in(world.coord_commune_a)
    entries = [screening.entry_a] + [
        submitted_entry(world.contest, world.team_a, slot=n) for n in (2, 3)
    ]
    domain.enter_screening(contest=world.contest, now=during(screening.commune))
    base = f"/api/v1/screening/contests/{world.contest.slug}/units/{world.commune_a.code}"
    for entry in entries:
        assert (
            client.post(
                f"{base}/entries/{entry.public_id}/shortlist", {}, content_type="application/json"
            ).status_code
            == 200
        )
    response = client.post(
        f"{base}/forward",
        {"entries": [str(e.public_id) for e in entries], "sign_off": True},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "over_quota"
    response = client.post(
        f"{base}/forward",
        {"entries": [str(e.public_id) for e in entries[:2]], "sign_off": True},
        content_type="application/json",
    )
    body = response.json()
    assert (response.status_code, body["forwarded"], body["counts"]) == (
        200,
        2,
        {"forwarded": 2, "shortlisted": 1},
    )


def test_api_entry_progress_hides_notes_from_the_team(world, screening, at_commune):
    domain.reject_entry(
        entry=screening.entry_a,
        unit=world.commune_a,
        by=world.coord_commune_a,
        reason="Trùng ý",
        note="bí mật",
    )
    url = f"/api/v1/screening/entries/{screening.entry_a.public_id}"
    team = logged_in(world.member_a).get(url).json()
    assert [(d["kind"], d["reason"], d["note"]) for d in team["decisions"]] == [
        ("arrived", "", None),
        ("rejected", "Trùng ý", None),
    ]
    assert [lv["state"] for lv in team["levels"]] == ["rejected", None, None]
    organizer = logged_in(world.organizer).get(url).json()
    assert organizer["decisions"][1]["note"] == "bí mật"
