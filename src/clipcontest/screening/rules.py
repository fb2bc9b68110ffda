"""Who may see and act in screening (django-rules, checked at object level).

- A unit's screening (its queue, shortlist, reject, forward, withdraw a forward): the
  coordinators of exactly that unit, and the contest's organizers, who may act for a unit
  without a coordinator (every decision records who took it). Coordinators of the unit's
  parent, of a sibling or of another district see nothing of it: each level screens its
  own arrivals.
- The contest's screening (overview, reminders, reopening a unit, level settings): the
  contest's organizers.
- An entry's screening history: its team, everyone who oversees the entry (coordinators
  and organizers of its unit or above) and the contest's organizers; internal notes are
  hidden from the team.

"Stage" objects are anything with ``contest`` and ``unit`` (``queries.Stage``).
"""

from __future__ import annotations

from typing import Any

import rules

from clipcontest.accounts.enums import Role
from clipcontest.accounts.queries import held_roles, holds_unit_role
from clipcontest.accounts.rules import is_site_admin
from clipcontest.contests.rules import organizes_contest
from clipcontest.entries.rules import is_entry_team_member, oversees_entry


@rules.predicate
def coordinates_stage_unit(user: Any, stage: Any) -> bool:
    """Coordinator of exactly the stage's unit (a role above it does not count)."""
    if stage is None:
        return False
    return any(h.role == Role.COORDINATOR and h.unit_id == stage.unit.pk for h in held_roles(user))


@rules.predicate
def organizes_stage_contest(user: Any, stage: Any) -> bool:
    return stage is not None and organizes_contest(user, stage.contest)


@rules.predicate
def organizes_entry_contest(user: Any, entry: Any) -> bool:
    return entry is not None and holds_unit_role(user, Role.ORGANIZER, entry.contest.organizer_unit)


can_screen = is_site_admin | organizes_stage_contest | coordinates_stage_unit

rules.add_perm("screening.view_stage", can_screen)
rules.add_perm("screening.decide", can_screen)
rules.add_perm("screening.manage", is_site_admin | organizes_contest)
rules.add_perm(
    "screening.view_progress",
    is_site_admin | is_entry_team_member | oversees_entry | organizes_entry_contest,
)
rules.add_perm("screening.view_notes", is_site_admin | oversees_entry | organizes_entry_contest)
rules.add_perm("screening.manage_stage", is_site_admin | organizes_stage_contest)
