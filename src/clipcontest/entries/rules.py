"""Who may see, create and change entries.

Unpublished entries are seen only by their team, the coordinators and organizers of the
entry's unit or a unit above it, the contest's organizers and its jurors.
"""

from __future__ import annotations

from typing import Any

import rules

from clipcontest.accounts.enums import Role
from clipcontest.accounts.queries import holds_unit_role, is_juror_of
from clipcontest.accounts.rules import is_site_admin
from clipcontest.org.rules import is_team_member


@rules.predicate
def is_entry_team_member(user: Any, entry: Any) -> bool:
    return entry is not None and is_team_member(user, entry.team)


@rules.predicate
def oversees_entry(user: Any, entry: Any) -> bool:
    """Coordinator or organizer of the entry's unit or above, or organizer of the contest."""
    if entry is None:
        return False
    return (
        holds_unit_role(user, Role.COORDINATOR, entry.unit)
        or holds_unit_role(user, Role.ORGANIZER, entry.unit)
        or holds_unit_role(user, Role.ORGANIZER, entry.contest.organizer_unit)
    )


@rules.predicate
def judges_entry(user: Any, entry: Any) -> bool:
    return entry is not None and is_juror_of(user, entry.contest)


@rules.predicate
def is_public_entry(user: Any, entry: Any) -> bool:
    return entry is not None and entry.is_public


rules.add_perm("entries.add_entry", is_site_admin | is_team_member)
rules.add_perm(
    "entries.view_entry",
    is_public_entry | is_site_admin | is_entry_team_member | oversees_entry | judges_entry,
)
rules.add_perm("entries.change_entry", is_entry_team_member)
