from __future__ import annotations

import json

import pytest
from django.test import Client

from clipcontest.accounts.domain import create_api_token
from clipcontest.contests.models import Contest

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _token, raw = create_api_token(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_openapi_schema_lists_foundation_endpoints(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "clipcontest API"
    for path in (
        "/api/v1/contests",
        "/api/v1/units/hierarchies",
        "/api/v1/teams",
        "/api/v1/contests/{slug}/timeline",
    ):
        assert path in schema["paths"]


def test_token_creates_contest_and_sets_timeline(world):
    h = world.province.hierarchy.slug
    headers = bearer(world.organizer)
    client = Client()
    response = client.post(
        "/api/v1/contests",
        json.dumps(
            {
                "slug": "api-1",
                "series": "api",
                "edition": 1,
                "title": "Qua API",
                "organizer_unit": f"{h}/51",
            }
        ),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201
    assert response.json()["organizer_unit"] == f"{h}/51"
    response = client.put(
        "/api/v1/contests/api-1/timeline",
        json.dumps(
            [
                {
                    "kind": "submission",
                    "starts_at": "2030-01-01T00:00:00Z",
                    "ends_at": "2030-02-01T00:00:00Z",
                },
                {
                    "kind": "screening",
                    "level": "tỉnh",
                    "quota": 5,
                    "starts_at": "2030-02-01T00:00:00Z",
                    "ends_at": "2030-02-10T00:00:00Z",
                },
                {
                    "kind": "results",
                    "starts_at": "2030-02-10T00:00:00Z",
                    "ends_at": "2030-03-01T00:00:00Z",
                },
            ]
        ),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    assert [p["kind"] for p in response.json()["phases"]] == ["submission", "screening", "results"]


def test_api_domain_error_is_400_with_translated_messages(world):
    response = Client().put(
        f"/api/v1/contests/{world.contest.slug}/timeline",
        json.dumps(
            [
                {
                    "kind": "submission",
                    "starts_at": "2030-02-01T00:00:00Z",
                    "ends_at": "2030-01-01T00:00:00Z",
                }
            ]
        ),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(world.organizer),
    )
    assert response.status_code == 400
    assert response.json()["messages"] == [
        "The timeline needs exactly one results phase.",
        "submission must end after it starts.",
    ]
    assert world.contest.phases.count() == 0


def test_api_duplicate_slug_is_409(world):
    h = world.province.hierarchy.slug
    response = Client().post(
        "/api/v1/contests",
        json.dumps(
            {
                "slug": world.contest.slug,
                "series": "other",
                "edition": 1,
                "title": "X",
                "organizer_unit": f"{h}/51",
            }
        ),
        content_type="application/json",
        **bearer(world.organizer),
    )
    assert response.status_code == 409


def test_api_session_write_without_csrf_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.organizer)
    response = client.patch(
        f"/api/v1/contests/{world.contest.slug}",
        json.dumps({"title": "Đổi tên"}),
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    assert Contest.objects.get(pk=world.contest.pk).title == world.contest.title


def test_api_units_subtree_is_public(world):
    h = world.province.hierarchy.slug
    response = Client().get(f"/api/v1/units/{h}/528/subtree")
    assert response.status_code == 200
    assert [u["code"] for u in response.json()["items"]] == ["528", "21271"]


def test_api_me_lists_roles(world):
    response = Client().get("/api/v1/me", **bearer(world.coord_a))
    assert response.json()["roles"] == [
        {"role": "coordinator", "unit": f"{world.province.hierarchy.slug}/528", "contest": None}
    ]
