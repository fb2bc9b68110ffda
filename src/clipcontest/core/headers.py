"""Security headers on every response: Content-Security-Policy, Permissions-Policy, and
``Cache-Control: private, no-store`` on what signed-in people are served.

Our own middleware rather than django-csp: the policy is fixed (no inline script or
style anywhere, so no nonces to hand out) and the one page that differs, the embed
player, only changes ``frame-ancestors``. The setting has the shape of Django 6.0's
``SECURE_CSP`` (directive name → list of sources), so moving to Django's own
``ContentSecurityPolicyMiddleware`` later is a settings change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control

CSP_HEADER = "Content-Security-Policy"
PERMISSIONS_HEADER = "Permissions-Policy"
#: The attribute a view's response carries to change directives of the policy.
OVERRIDE_ATTRIBUTE = "_csp_override"


def build_policy(directives: Mapping[str, Sequence[str]]) -> str:
    """``{"default-src": ["'self'"]}`` → ``"default-src 'self'"``; empty lists are kept
    as bare directives (``upgrade-insecure-requests``)."""
    return "; ".join(
        " ".join([name, *sources]) if sources else name for name, sources in directives.items()
    )


def build_permissions(features: Mapping[str, Sequence[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` → ``"camera=(), fullscreen=(self)"``."""
    return ", ".join(f"{name}=({' '.join(allow)})" for name, allow in features.items())


Sources = Sequence[str] | Callable[[], Sequence[str]]


def csp_override(**directives: Sources) -> Callable[..., Any]:
    """Decorate a view to replace some directives of the policy on its responses, e.g.
    ``@csp_override(frame_ancestors=["*"])`` (underscores become hyphens). A callable
    is read on each response, so a setting can be given as ``lambda: settings.X``."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(*args, **kwargs)
            changes = {
                name.replace("_", "-"): list(sources() if callable(sources) else sources)
                for name, sources in directives.items()
            }
            setattr(response, OVERRIDE_ATTRIBUTE, changes)
            return response

        return wrapped

    return decorate


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated) or "Authorization" in request.headers


class SecurityHeadersMiddleware:
    """Adds the headers unless the response already has them (a view may set its own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        directives = dict(settings.SECURE_CSP)
        directives.update(getattr(response, OVERRIDE_ATTRIBUTE, {}))
        response.headers.setdefault(CSP_HEADER, build_policy(directives))
        response.headers.setdefault(
            PERMISSIONS_HEADER, build_permissions(settings.PERMISSIONS_POLICY)
        )
        # Views that chose their own caching (media with Range support, never_cache)
        # keep it; everything else a signed-in person gets stays out of every cache.
        if _signed_in(request) and "Cache-Control" not in response.headers:
            patch_cache_control(response, private=True, no_store=True)
        return response
