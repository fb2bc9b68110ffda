from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import context


def client_ip(request: HttpRequest) -> str | None:
    """The peer address; behind a proxy, the proxy must overwrite REMOTE_ADDR (docs)."""
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
