"""Sign-in throttling: failures only are counted, on the name as Django looks it up;
after a few, a proof-of-work challenge is required instead of refusing the owner; repeated
failures from one address wait, and a 429 says the real wait in Retry-After."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json

import pytest
import time_machine
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from clipcontest.accounts import signin
from tests.factories import UserFactory

PASSWORD = "pw-for-tests-1"
CHALLENGE_NEEDED = "Please wait for the anti-robot check to finish"


@pytest.fixture(autouse=True)
def _easy_challenge(settings):
    settings.LOGIN_CHALLENGE_MAX_NUMBER = 200


def _solve(client: Client) -> str:
    """What the browser's script does: find the number, send the ALTCHA payload."""
    challenge = client.get("/login/challenge.json").json()
    number = next(
        n
        for n in range(challenge["maxnumber"] + 1)
        if hashlib.sha256(f"{challenge['salt']}{n}".encode()).hexdigest() == challenge["challenge"]
    )
    solved = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
    return base64.b64encode(json.dumps({**solved, "number": number}).encode()).decode()


def _login(client: Client, username: str, password: str, *, solve: bool = False, ip: str):
    data = {"username": username, "password": password}
    if solve:
        data["altcha"] = _solve(client)
    return client.post("/login/", data, REMOTE_ADDR=ip)


def test_account_key_matches_how_django_finds_the_account():
    variants = [" user", "user\t", "ｕｓｅｒ", "USER", "User\n"]

    assert {signin.account_key(v) for v in variants} == {"user"}


@given(st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=10))
def test_delay_grows_and_is_capped(failures, free):
    wait = signin.delay(failures, free=free, cap=900)
    after = signin.delay(failures + 1, free=free, cap=900)

    assert (wait == 0) == (failures <= free)
    assert wait <= after <= 900
    assert after <= max(1, 2 * wait)


@pytest.mark.django_db
def test_signin_name_variants_share_one_counter():
    UserFactory(username="owner")
    client = Client()
    for variant in [" owner", "owner\t", "ｏｗｎｅｒ"]:
        assert _login(client, variant, "wrong", ip="10.0.0.1").status_code == 200

    response = _login(client, "OWNER", PASSWORD, ip="10.0.0.2")

    assert response.status_code == 400
    assert CHALLENGE_NEEDED in response.content.decode()
    assert response.context["challenge_required"] is True
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signin_owner_with_right_password_after_attackers_failures():
    UserFactory(username="owner")
    attacker = Client()
    for _ in range(3):
        _login(attacker, "owner", "guess", ip="203.0.113.9")
    for _ in range(3):
        assert _login(attacker, "owner", "guess", solve=True, ip="203.0.113.9").status_code == 200
    assert _login(attacker, "owner", PASSWORD, solve=True, ip="203.0.113.9").status_code == 429
    owner = Client()

    response = _login(owner, "owner", PASSWORD, solve=True, ip="198.51.100.7")

    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(UserFactory(username="owner").pk)


@pytest.mark.django_db
def test_signin_challenge_cannot_be_replayed():
    UserFactory(username="owner")
    client = Client()
    for _ in range(3):
        _login(client, "owner", "guess", ip="10.0.0.1")
    payload = _solve(client)
    first = client.post(
        "/login/", {"username": "owner", "password": "x", "altcha": payload}, REMOTE_ADDR="10.0.0.1"
    )

    again = client.post(
        "/login/",
        {"username": "owner", "password": PASSWORD, "altcha": payload},
        REMOTE_ADDR="10.0.0.1",
    )

    assert (first.status_code, again.status_code) == (200, 400)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signin_training_room_behind_one_address_signs_in_100_times():
    people = [UserFactory(username=f"learner{i}") for i in range(25)]
    statuses = []
    for round_ in range(4):
        for person in people:
            client = Client()
            if round_ == 0 and person.pk % 5 == 0:  # a few typos on the way
                _login(client, person.username, "typo", ip="192.0.2.50")
            statuses.append(_login(client, person.username, PASSWORD, ip="192.0.2.50").status_code)

    assert statuses == [302] * 100


@pytest.mark.django_db
def test_signin_wait_is_announced_truthfully_in_retry_after():
    UserFactory(username="owner")
    client = Client()
    start = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for attempt in range(8):  # 5 free failures, then waits of 1, 2 and 4 seconds
            traveller.shift(dt.timedelta(seconds=10))
            assert (
                _login(client, "owner", "guess", solve=attempt >= 3, ip="10.9.9.9").status_code
                == 200
            )
        traveller.shift(dt.timedelta(seconds=1))

        refused = _login(client, "owner", PASSWORD, ip="10.9.9.9")
        assert (refused.status_code, refused["Retry-After"]) == (429, "3")
        assert "Too many attempts. Please try again in 3 seconds." in refused.content.decode()

        traveller.shift(dt.timedelta(seconds=2))
        assert _login(client, "owner", PASSWORD, ip="10.9.9.9")["Retry-After"] == "1"
        traveller.shift(dt.timedelta(seconds=1))
        accepted = _login(client, "owner", PASSWORD, solve=True, ip="10.9.9.9")

    assert accepted.status_code == 302


@pytest.mark.django_db
def test_signin_success_counts_nothing():
    UserFactory(username="owner")
    for _ in range(40):
        client = Client()
        assert _login(client, "owner", PASSWORD, ip="10.1.1.1").status_code == 302

    assert signin.Throttle(username="owner", address="10.1.1.1").counts() == signin.Counts(0, 0, 0)


@pytest.mark.django_db
def test_password_reset_429_carries_truthful_retry_after():
    client = Client()
    start = dt.datetime(2026, 3, 1, 8, 0, 0, tzinfo=dt.UTC)
    with time_machine.travel(start + dt.timedelta(seconds=600), tick=False):
        statuses = [
            client.post(
                "/password-reset/", {"email": "x@example.org"}, REMOTE_ADDR="10.2.2.2"
            ).status_code
            for _ in range(11)
        ]
        last = client.post("/password-reset/", {"email": "x@example.org"}, REMOTE_ADDR="10.2.2.2")

    assert statuses == [302] * 10 + [429]
    assert (last.status_code, last["Retry-After"]) == (429, "3000")
    assert "Too many attempts. Please try again in 50 minutes." in last.content.decode()
