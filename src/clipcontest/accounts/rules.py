"""Permission predicates about people and roles (django-rules)."""

from __future__ import annotations

from typing import Any

import rules

from .enums import Role
from .queries import held_roles, holds_unit_role


@rules.predicate
def is_site_admin(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_any_organizer(user: Any) -> bool:
    return any(h.role == Role.ORGANIZER for h in held_roles(user))


@rules.predicate
def is_any_coordinator(user: Any) -> bool:
    return any(h.role == Role.COORDINATOR for h in held_roles(user))


def can_invite(
    user: Any, *, role: str, unit: Any = None, contest: Any = None, team: Any = None
) -> bool:
    """Who may invite whom: admins anyone; organizers within their unit's tree;
    coordinators only coordinators of units strictly below theirs and team members of
    teams in their subtree; jurors only by the contest's organizers."""
    if is_site_admin(user):
        return True
    if role == Role.ORGANIZER:
        return holds_unit_role(user, Role.ORGANIZER, unit, strict=True)
    if role == Role.COORDINATOR:
        return holds_unit_role(user, Role.ORGANIZER, unit) or holds_unit_role(
            user, Role.COORDINATOR, unit, strict=True
        )
    if role == Role.JUROR:
        return contest is not None and holds_unit_role(user, Role.ORGANIZER, contest.organizer_unit)
    if role == Role.TEAM_MEMBER and team is not None:
        return rules.has_perm("org.change_team", user, team)
    return False
