"""Who may see and change units and teams."""

from __future__ import annotations

from typing import Any

import rules

from clipcontest.accounts.enums import Role
from clipcontest.accounts.queries import holds_unit_role
from clipcontest.accounts.rules import is_site_admin


@rules.predicate
def manages_unit(user: Any, unit: Any) -> bool:
    """Organizer or coordinator of this unit or of one above it."""
    return holds_unit_role(user, Role.ORGANIZER, unit) or holds_unit_role(
        user, Role.COORDINATOR, unit
    )


@rules.predicate
def manages_team_unit(user: Any, team: Any) -> bool:
    return team is not None and manages_unit(user, team.unit)


@rules.predicate
def is_team_member(user: Any, team: Any) -> bool:
    if team is None or not user.is_authenticated:
        return False
    return team.memberships.filter(user=user).exists()


@rules.predicate
def is_team_leader(user: Any, team: Any) -> bool:
    if team is None or not user.is_authenticated:
        return False
    return team.memberships.filter(user=user, role="leader").exists()


rules.add_perm("org.view_unit", rules.always_allow)
rules.add_perm("org.manage_unit", is_site_admin | manages_unit)
rules.add_perm("org.add_team", is_site_admin | manages_unit)
rules.add_perm("org.view_team", is_site_admin | manages_team_unit | is_team_member)
rules.add_perm("org.change_team", is_site_admin | manages_team_unit | is_team_leader)


@rules.predicate
def organizes_unit(user: Any, unit: Any) -> bool:
    return holds_unit_role(user, Role.ORGANIZER, unit)


rules.add_perm("org.organize_unit", is_site_admin | organizes_unit)
