"""Every role × every foundation action, through the web pages and through the API.

The cast (tests/conftest.py ``world``): province 51 with districts A (528) and B (533),
each with a commune and a team; an organizer of the province, a coordinator per
district, a coordinator of commune A, a team leader of team A, a juror, an outsider.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from clipcontest.contests.enums import ContestStatus

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "outsider",
    "member_a",
    "juror",
    "coord_commune_a",
    "coord_a",
    "coord_b",
    "organizer",
    "admin",
]


def client_for(world, role: str) -> Client:
    client = Client()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client


def url(world, name: str) -> str:
    h = world.province.hierarchy.slug
    return {
        "contest_page": f"/contests/{world.contest.slug}/",
        "manage": f"/manage/contests/{world.contest.slug}/",
        "edit": f"/manage/contests/{world.contest.slug}/edit/",
        "timeline": f"/manage/contests/{world.contest.slug}/timeline/",
        "audit": f"/manage/contests/{world.contest.slug}/audit/",
        "audit_csv": f"/manage/contests/{world.contest.slug}/audit.csv",
        "invite_juror": f"/manage/contests/{world.contest.slug}/jurors/invite/",
        "team_a": f"/teams/{world.team_a.pk}/",
        "team_b": f"/teams/{world.team_b.pk}/",
        "new_team_commune_b": f"/units/{h}/{world.commune_b.code}/teams/new/",
        "invite_commune_a": f"/units/{h}/{world.commune_a.code}/invite/",
        "invite_team_a": f"/teams/{world.team_a.pk}/invite/",
    }[name]


ALLOWED = {
    "manage": {"organizer", "admin"},
    "edit": {"organizer", "admin"},
    "timeline": {"organizer", "admin"},
    "audit": {"organizer", "admin"},
    "audit_csv": {"organizer", "admin"},
    "invite_juror": {"organizer", "admin"},
    "team_a": {"member_a", "coord_commune_a", "coord_a", "organizer", "admin"},
    "team_b": {"coord_b", "organizer", "admin"},
    "new_team_commune_b": {"coord_b", "organizer", "admin"},
    "invite_commune_a": {"coord_a", "organizer", "admin"},
    "invite_team_a": {"member_a", "coord_commune_a", "coord_a", "organizer", "admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_web_page_access_matrix(world, role, page):
    response = client_for(world, role).get(url(world, page))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    elif role in ALLOWED[page]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_draft_contest_is_hidden_from_all_but_organizers_and_jurors(world, role):
    world.contest.status = ContestStatus.DRAFT
    world.contest.save()
    response = client_for(world, role).get(url(world, "contest_page"))
    expected = 200 if role in {"organizer", "admin", "juror"} else 404
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_published_contest_page_is_public(world, role):
    assert client_for(world, role).get(url(world, "contest_page")).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_unit_page_shows_teams_only_to_those_above_them(world, role):
    h = world.province.hierarchy.slug
    response = client_for(world, role).get(f"/units/{h}/{world.commune_b.code}/")
    assert response.status_code == 200
    shows_team = world.team_b.name in response.content.decode()
    assert shows_team == (role in {"coord_b", "organizer", "admin"})


API_ALLOWED = {
    ("PATCH", "contest"): {"organizer", "admin"},
    ("GET", "audit"): {"organizer", "admin"},
    ("GET", "teams_district_a"): {"coord_a", "organizer", "admin"},
    ("GET", "team_b"): {"coord_b", "organizer", "admin"},
    ("POST", "team_in_commune_a"): {"coord_a", "coord_commune_a", "organizer", "admin"},
}


def api_call(world, client: Client, method: str, name: str):
    h = world.province.hierarchy.slug
    slug = world.contest.slug
    if (method, name) == ("PATCH", "contest"):
        return client.patch(
            f"/api/v1/contests/{slug}",
            json.dumps({"entries_per_team": 3}),
            content_type="application/json",
        )
    if name == "audit":
        return client.get(f"/api/v1/contests/{slug}/audit")
    if name == "teams_district_a":
        return client.get(f"/api/v1/teams?unit={h}/{world.district_a.code}")
    if name == "team_b":
        return client.get(f"/api/v1/teams/{world.team_b.pk}")
    return client.post(
        "/api/v1/teams",
        json.dumps({"unit": f"{h}/{world.commune_a.code}", "name": "Tổ mới"}),
        content_type="application/json",
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "name"), sorted(API_ALLOWED))
def test_api_access_matrix(world, role, method, name):
    response = api_call(world, client_for(world, role), method, name)
    if role == "anonymous":
        assert response.status_code == 401
    elif role in API_ALLOWED[(method, name)]:
        assert response.status_code in (200, 201)
    else:
        assert response.status_code == 403
