"""Request latency by route, for /metrics."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .instruments import REQUEST_SECONDS


class RequestMetricsMiddleware:
    """Times every request; labels it by its URL pattern (not its path: bounded
    cardinality), method and status class (``2xx``, ``4xx``, ...)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        route = match.route if match is not None else "<unmatched>"
        REQUEST_SECONDS.labels(
            route, request.method or "", f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - started)
        return response
