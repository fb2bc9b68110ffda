"""Per-worker admission control: turn excess load away before it costs.

A worker process serves a few requests at a time (gunicorn threads). When more than
``ADMISSION_LIMIT`` requests on the expensive routes (``ADMISSION_PATHS``: casting a
vote, asking for or checking a code) are in flight in this worker, the next one is
answered at once with 503, a ``Retry-After`` header (whole seconds, as HTTP wants) and a
body stating the expected wait in milliseconds — the moving average of how long an
expensive request has recently taken here, scaled by how many are ahead. No database,
cache or session is touched before the decision, so a refusal costs microseconds and
the remaining threads keep serving pages and health checks.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import ngettext


class Gate:
    """In-flight count and recent service time of one worker's expensive requests."""

    def __init__(self, limit: int, *, initial: float = 0.05, weight: float = 0.2) -> None:
        self.limit = limit
        self.in_flight = 0
        self.service = initial  # seconds, exponentially weighted moving average
        self.weight = weight
        self._lock = threading.Lock()

    def enter(self) -> float | None:
        """Take a slot (None), or the expected wait in seconds when all are taken."""
        with self._lock:
            if self.in_flight >= self.limit:
                return self.service * self.in_flight / self.limit
            self.in_flight += 1
            return None

    def leave(self, elapsed: float) -> None:
        with self._lock:
            self.in_flight -= 1
            self.service += self.weight * (elapsed - self.service)


def busy_message(wait_ms: int) -> str:
    if wait_ms < 1000:
        return ngettext(
            "The server is busy. Please try again in %(n)d millisecond.",
            "The server is busy. Please try again in %(n)d milliseconds.",
            wait_ms,
        ) % {"n": wait_ms}
    seconds = math.ceil(wait_ms / 1000)
    return ngettext(
        "The server is busy. Please try again in %(n)d second.",
        "The server is busy. Please try again in %(n)d seconds.",
        seconds,
    ) % {"n": seconds}


def refusal(request: HttpRequest, wait: float) -> HttpResponse:
    wait_ms = max(1, math.ceil(wait * 1000))
    message = busy_message(wait_ms)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"code": "busy", "messages": [message], "retry_after_ms": wait_ms}, status=503
        )
    else:
        response = HttpResponse(
            message + "\n", content_type="text/plain; charset=utf-8", status=503
        )
    response["Retry-After"] = str(max(1, math.ceil(wait_ms / 1000)))
    response["Cache-Control"] = "no-store"
    return response


class AdmissionMiddleware:
    """Place after LocaleMiddleware (the refusal is translated) and before anything that
    queries: sessions are lazy, so nothing before it costs a round trip."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        limit = int(getattr(settings, "ADMISSION_LIMIT", 0))
        self.gate = Gate(limit) if limit > 0 else None
        self.paths = re.compile("|".join(getattr(settings, "ADMISSION_PATHS", [])) or r"(?!)")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        gate = self.gate
        if gate is None or request.method != "POST" or not self.paths.match(request.path):
            return self.get_response(request)
        wait = gate.enter()
        if wait is not None:
            # Read the (small, size-capped) body so the keep-alive connection stays usable.
            request.body  # noqa: B018
            return refusal(request, wait)
        start = time.monotonic()
        try:
            return self.get_response(request)
        finally:
            gate.leave(time.monotonic() - start)
