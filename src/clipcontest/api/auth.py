"""API authentication: bearer tokens, or the browser session (with CSRF on writes)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from clipcontest.accounts.domain import user_for_token
from clipcontest.audit.context import bind_actor


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
            bind_actor(user)
        return user


class Anonymous:
    """Lets public endpoints run for visitors; permissions still decide what they see."""

    def __call__(self, request: HttpRequest) -> Any:
        if not getattr(request, "user", None):
            request.user = AnonymousUser()
        return request.user


token_auth = TokenAuth()
SIGNED_IN = [token_auth, django_auth]
ANYONE = [token_auth, django_auth, Anonymous()]
