"""Pages anyone can see: the contest list and a contest's landing page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from clipcontest.accounts.queries import is_juror_of
from clipcontest.accounts.rules import is_any_coordinator
from clipcontest.contests.enums import ContestStatus
from clipcontest.contests.models import Contest
from clipcontest.org.models import Team
from clipcontest.results.queries import has_publications

from ..access import visible_contest


def home(request: HttpRequest) -> HttpResponse:
    contests = (
        Contest.objects.filter(status__in=ContestStatus.public())
        .select_related("organizer_unit")
        .order_by("-created_at")
    )
    return render(request, "web/home.html", {"contests": contests})


def contest_detail(request: HttpRequest, slug: str) -> HttpResponse:
    contest = visible_contest(request, slug)
    user = request.user
    in_team = user.is_authenticated and Team.objects.filter(memberships__user=user).exists()
    phases = contest.phases.select_related("level").order_by("starts_at")
    return render(
        request,
        "web/contest_detail.html",
        {
            "contest": contest,
            "phases": phases,
            "prizes": contest.prize_tiers.all(),
            "can_manage": user.has_perm("contests.change_contest", contest),
            "published": has_publications(contest),
            "in_team": in_team,
            "screens": user.is_authenticated
            and (is_any_coordinator(user) or user.has_perm("contests.change_contest", contest)),
            "judges": is_juror_of(user, contest),
        },
    )


@never_cache
@require_safe
def csrf_token(request: HttpRequest) -> JsonResponse:
    """The CSRF token (and its cookie) for a page that was cached for everyone and so
    carries none; ``web/csrf.js`` asks for it only when such a page sends a form."""
    return JsonResponse({"token": get_token(request)})


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers: answers without touching the database or templates
    (also the "hello world" baseline of the page benchmarks)."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico before reading any page: send them to the static one
    (resolved per request, so the hashed name of the deployed files is used)."""
    return HttpResponsePermanentRedirect(static("web/favicon.ico"))
