"""API tokens: a lifetime (default from settings), a read or read-write scope, revoked by a
password change or reset and by the end of the owner's last role, last use recorded at
most once a minute and shown on the token page."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from clipcontest.accounts.domain import create_api_token, revoke_role
from clipcontest.accounts.enums import Role, TokenScope
from clipcontest.accounts.models import ApiToken, RoleGrant
from tests.factories import grant

START = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
JSON = "application/json"
READ_ONLY = "This API token can only read. Create a read-write token to make changes."


def _me(raw: str) -> int:
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


@pytest.mark.django_db
def test_token_expires_after_the_default_90_days(world):
    with time_machine.travel(START, tick=False) as traveller:
        token, raw = create_api_token(user=world.organizer, name="ci")
        traveller.shift(dt.timedelta(days=89, hours=23))
        before = _me(raw)
        traveller.shift(dt.timedelta(hours=2))
        after = _me(raw)

    assert token.expires_at == START + dt.timedelta(days=90)
    assert (before, after) == (200, 401)


@pytest.mark.django_db
def test_token_lifetime_follows_the_setting(world, settings):
    settings.API_TOKEN_MAX_AGE_DAYS = 7
    with time_machine.travel(START, tick=False):
        token, _raw = create_api_token(user=world.organizer, name="ci")

    assert token.expires_at == START + dt.timedelta(days=7)


@pytest.mark.django_db
def test_read_token_refused_on_writes_with_403(world):
    _token, raw = create_api_token(user=world.organizer, name="dash", scope=TokenScope.READ)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    read = client.get("/api/v1/me")
    write = client.post("/api/v1/me/tokens", data=json.dumps({"name": "x"}), content_type=JSON)

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json() == {"code": "read_only_token", "messages": [READ_ONLY]}
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_api_creates_lists_and_revokes_tokens(world):
    _token, raw = create_api_token(user=world.organizer, name="admin", scope=TokenScope.WRITE)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    created = client.post(
        "/api/v1/me/tokens",
        data=json.dumps({"name": "reader", "expires_in_days": 30}),
        content_type=JSON,
    )
    body = created.json()
    lifetime = dt.datetime.fromisoformat(body["expires_at"]) - dt.datetime.fromisoformat(
        body["created_at"]
    )

    assert created.status_code == 201
    assert (body["name"], body["scope"], lifetime) == ("reader", "read", dt.timedelta(days=30))
    assert _me(body["token"]) == 200
    assert [t["name"] for t in client.get("/api/v1/me/tokens").json()] == ["reader", "admin"]
    assert client.delete(f"/api/v1/me/tokens/{body['id']}").status_code == 204
    assert _me(body["token"]) == 401


@pytest.mark.django_db
def test_web_creates_token_with_scope_and_expiry(world, client: Client):
    client.force_login(world.organizer)
    with time_machine.travel(START, tick=False):
        response = client.post(
            "/me/api-tokens/", {"name": "sheet", "scope": "read", "expires_in_days": "30"}
        )
    token = ApiToken.objects.get()

    assert response.status_code == 200
    assert (token.scope, token.expires_at) == ("read", START + dt.timedelta(days=30))
    assert response.context["raw"].startswith("cc_")


@pytest.mark.django_db
def test_token_stops_working_when_the_password_changes(world):
    _token, raw = create_api_token(user=world.organizer, name="ci")
    assert _me(raw) == 200

    world.organizer.set_password("a-new-long-password-42")
    world.organizer.save()

    assert _me(raw) == 401


@pytest.mark.django_db
def test_token_stops_working_when_the_password_is_reset(world):
    _token, raw = create_api_token(user=world.organizer, name="ci")
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(world.organizer.pk))
    link = client.get(
        f"/password-reset/{uid}/{default_token_generator.make_token(world.organizer)}/"
    )
    new = "a-new-long-password-42"

    done = client.post(link["Location"], {"new_password1": new, "new_password2": new})

    assert done.status_code == 302
    assert _me(raw) == 401


@pytest.mark.django_db
def test_token_revoked_when_the_owners_last_role_ends(world):
    grant(world.coord_a, Role.COORDINATOR, unit=world.commune_b)
    _token, raw = create_api_token(user=world.coord_a, name="ci")
    first, second = RoleGrant.objects.filter(user=world.coord_a)

    revoke_role(grant=first, by=world.admin)
    still = _me(raw)
    revoke_role(grant=second, by=world.admin)

    assert (still, _me(raw)) == (200, 401)
    assert ApiToken.objects.get().revoked_at is not None


@pytest.mark.django_db
def test_token_last_use_written_at_most_once_a_minute(world, client: Client):
    _token, raw = create_api_token(user=world.organizer, name="ci")
    with (
        time_machine.travel(START, tick=False) as traveller,
        CaptureQueriesContext(connection) as queries,
    ):
        _me(raw)
        traveller.shift(dt.timedelta(seconds=30))
        _me(raw)
        traveller.shift(dt.timedelta(seconds=31))
        _me(raw)
    writes = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]

    assert len(writes) == 2
    assert ApiToken.objects.get().last_used_at == START + dt.timedelta(seconds=61)
    client.force_login(world.organizer)
    page = client.get("/me/api-tokens/").content.decode()
    assert "last used 1/3/2026 15:01" in page
