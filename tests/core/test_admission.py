"""Per-worker admission limit: counts of admitted and refused requests, never times."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import translation

from clipcontest.core.admission import AdmissionMiddleware, Gate

VOTE = "/api/v1/voting/bench/votes"


def nested(settings, total: int, path: str = VOTE, method: str = "post") -> list[HttpResponse]:
    """``total`` requests arriving while the earlier ones are still in flight in one
    worker: each admitted view, while running, sends the next requests through the same
    middleware (no threads, no timing). Returns the responses, outermost last."""
    settings.ADMISSION_LIMIT = 2
    factory = RequestFactory()
    responses: list[HttpResponse] = []
    sent = [1]

    def view(request: HttpRequest) -> HttpResponse:
        while sent[0] < total:
            sent[0] += 1
            responses.append(middleware(getattr(factory, method)(path)))
        return HttpResponse("ok")

    middleware = AdmissionMiddleware(view)
    responses.append(middleware(getattr(factory, method)(path)))
    return responses


def test_admission_refuses_beyond_the_limit_in_flight(settings):
    responses = nested(settings, total=4)
    # The third and fourth arrived while both slots were taken: refused at once.
    assert [r.status_code for r in responses] == [503, 503, 200, 200]


def test_admission_refusal_states_the_wait(settings):
    refused = next(r for r in nested(settings, total=3) if r.status_code == 503)
    # No request has finished yet: the initial 50 ms estimate × 2 in flight ÷ 2 slots.
    assert refused["Retry-After"] == "1"
    assert json.loads(refused.content) == {
        "code": "busy",
        "messages": ["The server is busy. Please try again in 50 milliseconds."],
        "retry_after_ms": 50,
    }


def test_admission_refusal_is_translated(settings):
    with translation.override("vi"):
        refused = next(r for r in nested(settings, total=3) if r.status_code == 503)
    assert json.loads(refused.content)["messages"] == [
        "Máy chủ đang bận. Vui lòng thử lại sau 50 mili giây."
    ]


def test_admission_ignores_cheap_routes(settings):
    responses = nested(settings, total=4, path="/contests/bench/gallery/", method="get")
    assert [r.status_code for r in responses] == [200, 200, 200, 200]
    assert len(responses) == 4


def test_admission_frees_slots_when_requests_finish(settings):
    settings.ADMISSION_LIMIT = 1
    middleware = AdmissionMiddleware(lambda request: HttpResponse("ok"))
    statuses = [middleware(RequestFactory().post(VOTE)).status_code for _ in range(5)]
    assert statuses == [200] * 5


def test_gate_estimate_follows_service_time():
    gate = Gate(1, initial=0.1, weight=0.5)
    assert gate.enter() is None
    gate.leave(0.3)  # average moves half-way: 0.2 s
    assert gate.enter() is None
    assert gate.enter() == 0.2
