"""The JSON API at /api/v1/ (OpenAPI schema at /api/v1/openapi.json).

Every endpoint checks the same django-rules permissions as the web views and calls
the same domain functions.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import HttpError, Throttled
from ninja.errors import ValidationError as InputError

from clipcontest.accounts.api import router as tokens_router
from clipcontest.core.errors import DomainError
from clipcontest.core.ratelimit import RateLimited
from clipcontest.entries.api import router as entries_router
from clipcontest.judging.api import router as judging_router
from clipcontest.questions.api import answers_router as answers_router
from clipcontest.questions.api import router as questions_router
from clipcontest.results.api import library_router
from clipcontest.results.api import router as results_router
from clipcontest.screening.api import router as screening_router
from clipcontest.voting.api import router as voting_router

from .auth import ANYONE, SIGNED_IN
from .contests import router as contests_router
from .openapi import ClipcontestAPI
from .schemas import MeOut, RoleOut
from .units import router as units_router
from .units import teams_router

api = ClipcontestAPI(title="clipcontest API", version="1", urls_namespace="api", auth=SIGNED_IN)
api.add_router("/units", units_router)
api.add_router("/contests", contests_router)
api.add_router("/teams", teams_router)
api.add_router("/screening", screening_router)
api.add_router("/voting", voting_router)
api.add_router("/contests", judging_router)
api.add_router("/contests", results_router)
api.add_router("/library", library_router)
api.add_router("/entries", entries_router)
api.add_router("/contests", questions_router)
api.add_router("/answers", answers_router)
api.add_router("/me/tokens", tokens_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, object] = {"code": exc.code, "messages": exc.messages}
    if exc.field:
        body["field"] = exc.field
    if isinstance(exc, RateLimited):
        body["retry_after_ms"] = round(exc.retry_after * 1000)
    response = api.create_response(
        request, body, status=409 if exc.code == "conflict" else exc.status
    )
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after_seconds)
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"code": "forbidden", "messages": ["Forbidden"]}, status=403
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, {"code": "not_found", "messages": ["Not found"]}, status=404
    )


@api.exception_handler(InputError)
def invalid_input(request: HttpRequest, exc: InputError) -> HttpResponse:
    """Malformed input (pydantic's checks) in the one error shape: a message per field."""
    messages = [
        f"{'.'.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', '')}"
        for error in exc.errors
    ]
    return api.create_response(
        request,
        {"code": "invalid_input", "messages": [_("The request is not valid."), *messages]},
        status=422,
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals (authentication, the CSRF check, throttling) in our shape."""
    if exc.status_code == 401:
        code, message = "unauthorized", _("Sign in or send an API token.")
    elif exc.status_code == 403 and "CSRF" in exc.message:
        code = "csrf_failed"
        message = _(
            "The CSRF check failed: send the X-CSRFToken header with the session cookie, "
            "or use an API token."
        )
    elif exc.status_code == 429:
        code, message = "rate_limited", _("Too many requests. Please wait and try again.")
    else:
        code, message = "error", exc.message
    response = api.create_response(
        request, {"code": code, "messages": [message]}, status=exc.status_code
    )
    if isinstance(exc, Throttled) and exc.wait:
        response["Retry-After"] = str(exc.wait)
    return response


@api.get("/me", response=MeOut, auth=SIGNED_IN, tags=["accounts"])
def me(request: HttpRequest) -> MeOut:
    user = request.user
    grants = user.role_grants.select_related("unit__hierarchy", "contest")  # type: ignore[union-attr]
    return MeOut(
        username=user.get_username(),
        display_name=str(user),
        is_site_admin=user.is_superuser,
        roles=[
            RoleOut(
                role=g.role,
                unit=f"{g.unit.hierarchy.slug}/{g.unit.code}" if g.unit else None,
                contest=g.contest.slug if g.contest else None,
            )
            for g in grants
        ],
    )


__all__ = ["ANYONE", "api"]
