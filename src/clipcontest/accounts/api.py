"""The caller's own API tokens (/api/v1/me/tokens): list, create with a scope and a
lifetime, revoke. The same domain functions as the token page."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from clipcontest.core.textfields import Name

from . import domain
from .enums import TokenScope
from .models import ApiToken

router = Router(tags=["accounts"])


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None


class NewApiTokenOut(ApiTokenOut):
    token: str = Field(description="The bearer value, shown only in this answer.")


class TokenIn(Schema):
    name: Name
    scope: TokenScope = TokenScope.READ
    expires_in_days: int | None = Field(
        None, ge=1, le=domain.MAX_TOKEN_DAYS, description="Default: the site's token lifetime."
    )


def _out(token: ApiToken) -> dict[str, object]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "scope": token.scope,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
    }


@router.get("", response=list[ApiTokenOut])
def token_list(request: HttpRequest) -> list[dict[str, object]]:
    return [_out(t) for t in domain.active_tokens(request.user)]  # type: ignore[arg-type]


@router.post("", response={201: NewApiTokenOut})
def token_create(request: HttpRequest, payload: TokenIn) -> Status:
    token, raw = domain.create_api_token(
        user=request.user,  # type: ignore[arg-type]
        name=payload.name,
        scope=payload.scope,
        days=payload.expires_in_days or settings.API_TOKEN_MAX_AGE_DAYS,
    )
    return Status(201, {**_out(token), "token": raw})


@router.delete("/{token_id}", response={204: None})
def token_revoke(request: HttpRequest, token_id: int) -> Status:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    domain.revoke_api_token(token=token, by=request.user)
    return Status(204, None)
