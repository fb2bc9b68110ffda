"""Irreversible actions ask first, without JavaScript: the visible control opens a box
saying what will happen, and only the button inside it sends the form."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

CONFIRM = re.compile(
    r'<details class="confirm( danger)?">\s*<summary[^>]*>([^<]+)</summary>\s*'
    r'<div class="confirm-body">\s*<p>([^<]+)</p>.*?'
    r'<button type="submit"(?: name="(\w+)" value="(\w+)")?[^>]*>([^<]+)</button>',
    re.S,
)


def _page(user, url) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client.get(url).content.decode()


def test_contest_status_changes_ask_first_and_say_what_happens(world):
    html = _page(world.organizer, f"/manage/contests/{world.contest.slug}/")
    found = [(bool(d), label, value) for d, label, _msg, _n, value, _b in CONFIRM.findall(html)]
    assert found == [(True, "Archive", "archived"), (True, "Back to draft", "draft")]
    messages = [msg for _d, _l, msg, _n, _v, _b in CONFIRM.findall(html)]
    assert messages[0].startswith("The contest leaves the home page")
    assert 'name="status" value="archived"' not in html.split("<details")[0]


def test_confirmed_status_change_is_applied(world):
    client = Client()
    client.force_login(world.organizer)
    client.post(f"/manage/contests/{world.contest.slug}/status/", {"status": "archived"})
    world.contest.refresh_from_db()
    assert world.contest.status == "archived"


def test_removing_a_coordinator_asks_first_naming_them(world):
    unit = world.district_a
    html = _page(world.organizer, f"/units/{unit.hierarchy.slug}/{unit.code}/")
    (confirm,) = CONFIRM.findall(html)
    danger, label, message, _name, _value, button = confirm
    assert (bool(danger), label, button) == (True, "Remove", "Remove")
    assert message == (
        f"{world.coord_a} will no longer coordinate this unit: "
        "their screening queue closes at once."
    )
