"""The OpenAPI schema tells the truth: one name per component, every refusal documented
in the one error shape, public endpoints marked public; and the refusals that ninja
itself makes (CSRF, authentication, bad input) answer in that shape."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from django.test import Client
from ninja import Schema

from clipcontest.api.main import api

pytestmark = pytest.mark.django_db

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


def schema() -> dict:
    return api.get_openapi_schema()


def operations() -> list[tuple[str, str, dict]]:
    return [
        (path, method, op) for path, ops in schema()["paths"].items() for method, op in ops.items()
    ]


def all_subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *all_subclasses(direct))]


def test_schema_class_names_are_unique_across_the_api():
    import clipcontest.api.urls  # noqa: F401 - imports every router's schemas

    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in all_subclasses(Schema):
        if cls.__module__.startswith("clipcontest."):
            by_name[cls.__name__].add(cls.__module__)
    assert {name: mods for name, mods in by_name.items() if len(mods) > 1} == {}


def test_operations_refer_to_their_own_components():
    paths = schema()["paths"]

    def ok_ref(path: str, method: str = "get") -> str:
        responses = paths[path][method]["responses"]
        ok = responses.get("200") or responses.get(200)
        content = ok["content"]["application/json"]["schema"]
        return json.dumps(content)

    assert "GalleryEntryOut" in ok_ref("/api/v1/voting/{slug}/entries/{public_id}")
    assert "ScreeningProgressOut" in ok_ref("/api/v1/screening/entries/{public_id}")
    assert "ScreeningLevelOut" in ok_ref("/api/v1/screening/contests/{slug}/levels")
    assert "RoundProgressOut" in ok_ref("/api/v1/contests/{slug}/jury/rounds/{number}/progress")
    components = schema()["components"]["schemas"]
    assert sorted(components["ErrorOut"]["properties"]) == [
        "code",
        "field",
        "messages",
        "retry_after_ms",
    ]
    assert "levels" in components["HierarchyOut"]["properties"]


def test_every_operation_documents_its_refusals_with_the_error_shape():
    for path, method, op in operations():
        responses = {int(code): r for code, r in op["responses"].items()}
        secured = bool(op.get("security")) and {} not in op["security"]
        expected = {400, 403, 429} | ({401} if secured else set())
        if method != "get":
            expected.add(409)
        if op.get("parameters") or op.get("requestBody"):
            expected |= {404, 422}
        assert expected <= set(responses), (method, path)
        for code in expected:
            body = responses[code]["content"]["application/json"]["schema"]
            assert body == ERROR_REF, (method, path, code)


def test_public_endpoints_need_no_security():
    paths = schema()["paths"]
    for path in ("/api/v1/contests", "/api/v1/units/hierarchies", "/api/v1/library"):
        security = paths[path]["get"].get("security")
        assert security is None or {} in security, path
        assert "401" not in paths[path]["get"]["responses"], path
    assert {} not in paths["/api/v1/me"]["get"]["security"]


def test_csrf_failure_answers_in_the_error_shape(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.organizer)

    response = client.post("/api/v1/teams", {}, content_type="application/json")

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert len(response.json()["messages"]) == 1


def test_missing_authentication_answers_in_the_error_shape(client):
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json() == {
        "code": "unauthorized",
        "messages": ["Sign in or send an API token."],
    }


def test_malformed_input_answers_in_the_error_shape(world):
    client = Client()
    client.force_login(world.organizer)

    response = client.post("/api/v1/teams", {"name": 5}, content_type="application/json")

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["messages"][0] == "The request is not valid."
    assert any(m.startswith("body.") for m in body["messages"][1:])


def test_throttled_answer_has_the_error_shape_and_retry_after(rf):
    from ninja.errors import Throttled

    from clipcontest.api.main import http_error

    response = http_error(rf.get("/api/v1/me"), Throttled(wait=30))

    assert response.status_code == 429
    assert json.loads(response.content) == {
        "code": "rate_limited",
        "messages": ["Too many requests. Please wait and try again."],
    }
    assert response["Retry-After"] == "30"
