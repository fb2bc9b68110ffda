"""Who may write announcements: a contest's organizers to anyone in it, a coordinator
to the teams and coordinators of their own subtree."""

from __future__ import annotations

from typing import Any

from clipcontest.accounts.enums import Role
from clipcontest.accounts.queries import held_roles, holds_unit_role
from clipcontest.contests.models import Contest
from clipcontest.org.models import Unit

from .enums import Audience


def organizes(user: Any, contest: Contest) -> bool:
    return bool(user.is_superuser) or holds_unit_role(user, Role.ORGANIZER, contest.organizer_unit)


def may_announce(user: Any, contest: Contest, unit: Unit, audience: str | None = None) -> bool:
    """Whether ``user`` may write to ``audience`` within ``unit``'s subtree."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not unit.is_within(contest.organizer_unit):
        return False
    if organizes(user, contest):
        return True
    return holds_unit_role(user, Role.COORDINATOR, unit) and (
        audience is None or audience in Audience.for_coordinators()
    )


def sender_units(user: Any, contest: Contest) -> list[Unit]:
    """The units ``user`` may write from in this contest: the organizer unit for its
    organizers, otherwise each unit they coordinate inside the contest's area."""
    if not user.is_authenticated:
        return []
    if organizes(user, contest):
        return [contest.organizer_unit]
    ids = [h.unit_id for h in held_roles(user) if h.role == Role.COORDINATOR and h.unit_id]
    return [
        u
        for u in Unit.objects.filter(pk__in=ids).order_by("path")
        if u.is_within(contest.organizer_unit)
    ]
