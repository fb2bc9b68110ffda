"""A fuzz of every query parameter, path parameter and form field we can enumerate
with hostile values (NUL, controls, bidi, a lone surrogate, 10,000 characters, wrong
types): the answer may be a refusal, never a server error.

API parameters and bodies are enumerated from the OpenAPI schema, so a new endpoint is
fuzzed without editing this file; the web's are listed here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone

from clipcontest.accounts.domain import create_api_token
from clipcontest.api.main import api
from clipcontest.contests.enums import PhaseKind
from tests.factories import add_phase

STRINGS = [
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\x7f",
    "\u202eevil",
    "\u2066x\u2069",
    "x" * 10_000,
    "",
    " ",
    "-1",
    "1e999",
    "[]",
    "{}",
    "null",
    "💥",
]
# Query strings as sent on the wire: a lone surrogate cannot be UTF-8, send its bytes.
RAW_QUERY_VALUES = [quote(s) for s in STRINGS] + ["%ED%A0%80", "%FF%FE", "%"]
JSON_VALUES: list[Any] = [*STRINGS, "\ud800", 0, -1, 10**30, 1.5, True, None, [], {}, ["\x00"]]

WEB_QUERIES = {
    "/contests/{slug}/gallery/": ["unit", "topic", "q", "sort", "page"],
    "/library/": ["contest", "unit", "topic", "q", "page"],
    "/contests/{slug}/screening/overview/": ["level", "page"],
    "/contests/{slug}/screening/mine/": ["state", "page"],
    "/manage/audit/": ["action", "page"],
    "/manage/contests/{slug}/audit/": ["action", "page"],
    "/units/": ["q", "page"],
    "/login/": ["next"],
}
WEB_FORMS = {
    "/login/": ["username", "password", "next"],
    "/me/api-tokens/": ["name", "scope", "expires_in_days"],
    "/manage/contests/new/": ["title", "slug", "series", "edition", "organizer_unit", "summary"],
    "/manage/contests/{slug}/edit/": ["title", "summary", "rules_text", "organizer_name"],
    "/manage/contests/{slug}/clone/": ["title", "slug", "edition", "submission_starts_at"],
    "/manage/contests/{slug}/results/decide/": ["entry", "value", "kind", "reason"],
    "/manage/contests/{slug}/results/library/": ["entry", "note"],
    "/manage/contests/{slug}/jurors/invite/": ["email", "display_name", "role"],
    "/units/{hierarchy}/{code}/teams/new/": ["name", "contact_email"],
    "/units/{hierarchy}/{code}/invite/": ["email", "display_name", "role"],
    "/contests/{slug}/vote/code/": ["kind", "identity"],
    "/contests/{slug}/vote/verify/": ["code"],
    "/password-reset/": ["email"],
}


@pytest.fixture
def places(world) -> dict[str, str]:
    add_phase(world.contest, PhaseKind.SUBMISSION, timezone.now() - dt.timedelta(days=1))
    return {
        "slug": world.contest.slug,
        "hierarchy": world.province.hierarchy.slug,
        "code": world.province.code,
        "public_id": str(uuid.uuid4()),
        "team_id": str(world.team_a.pk),
    }


def _fill(template: str, places: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: places.get(m.group(1), "1"), template)


def _server_errors(client: Client, method: str, url: str, **kwargs: Any) -> list[str]:
    """[] when the answer is not a server error, else a line naming the request."""
    response = getattr(client, method)(url, **kwargs)
    if response.status_code < 500:
        return []
    return [f"{method} {url[:120]} {str(kwargs.get('data', ''))[:80]} -> {response.status_code}"]


@pytest.mark.django_db
def test_web_query_parameters_never_500(world, places):
    failures: list[str] = []
    client = Client(raise_request_exception=False)
    client.force_login(world.admin)
    for template, params in WEB_QUERIES.items():
        url = _fill(template, places)
        for param in params:
            for raw in RAW_QUERY_VALUES:
                failures += _server_errors(client, "get", f"{url}?{param}={raw}")
    assert "\n".join(failures) == ""


@pytest.mark.django_db
def test_web_forms_never_500(world, places):
    failures: list[str] = []
    client = Client(raise_request_exception=False)
    for template, fields in WEB_FORMS.items():
        url = _fill(template, places)
        for field in fields:
            for value in STRINGS:
                client.force_login(world.admin)
                failures += _server_errors(client, "post", url, data={field: value})
    assert "\n".join(failures) == ""


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            found.append((path, method, operation))
    return found


def _body_fields(operation: dict[str, Any]) -> list[str]:
    components = api.get_openapi_schema(path_prefix="/api/v1")["components"]["schemas"]
    content = operation.get("requestBody", {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    if not ref:
        return []
    return list(components[ref.rsplit("/", 1)[-1]].get("properties", {}))


@pytest.mark.django_db
def test_api_path_and_query_parameters_never_500(world, places):
    _token, raw = create_api_token(user=world.admin, name="fuzz")
    failures: list[str] = []
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}")
    for path, method, operation in _operations():
        parameters = operation.get("parameters", [])
        for parameter in parameters:
            for value in RAW_QUERY_VALUES:
                if parameter["in"] == "path":
                    url = _fill(path.replace("{" + parameter["name"] + "}", value), places)
                elif parameter["in"] == "query":
                    url = f"{_fill(path, places)}?{parameter['name']}={value}"
                else:
                    continue
                failures += _server_errors(client, method, url)
    assert "\n".join(failures) == ""


@pytest.mark.django_db
def test_api_json_bodies_never_500(world, places):
    _token, raw = create_api_token(user=world.admin, name="fuzz")
    failures: list[str] = []
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}")
    for path, method, operation in _operations():
        url = _fill(path, places)
        for field in _body_fields(operation):
            for value in JSON_VALUES:
                body = json.dumps({field: value}, ensure_ascii=True)
                failures += _server_errors(
                    client, method, url, data=body, content_type="application/json"
                )
    assert "\n".join(failures) == ""
