from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from clipcontest.contests.models import Contest
from clipcontest.org.models import Unit


def unit_by_ref(ref: str) -> Unit:
    """A unit named "<hierarchy slug>/<code>"."""
    hierarchy, _sep, code = ref.partition("/")
    if not code:
        raise Http404
    return get_object_or_404(
        Unit.objects.select_related("level", "hierarchy", "parent"),
        hierarchy__slug=hierarchy,
        code=code,
    )


def visible_contest(request: HttpRequest, slug: str) -> Contest:
    contest = get_object_or_404(Contest.objects.select_related("organizer_unit__level"), slug=slug)
    if not request.user.has_perm("contests.view_contest", contest):
        raise Http404
    return contest
