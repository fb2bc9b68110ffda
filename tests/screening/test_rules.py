"""Authorization matrix: every screening action × role × own unit / parent unit /
sibling unit / other district, through the web pages and the API."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

#: Who is asked, relative to the commune Nghĩa Điền (the stage acted on).
ROLES = {
    "admin": "admin",
    "organizer": "organizer",
    "own unit": "coord_commune_a",
    "parent unit": "coord_a",
    "sibling unit": "coord_commune_a2",
    "other district (commune)": "coord_commune_b",
    "other district": "coord_b",
    "team member": "member_a",
    "juror": "juror",
    "outsider": "outsider",
    "anonymous": "anonymous",
}
SCREENERS = {"admin", "organizer", "own unit"}
MANAGERS = {"admin", "organizer"}
FOLLOWERS = {"admin", "organizer", "own unit", "parent unit", "team member"}


def user_for(world, screening, who: str):
    name = ROLES[who]
    if name == "coord_commune_a2":
        return screening.coord_commune_a2
    if name == "coord_commune_b":
        return screening.coord_commune_b
    return world.user(name)


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def web_action(action: str, world, screening):
    slug, code, entry = world.contest.slug, world.commune_a.code, screening.entry_a.public_id
    unit = f"/contests/{slug}/screening/units/{code}/"
    return {
        "view queue": ("get", unit, {}),
        "shortlist": ("post", f"{unit}entries/{entry}/decide/", {"action": "shortlist"}),
        "reject": ("post", f"{unit}entries/{entry}/decide/", {"action": "reject", "reason": "x"}),
        "forward": (
            "post",
            f"{unit}forward/",
            {"entries": [screening.entry_a.pk], "sign_off": "on"},
        ),
        "withdraw forward": ("post", f"{unit}entries/{entry}/withdraw-forward/", {"reason": "x"}),
        "reopen": ("post", f"{unit}reopen/", {"until": "2030-03-20T10:00", "reason": "x"}),
        "overview": ("get", f"/contests/{slug}/screening/overview/", {}),
        "remind": ("post", f"/contests/{slug}/screening/reminders/", {}),
        "level settings": ("get", f"/contests/{slug}/screening/levels/{screening.commune.pk}/", {}),
        "entry history": ("get", f"/entries/{entry}/screening/", {}),
    }[action]


def expected_web(action: str, who: str) -> int:
    if action == "entry history":
        return 200 if who in FOLLOWERS else 404
    if who == "anonymous":
        return 302
    allowed = (
        MANAGERS if action in {"reopen", "overview", "remind", "level settings"} else SCREENERS
    )
    if who not in allowed:
        return 403
    return 200 if action in {"view queue", "overview", "level settings"} else 302


ACTIONS = [
    "view queue",
    "shortlist",
    "reject",
    "forward",
    "withdraw forward",
    "reopen",
    "overview",
    "remind",
    "level settings",
    "entry history",
]


@pytest.mark.parametrize("who", list(ROLES))
@pytest.mark.parametrize("action", ACTIONS)
def test_web_screening_permissions(world, screening, at_commune, action, who):
    method, url, data = web_action(action, world, screening)
    response = getattr(client_for(user_for(world, screening, who)), method)(url, data)
    assert response.status_code == expected_web(action, who)


@pytest.mark.parametrize("who", list(ROLES))
def test_refused_decisions_change_nothing(world, screening, at_commune, who):
    _method, url, data = web_action("shortlist", world, screening)
    client_for(user_for(world, screening, who)).post(url, data)
    item = screening.entry_a.screenings.get()
    assert item.state == ("shortlisted" if who in SCREENERS else "pending")


def api_action(action: str, world, screening):
    slug, code, entry = world.contest.slug, world.commune_a.code, screening.entry_a.public_id
    unit = f"/api/v1/screening/contests/{slug}/units/{code}"
    return {
        "view queue": ("get", unit, None),
        "shortlist": ("post", f"{unit}/entries/{entry}/shortlist", {"note": ""}),
        "reject": ("post", f"{unit}/entries/{entry}/reject", {"reason": "x"}),
        "forward": ("post", f"{unit}/forward", {"entries": [str(entry)], "sign_off": True}),
        "reopen": ("post", f"{unit}/reopen", {"until": "2030-03-20T10:00:00Z", "reason": "x"}),
        "overview": ("get", f"/api/v1/screening/contests/{slug}/levels", None),
        "entry history": ("get", f"/api/v1/screening/entries/{entry}", None),
    }[action]


def expected_api(action: str, who: str) -> set[int]:
    if who == "anonymous":
        return {401}
    if action == "entry history":
        return {200} if who in FOLLOWERS else {404}
    allowed = MANAGERS if action in {"reopen", "overview"} else SCREENERS
    if who not in allowed:
        return {403}
    # forward of a pending entry is refused by the domain, but only after authorization
    return {400} if action == "forward" else {200}


@pytest.mark.parametrize("who", list(ROLES))
@pytest.mark.parametrize(
    "action",
    ["view queue", "shortlist", "reject", "forward", "reopen", "overview", "entry history"],
)
def test_api_screening_permissions(world, screening, at_commune, action, who):
    method, url, payload = api_action(action, world, screening)
    client = client_for(user_for(world, screening, who))
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, payload, content_type="application/json")
    assert response.status_code in expected_api(action, who)


def test_coordinator_of_parent_unit_screens_the_district_not_the_commune(
    world, screening, at_commune
):
    client = client_for(world.coord_a)
    slug = world.contest.slug
    assert (
        client.get(f"/contests/{slug}/screening/units/{world.district_a.code}/").status_code == 200
    )
    assert (
        client.get(f"/contests/{slug}/screening/units/{world.commune_a.code}/").status_code == 403
    )


def test_draft_contest_screening_is_not_found_for_coordinators(world, screening, at_commune):
    world.contest.status = "draft"
    world.contest.save()
    url = f"/contests/{world.contest.slug}/screening/units/{world.commune_a.code}/"
    assert client_for(world.coord_commune_a).get(url).status_code == 404
