"""Who may do what in judging and results, through pages and the API; blind mode never
leaks a team, unit or author name to jurors."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from clipcontest.accounts.domain import create_api_token
from clipcontest.accounts.enums import Role
from clipcontest.judging import domain
from tests.factories import UserFactory, grant
from tests.judging.factories import full_scores, make_finalist, open_round, submit

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member_a", "juror", "coord_a", "organizer", "admin"]
NAMES = ("Tổ CNSCĐ xã Nghĩa Điền", "Xã Nghĩa Điền", "Nguyễn Văn Bí Mật", "Mô tả riêng")


def client_for(world, role: str) -> Client:
    client = Client()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def judged(world):
    entry = make_finalist(
        world.contest, world.team_a, "Tác phẩm mù", author=NAMES[2], description=NAMES[3]
    )
    r = open_round(world.contest, world.organizer)
    return world, r, entry


PAGES = {
    "desk": ("/manage/contests/{slug}/jury/", {"organizer", "admin"}),
    "rubric": ("/manage/contests/{slug}/jury/rubric/", {"organizer", "admin"}),
    "results_manage": ("/manage/contests/{slug}/results/", {"organizer", "admin"}),
    "export": ("/manage/contests/{slug}/results/export/scores.csv", {"organizer", "admin"}),
    # Site admins hold every permission; they see the page but have nothing assigned.
    "my_rounds": ("/jury/{slug}/", {"juror", "admin"}),
    "score": ("/jury/{slug}/1/{entry}/", {"juror"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_matrix(judged, role, page):
    world, _r, entry = judged
    template, allowed = PAGES[page]
    response = client_for(world, role).get(
        template.format(slug=world.contest.slug, entry=entry.public_id)
    )
    if role in allowed:
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code in (403, 404)


API = {
    "progress": ("get", "/api/v1/contests/{slug}/jury/rounds/1/progress", {"organizer", "admin"}),
    "preview": ("get", "/api/v1/contests/{slug}/results/preview", {"organizer", "admin"}),
    "assignments": ("get", "/api/v1/contests/{slug}/jury/rounds/1/assignments", {"juror", "admin"}),
    "export": (
        "get",
        "/api/v1/contests/{slug}/results/exports/scores.xlsx",
        {"organizer", "admin"},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(API))
def test_api_matrix(judged, role, name):
    world, _r, _entry = judged
    method, template, allowed = API[name]
    response = getattr(client_for(world, role), method)(template.format(slug=world.contest.slug))
    if role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code in (401, 403, 404)


def test_blind_mode_never_shows_names_to_jurors_in_pages_or_api(judged):
    world, _r, entry = judged
    client = client_for(world, "juror")
    pages = [
        client.get(f"/jury/{world.contest.slug}/").content.decode(),
        client.get(f"/jury/{world.contest.slug}/1/{entry.public_id}/").content.decode(),
        client.get(
            f"/api/v1/contests/{world.contest.slug}/jury/rounds/1/assignments"
        ).content.decode(),
    ]
    assert "Tác phẩm mù" in pages[1]
    for text in pages:
        for name in NAMES:
            assert name not in text
            assert json.dumps(name)[1:-1] not in text


def test_open_round_shows_names_to_jurors(world):
    entry = make_finalist(world.contest, world.team_a, "Công khai", author=NAMES[2])
    open_round(world.contest, world.organizer, blind=False)
    text = (
        client_for(world, "juror")
        .get(f"/jury/{world.contest.slug}/1/{entry.public_id}/")
        .content.decode()
    )
    assert NAMES[0] in text and NAMES[2] in text


def test_a_juror_never_sees_another_jurors_draft(judged):
    world, r, entry = judged
    other = UserFactory(username="other_juror")
    grant(other, Role.JUROR, contest=world.contest)
    # Assignments were made before "other" joined: a second round includes both.
    r2 = domain.create_round(contest=world.contest, by=world.organizer, name="R2")
    domain.assign_round(round=r2, by=world.organizer)
    domain.open_round(round=r2, by=world.organizer)
    card = domain.save_scorecard(
        round=r2,
        juror=other,
        entry=entry,
        scores={k: 3 for k in full_scores(world.contest, 3)},
        comment="bí mật nháp",
    )
    assert not world.juror.has_perm("judging.view_scorecard", card)
    assert not world.organizer.has_perm("judging.view_scorecard", card)
    assert other.has_perm("judging.view_scorecard", card)
    text = (
        client_for(world, "juror")
        .get(f"/api/v1/contests/{world.contest.slug}/jury/rounds/2/assignments")
        .content.decode()
    )
    assert "bí mật nháp" not in text
    assert json.loads(text)[0]["scorecard_state"] is None
    assert r.number == 1


def test_api_scoring_refuses_bad_input_with_domain_errors(judged):
    world, _r, entry = judged
    _token, raw = create_api_token(user=world.juror, name="t")
    url = f"/api/v1/contests/{world.contest.slug}/jury/rounds/1/scorecards/{entry.public_id}"
    response = Client().put(
        url,
        json.dumps({"scores": {"1": 11}, "submit": True}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    ok = Client().put(
        url,
        json.dumps({"scores": {"1": 8, "2": 7, "3": 6, "4": 9}, "submit": True}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert (ok.status_code, ok.json()["scorecard_state"]) == (200, "submitted")
    assert ok.json()["team"] == ""


def test_public_results_page_and_api_after_publication(judged):
    world, r, entry = judged
    submit(r, world.juror, entry, 8)
    from clipcontest.results.domain import publish_results

    pub = publish_results(contest=world.contest, by=world.organizer)
    page = Client().get(f"/contests/{world.contest.slug}/results/").content.decode()
    assert pub.sha256 in page and "J1:" in page
    assert f">{world.juror}<" not in page and world.juror.username + ":" not in page
    api = Client().get(f"/api/v1/contests/{world.contest.slug}/results").json()
    assert api["sha256"] == pub.sha256
    assert Client().get(f"/api/v1/contests/{world.contest.slug}/results/verify").json()["matches"]
    library = Client().get("/api/v1/library").json()
    assert library == []  # no winners: the contest has no prize tiers
