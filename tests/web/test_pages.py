from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from clipcontest.audit.models import AuditEvent
from clipcontest.contests.models import Contest

from ..factories import ContestFactory

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_home_lists_public_contests_in_vietnamese_by_default(world, settings):
    settings.LANGUAGE_CODE = "vi"  # the production default (tests default to English)
    response = Client().get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert world.contest.title in html
    assert "Đăng nhập" in html


def test_language_switch_to_english(world):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()


def test_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.organizer)
    response = client.post(f"/manage/contests/{world.contest.slug}/status/", {"status": "archived"})
    assert response.status_code == 403
    world.contest.refresh_from_db()
    assert world.contest.status == "published"


def test_organizer_creates_contest_through_form(world):
    response = logged_in(world.organizer).post(
        "/manage/contests/new/",
        {
            "title": "Cuộc thi lần thứ I",
            "slug": "ct-1",
            "series": "ct",
            "edition": 1,
            "organizer_unit": world.province.pk,
            "organizer_name": "Sở TT&TT",
            "summary": "",
            "rules_text": "Thể lệ",
            "entries_per_team": 2,
            "max_video_mb": 500,
            "min_duration_seconds": 30,
            "max_duration_seconds": 300,
            "max_video_height": 1080,
        },
    )
    assert response.status_code == 302
    contest = Contest.objects.get(slug="ct-1")
    assert contest.created_by == world.organizer
    assert AuditEvent.objects.get(action="contest.created").ip == "127.0.0.1"


def test_coordinator_cannot_create_contest_for_their_district(world):
    response = logged_in(world.coord_a).get("/manage/contests/new/")
    assert response.status_code == 403


def test_timeline_form_shows_domain_errors_and_saves_nothing(world):
    data = {
        "phases-TOTAL_FORMS": 2,
        "phases-INITIAL_FORMS": 0,
        "phases-0-kind": "submission",
        "phases-0-starts_at": "2030-01-10T00:00",
        "phases-0-ends_at": "2030-01-01T00:00",
        "phases-1-kind": "results",
        "phases-1-starts_at": "2030-02-01T00:00",
        "phases-1-ends_at": "2030-03-01T00:00",
    }
    response = logged_in(world.organizer).post(
        f"/manage/contests/{world.contest.slug}/timeline/", data
    )
    assert response.status_code == 200
    assert "submission must end after it starts." in response.content.decode()
    assert world.contest.phases.count() == 0


def test_timeline_form_saves_valid_timeline(world):
    data = {
        "phases-TOTAL_FORMS": 2,
        "phases-INITIAL_FORMS": 0,
        "phases-0-kind": "submission",
        "phases-0-starts_at": "2030-01-01T00:00",
        "phases-0-ends_at": "2030-02-01T00:00",
        "phases-1-kind": "results",
        "phases-1-starts_at": "2030-02-01T00:00",
        "phases-1-ends_at": "2030-03-01T00:00",
    }
    response = logged_in(world.organizer).post(
        f"/manage/contests/{world.contest.slug}/timeline/", data
    )
    assert response.status_code == 302
    assert list(world.contest.phases.values_list("kind", flat=True).order_by("starts_at")) == [
        "submission",
        "results",
    ]


def test_audit_csv_export_has_masked_values(world, django_capture_on_commit_callbacks):
    client = logged_in(world.organizer)
    client.post(
        f"/manage/contests/{world.contest.slug}/jurors/invite/",
        {"email": "giamkhao@example.vn", "role": "juror"},
    )
    response = client.get(f"/manage/contests/{world.contest.slug}/audit.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["action"] for r in rows] == ["invitation.created"]
    assert '"email": "g***@example.vn"' in rows[0]["after"]
    assert rows[0]["object"].startswith("g***@example.vn")
    assert "giamkhao@example.vn" not in body


def test_dashboard_query_count_does_not_grow_with_contests(world):
    client = logged_in(world.organizer)
    client.get("/me/")
    with CaptureQueriesContext(connection) as one:
        client.get("/me/")
    ContestFactory(organizer_unit=world.province)
    ContestFactory(organizer_unit=world.district_a)
    with CaptureQueriesContext(connection) as three:
        client.get("/me/")
    assert len(three.captured_queries) == len(one.captured_queries)


def test_accept_invitation_page_logs_in(world):
    from clipcontest.accounts.domain import invite

    _inv, token = invite(
        by=world.coord_a, email="xa@example.vn", role="coordinator", unit=world.commune_a
    )
    client = Client()
    response = client.post(
        f"/invite/{token}/",
        {
            "display_name": "Trần Thị C",
            "password1": "Mật-khẩu-dài-2023",
            "password2": "Mật-khẩu-dài-2023",
        },
    )
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200
    assert client.get(f"/invite/{token}/").status_code == 404


def test_healthz_answers_without_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
