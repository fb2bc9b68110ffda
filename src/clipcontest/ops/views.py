"""Liveness, readiness and metrics endpoints (no session, no templates)."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST

from clipcontest.core.metrics import scrape

from .health import readiness


@require_safe
@never_cache
def livez(request: HttpRequest) -> HttpResponse:
    """The process answers: restart it if not. Touches nothing else."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Database, queue, cache and storage answer: send traffic here if 200, not if 503."""
    results = readiness()
    ready = all(value == "ok" for value in results.values())
    return JsonResponse(results, status=200 if ready else 503)


@require_safe
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, for a bearer of CLIPCONTEST_METRICS_TOKEN only (404 when
    no token is configured: the endpoint does not exist)."""
    token = settings.METRICS_TOKEN
    if not token:
        return HttpResponse(status=404)
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        response = HttpResponse("unauthorized", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(scrape(), content_type=CONTENT_TYPE_LATEST)
