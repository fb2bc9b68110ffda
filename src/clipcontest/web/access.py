"""Object-level permission checks shared by every view."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from clipcontest.accounts.models import User
from clipcontest.contests.models import Contest


class SignedInRequest(HttpRequest):
    """The request of a view behind ``login_required``: its user is a real account."""

    user: User


def require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless the user has ``perm`` on ``obj``."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def visible_contest(request: HttpRequest, slug: str) -> Contest:
    """The contest, or 404 when this user may not see it (drafts do not leak)."""
    contest = get_object_or_404(Contest.objects.select_related("organizer_unit__level"), slug=slug)
    if not request.user.has_perm("contests.view_contest", contest):
        raise Http404
    return contest


def managed_contest(request: HttpRequest, slug: str) -> Contest:
    contest = visible_contest(request, slug)
    require(request, "contests.change_contest", contest)
    return contest
