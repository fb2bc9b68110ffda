"""Finding the objects a screening page or endpoint is about, with the permission checks
shared by the web views and the API (so they cannot disagree)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from clipcontest.contests.models import Contest
from clipcontest.entries.models import Entry
from clipcontest.org.models import Unit

from .queries import Stage, stage_for


def require(user: Any, perm: str, obj: Any = None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def contest_or_404(user: Any, slug: str) -> Contest:
    """The contest, or 404 when this user may not see it (drafts do not leak)."""
    contest = get_object_or_404(Contest.objects.select_related("organizer_unit__level"), slug=slug)
    if not user.has_perm("contests.view_contest", contest):
        raise Http404
    return contest


def stage_or_404(user: Any, slug: str, code: str, perm: str = "screening.view_stage") -> Stage:
    """The screening stage of unit ``code`` in contest ``slug``; 403 without ``perm``."""
    contest = contest_or_404(user, slug)
    unit = get_object_or_404(
        Unit.objects.select_related("level"),
        hierarchy_id=contest.organizer_unit.hierarchy_id,
        code=code,
    )
    stage = stage_for(contest, unit)
    if stage is None:
        raise Http404
    require(user, perm, stage)
    return stage


def entry_in_contest(contest: Contest, public_id: uuid.UUID) -> Entry:
    return get_object_or_404(
        Entry.objects.select_related("team", "unit", "contest"),
        contest=contest,
        public_id=public_id,
    )


def entry_or_404(user: Any, public_id: uuid.UUID) -> Entry:
    """An entry whose screening the user may follow (its team, its overseers); 404
    otherwise, so that the existence of unpublished entries does not leak."""
    entry = get_object_or_404(
        Entry.objects.select_related("team", "unit", "contest__organizer_unit"),
        public_id=public_id,
    )
    if not user.has_perm("screening.view_progress", entry):
        raise Http404
    return entry
