"""The input boundary: NUL bytes, control characters, lone surrogates, bidi overrides and
oversized values are refused with 400/422 and a field message, never a 500, on every
database (these cases gave 500 on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from clipcontest.accounts.domain import create_api_token
from clipcontest.contests.enums import PhaseKind
from clipcontest.entries.models import Entry
from tests.factories import add_phase

JSON = "application/json"
CONTROL = "Remove the control characters (such as NUL) from this text."


def _token(user) -> dict[str, str]:
    _t, raw = create_api_token(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def open_contest(world):
    add_phase(world.contest, PhaseKind.SUBMISSION, timezone.now() - dt.timedelta(days=1))
    return world.contest


def _web_paths(world) -> list[str]:
    slug = world.contest.slug
    return [
        f"/contests/{slug}/gallery/?q=%00",
        f"/contests/{slug}/gallery/?unit=%00",
        f"/contests/{slug}/gallery/?topic=a%1Bb",
        "/library/?unit=%00",
        "/library/?q=%00&contest=%00",
        f"/units/{world.province.hierarchy.slug}/%00/",
        "/s/ab%00cd",
        f"/contests/{slug}%00/",
        f"/contests/{slug}/gallery/%00/",
        f"/manage/contests/{slug}%00/",
        "/manage/audit/?action=%00",
    ]


@pytest.mark.django_db
def test_web_nul_in_path_or_query_refused_with_400(world, client: Client):
    client.force_login(world.organizer)
    for path in _web_paths(world):
        response = client.get(path)
        assert (path, response.status_code) == (path, 400)
        assert CONTROL in response.content.decode()


@pytest.mark.django_db
def test_api_nul_in_path_or_query_refused_with_400(world):
    client = Client()
    hierarchy = world.province.hierarchy.slug
    for path in [
        f"/api/v1/units/{hierarchy}/{world.province.code}/subtree?level=%00",
        f"/api/v1/units/{hierarchy}/%00",
        f"/api/v1/contests/{world.contest.slug}%00",
        f"/api/v1/voting/{world.contest.slug}/gallery?q=%00",
    ]:
        response = client.get(path)
        assert (path, response.status_code) == (path, 400)
        assert response.json() == {
            "code": "invalid_input",
            "messages": [response.json()["messages"][0]],
        }
        assert CONTROL in response.json()["messages"][0]


@pytest.mark.django_db
def test_api_voting_code_with_nul_refused_with_422(world):
    response = Client().post(
        "/api/v1/voting/codes",
        data=json.dumps({"contest": "a\u0000b", "kind": "email", "identity": "x@example.org"}),
        content_type=JSON,
    )
    assert response.status_code == 422
    assert response.json() == {"code": "invalid_input", "messages": [f"“contest”: {CONTROL}"]}


@pytest.mark.django_db
def test_api_entry_title_with_nul_refused_and_nothing_stored(world, open_contest):
    body = {"contest": open_contest.slug, "team": world.team_a.pk, "title": "a\u0000b"}
    response = Client().post(
        "/api/v1/entries", data=json.dumps(body), content_type=JSON, **_token(world.member_a)
    )
    assert response.status_code == 422
    assert response.json()["messages"] == [f"“title”: {CONTROL}"]
    assert Entry.objects.count() == 0


@pytest.mark.django_db
def test_api_lone_surrogate_refused_with_422(world, open_contest):
    raw = json.dumps({"contest": open_contest.slug, "team": world.team_a.pk, "title": "a\ud800b"})
    assert "\\ud800" in raw
    response = Client().post(
        "/api/v1/entries", data=raw, content_type=JSON, **_token(world.member_a)
    )
    assert response.status_code == 422
    assert response.json()["messages"] == [
        "“title”: This text contains invalid Unicode characters."
    ]
    assert Entry.objects.count() == 0


@pytest.mark.django_db
def test_api_entry_title_with_bidi_override_refused(world, open_contest):
    body = {"contest": open_contest.slug, "team": world.team_a.pk, "title": "abc\u202egpj.exe"}
    response = Client().post(
        "/api/v1/entries", data=json.dumps(body), content_type=JSON, **_token(world.member_a)
    )
    assert response.status_code == 422
    assert (
        "Remove the text-direction override characters from this text." in response.content.decode()
    )
    assert Entry.objects.count() == 0


@pytest.mark.django_db
def test_api_entry_title_without_visible_characters_refused(world, open_contest):
    body = {"contest": open_contest.slug, "team": world.team_a.pk, "title": " \u200b\u3000 "}
    response = Client().post(
        "/api/v1/entries", data=json.dumps(body), content_type=JSON, **_token(world.member_a)
    )
    assert response.status_code == 422
    assert "This text must contain visible characters." in response.content.decode()
    assert Entry.objects.count() == 0


@pytest.mark.django_db
def test_web_form_field_with_nul_refused_with_field_name(world, client: Client):
    client.force_login(world.member_a)
    response = client.post("/me/api-tokens/", {"name": "a\x00b"})
    assert response.status_code == 400
    assert f"“name”: {CONTROL}" in response.content.decode()
    assert world.member_a.api_tokens.count() == 0


@pytest.mark.django_db
def test_web_form_name_with_bidi_override_gets_field_error(world, client: Client):
    client.force_login(world.member_a)
    response = client.post(
        "/me/api-tokens/", {"name": "abc\u202etxt.exe", "scope": "read", "expires_in_days": "9"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["Remove the text-direction override characters from this text."]
    }
    assert world.member_a.api_tokens.count() == 0


@pytest.mark.django_db
def test_web_refusal_is_translated(world, client: Client):
    client.cookies["django_language"] = "vi"
    response = client.get(
        f"/contests/{world.contest.slug}/gallery/?q=%00", HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 400
    assert "Hãy bỏ các ký tự điều khiển (như NUL) khỏi nội dung này." in response.content.decode()


@pytest.mark.django_db
def test_api_tab_and_newline_allowed_in_multiline_text(world, open_contest):
    body = {
        "contest": open_contest.slug,
        "team": world.team_a.pk,
        "title": "Clip",
        "description": "line one\n\tline two\r\n",
    }
    response = Client().post(
        "/api/v1/entries", data=json.dumps(body), content_type=JSON, **_token(world.member_a)
    )
    assert response.status_code == 201
    assert Entry.objects.get().description == "line one\n\tline two\r\n"


@pytest.mark.django_db
def test_query_value_over_limit_refused(world):
    response = Client().get(f"/contests/{world.contest.slug}/gallery/", {"q": "x" * 10_000})
    assert response.status_code == 400
    assert "Use at most 1000 characters." in response.content.decode()


@pytest.mark.django_db
def test_unknown_uuid_with_nul_in_share_path_refused(world):
    response = Client().get(f"/contests/{world.contest.slug}/gallery/{uuid.uuid4()}%00/share/")
    assert response.status_code == 400
