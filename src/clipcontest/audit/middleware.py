from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import context


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind ``CLIPCONTEST_TRUSTED_PROXIES`` reverse proxies, the
    address the outermost trusted proxy saw (counted from the right of
    X-Forwarded-For, so a client cannot forge it by sending the header itself)."""
    hops = settings.TRUSTED_PROXIES
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        via = "api" if request.path.startswith("/api/") else "web"
        with context.acting(actor=actor, ip=client_ip(request), via=via):
            return self.get_response(request)
