"""Who may manage a contest's questions and answer them.

Questions are part of the contest's settings: its organizers manage them. A team
answers for its own entries (the same people who may change the entry).
"""

from __future__ import annotations

from typing import Any

import rules

from clipcontest.accounts.enums import Role
from clipcontest.accounts.queries import holds_unit_role
from clipcontest.accounts.rules import is_site_admin


@rules.predicate
def organizes_contest(user: Any, contest: Any) -> bool:
    return contest is not None and holds_unit_role(user, Role.ORGANIZER, contest.organizer_unit)


rules.add_perm("questions.manage_questions", is_site_admin | organizes_contest)
