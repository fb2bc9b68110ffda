"""Who is voting: a verified voter in the browser session, or a signed voter token (API).

Neither holds the e-mail address or phone number, only the voter's id.
"""

from __future__ import annotations

import secrets
import time

from django.core import signing
from django.http import HttpRequest, HttpResponse

from . import conf, identity
from .models import Voter

SESSION_KEY = "voting.voter"
TOKEN_SALT = "clipcontest.voting.voter"  # noqa: S105 - a signing namespace
DEVICE_COOKIE = "cc_device"


def _max_age() -> int:
    return int(conf.get("VOTING_SESSION_HOURS")) * 3600


def sign_in(request: HttpRequest, voter: Voter) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"id": voter.pk, "at": int(time.time())}


def current_voter(request: HttpRequest) -> Voter | None:
    data = request.session.get(SESSION_KEY)
    if not data or time.time() - data.get("at", 0) > _max_age():
        return None
    return Voter.objects.filter(pk=data.get("id")).first()


def voter_token(voter: Voter) -> str:
    return signing.dumps({"v": voter.pk}, salt=TOKEN_SALT, compress=True)


def voter_from_token(token: str) -> Voter | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=_max_age())
    except signing.BadSignature:
        return None
    return Voter.objects.filter(pk=data.get("v")).first()


def device_of(request: HttpRequest) -> str:
    """The keyed hash of the browser's device cookie (or the API's X-Device header)."""
    raw = request.COOKIES.get(DEVICE_COOKIE) or request.headers.get("X-Device", "")
    return identity.device_hash(raw[:100])


def ensure_device_cookie(request: HttpRequest, response: HttpResponse) -> None:
    if not request.COOKIES.get(DEVICE_COOKIE):
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(16),
            max_age=400 * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
