"""API authentication: bearer tokens, or the browser session (with CSRF on writes)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from clipcontest.accounts.domain import token_for
from clipcontest.accounts.enums import TokenScope
from clipcontest.audit.context import bind_actor
from clipcontest.core.errors import NotAllowed

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ReadOnlyToken(NotAllowed):
    code = "read_only_token"


class TokenAuth(HttpBearer):
    """A working API token; a read-only one is refused (403) on anything but reads."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_for(token)
        if found is None:
            return None
        if found.scope == TokenScope.READ and request.method not in SAFE_METHODS:
            raise ReadOnlyToken(
                _("This API token can only read. Create a read-write token to make changes.")
            )
        request.user = found.user
        bind_actor(found.user)
        return found.user


class BrowserSession(SessionAuth):
    """The browser's session, with the CSRF check on writes; a request that carries no
    session cookie is simply not signed in this way (401, or a visitor where allowed),
    rather than refused for a CSRF token it had no reason to send."""

    def __call__(self, request: HttpRequest) -> Any:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super().__call__(request)


class Anonymous:
    """Lets public endpoints run for visitors; permissions still decide what they see."""

    def __call__(self, request: HttpRequest) -> Any:
        if not getattr(request, "user", None):
            request.user = AnonymousUser()
        return request.user


token_auth = TokenAuth()
django_auth = BrowserSession()
SIGNED_IN = [token_auth, django_auth]
ANYONE = [token_auth, django_auth, Anonymous()]
