"""Verifying a voter and casting a vote from the entry page (plain forms; the page's
script only solves the proof-of-work challenge and fills one hidden field)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from clipcontest.audit.middleware import client_ip
from clipcontest.core.errors import DomainError
from clipcontest.core.ratelimit import RateLimited
from clipcontest.entries.models import Entry
from clipcontest.web.access import visible_contest

from .. import challenge, domain, pagecache
from ..enums import IdentityKind
from ..sessions import SESSION_KEY, current_voter, device_of, ensure_device_cookie, sign_in

CODE_REQUEST = "voting.code_request"


def _back(request: HttpRequest, slug: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("voting:gallery", args=[slug])
    return HttpResponseRedirect(target + "#vote")


def _error(request: HttpRequest, exc: DomainError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _limited(request: HttpRequest, slug: str, exc: DomainError) -> HttpResponse:
    """Rate limits answer 429 with the reason and a way back, not a silent redirect."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("voting:gallery", args=[slug])
    response = render(
        request, "voting/limited.html", {"messages_": exc.messages, "back": back}, status=429
    )
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after_seconds)
    return response


@never_cache
@require_safe
def challenge_json(request: HttpRequest, slug: str) -> JsonResponse:
    visible_contest(request, slug)
    return JsonResponse(challenge.issue())


@require_POST
def request_code(request: HttpRequest, slug: str) -> HttpResponse:
    contest = visible_contest(request, slug)
    kind = request.POST.get("kind", IdentityKind.EMAIL)
    try:
        row = domain.request_code(
            contest=contest,
            kind=kind,
            raw=request.POST.get("identity", ""),
            ip=client_ip(request),
        )
    except DomainError as exc:
        if exc.status == 429:
            return _limited(request, slug, exc)
        _error(request, exc)
    else:
        request.session[CODE_REQUEST] = {"id": str(row.pk), "kind": kind}
        messages.success(request, _("We sent you a 6-digit code. It is valid for 10 minutes."))
    return _back(request, slug)


@require_POST
def confirm_code(request: HttpRequest, slug: str) -> HttpResponse:
    visible_contest(request, slug)
    pending = request.session.get(CODE_REQUEST) or {}
    try:
        voter = domain.confirm_code(
            request_id=pending.get("id", ""), code=request.POST.get("code", "")
        )
    except DomainError as exc:
        _error(request, exc)
    else:
        sign_in(request, voter)
        request.session.pop(CODE_REQUEST, None)
        messages.success(request, _("You are verified. You can vote now."))
    return _back(request, slug)


@require_POST
def cast(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    contest, _voting, _window = pagecache.visible_state(request, slug)
    # One plain lookup: cast_vote applies the gallery rule itself (no second run of it,
    # nor the gallery's video prefetches, here).
    entry = Entry.objects.filter(contest=contest, public_id=public_id).first()
    if entry is None:
        raise Http404
    voter = current_voter(request)
    if voter is None:
        messages.error(request, _("Verify your e-mail address or phone number first."))
        return _back(request, slug)
    try:
        vote = domain.cast_vote(
            contest=contest,
            entry=entry,
            voter=voter,
            challenge_payload=request.POST.get("altcha", ""),
            ip=client_ip(request),
            device=device_of(request),
        )
    except DomainError as exc:
        if exc.status == 429:
            return _limited(request, slug, exc)
        _error(request, exc)
        return _back(request, slug)
    messages.success(
        request, _("Thank you! Your vote for “%(title)s” was counted.") % {"title": entry.title}
    )
    # The response is the voter's receipt: its code is shown once, on this page.
    response = HttpResponseRedirect(reverse("voting:receipt", args=[slug, vote.receipt_code]))
    ensure_device_cookie(request, response)
    return response


@require_POST
def sign_out(request: HttpRequest, slug: str) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return _back(request, slug)
