"""Security headers on what each role is served (clipcontest.core.headers).

Each role crawls the site from its usual starting points, following same-site links
(GET only, bounded), and every HTML page must carry the strict policy, no inline
script, style or event handler, and no-store caching when signed in.
"""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from clipcontest.accounts.domain import create_api_token
from clipcontest.accounts.enums import Role
from clipcontest.contests.models import Contest, PrizeTier
from clipcontest.core.headers import build_permissions, build_policy
from clipcontest.results import domain as results
from clipcontest.results.models import LibraryItem

from ..factories import ContestFactory, grant
from ..judging.factories import make_finalist, open_round, submit
from ..screening.conftest import screening  # noqa: F401 - the fixture, used by name
from ..voting.factories import make_entry, open_voting

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member_a", "juror", "coord_commune_a", "coord_a", "organizer", "admin"]
MAX_PAGES = 60
LINK = re.compile(r'href="(/[^"#]*)')
INLINE_SCRIPT = re.compile(r'<script(?![^>]*\bsrc=)(?![^>]*type="application/json")[^>]*>')
INLINE_STYLE = re.compile(r"<style\b|\sstyle=")
HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.IGNORECASE)
SKIPPED = ("/static/", "/media/", "/logout/", "/i18n/")


def expected_policy(**changes: list[str]) -> str:
    return build_policy({**settings.SECURE_CSP, **changes})


def client_for(world, role: str) -> Client:
    client = Client()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client


def crawl(client: Client, seeds: list[str]) -> dict[str, object]:
    """Every HTML page reachable from ``seeds`` by same-site links, by path."""
    seen: dict[str, object] = {}
    queue = deque(seeds)
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen or path.startswith(SKIPPED) or path.endswith((".csv", ".jsonl")):
            continue
        response = client.get(path)
        seen[path] = response
        if response.get("Content-Type", "").startswith("text/html"):
            html = response.content.decode()
            queue.extend(m.replace("&amp;", "&") for m in LINK.findall(html))
    return seen


def assert_page_headers(path: str, response, *, signed_in: bool) -> None:
    html = response.content.decode()
    assert response["Content-Security-Policy"] == expected_policy(), path
    assert response["Permissions-Policy"] == build_permissions(settings.PERMISSIONS_POLICY)
    assert INLINE_SCRIPT.findall(html) == [], path
    assert INLINE_STYLE.findall(html) == [], path
    assert HANDLER.findall(html) == [], path
    if signed_in:
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path


def published_contest(world) -> Contest:
    """A second contest of the province whose result is published (library, results)."""
    contest = ContestFactory(organizer_unit=world.province)
    grant(world.juror, Role.JUROR, contest=contest)
    PrizeTier.objects.create(contest=contest, position=1, name="Giải Nhất toàn diện")
    entry = make_finalist(contest, world.team_a, "Nghĩa Điền số")
    jury_round = open_round(contest, world.organizer)
    submit(jury_round, world.juror, entry, 9)
    results.publish_results(contest=contest, by=world.organizer)
    return contest


def seeds_for(world) -> list[str]:
    return [
        "/",
        reverse("web:dashboard"),
        f"/contests/{world.contest.slug}/",
        reverse("voting:gallery", args=[world.contest.slug]),
        reverse("results:library"),
        reverse("web:hierarchies"),
        "/api/v1/docs",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_pages_carry_security_headers_during_voting(world, role):
    open_voting(world.contest)
    make_entry(world.contest, world.team_a, "Xã Nghĩa Điền không dùng tiền mặt")
    make_entry(world.contest, world.team_b, "Đức Phong năng động")
    published = published_contest(world)
    seeds = [*seeds_for(world), f"/contests/{published.slug}/results/"]

    pages = crawl(client_for(world, role), seeds)

    html_pages = {
        path: r
        for path, r in pages.items()
        if r.status_code == 200 and r["Content-Type"].startswith("text/html")
    }
    assert len(html_pages) >= 5
    for path, response in html_pages.items():
        assert_page_headers(path, response, signed_in=role != "anonymous")
    for path, response in pages.items():
        assert "Content-Security-Policy" in response, path


@pytest.mark.parametrize("role", ["coord_commune_a", "coord_a", "organizer"])
def test_screening_pages_carry_security_headers(world, screening, role):  # noqa: F811
    seeds = [reverse("screening:home", args=[world.contest.slug]), reverse("web:dashboard")]

    pages = crawl(client_for(world, role), seeds)

    queue_pages = [p for p, r in pages.items() if "/screening/" in p and r.status_code == 200]
    assert queue_pages != []
    for path, response in pages.items():
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            assert_page_headers(path, response, signed_in=True)


def test_anonymous_public_pages_stay_cacheable(world, client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Cache-Control" not in response


def test_api_token_answers_are_not_stored(world, client):
    _token, secret = create_api_token(user=world.organizer, name="t")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_embed_page_may_be_framed_by_configured_sites(world, client, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://xa.example.vn"]
    contest = published_contest(world)
    entry = LibraryItem.objects.get(contest=contest).entry

    response = client.get(reverse("results:library_embed", args=[entry.public_id]))

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == expected_policy(
        **{"frame-ancestors": ["https://xa.example.vn"]}
    )
    assert "X-Frame-Options" not in response
    assert INLINE_STYLE.findall(response.content.decode()) == []


def test_api_docs_load_swagger_from_our_static_files(client):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'src="([^"]+)"', html) == [
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
    ]
    assert "cdn" not in html.lower()
    assert response["Content-Security-Policy"] == expected_policy()
