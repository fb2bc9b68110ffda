"""Who may see and run contests."""

from __future__ import annotations

from typing import Any

import rules

from clipcontest.accounts.enums import Role
from clipcontest.accounts.queries import holds_unit_role, is_juror_of
from clipcontest.accounts.rules import is_any_organizer, is_site_admin


@rules.predicate
def organizes_contest(user: Any, contest: Any) -> bool:
    return contest is not None and holds_unit_role(user, Role.ORGANIZER, contest.organizer_unit)


@rules.predicate
def is_public_contest(user: Any, contest: Any) -> bool:
    return contest is not None and contest.is_public


@rules.predicate
def judges_contest(user: Any, contest: Any) -> bool:
    return contest is not None and is_juror_of(user, contest)


rules.add_perm("contests.add_contest", is_site_admin | is_any_organizer)
rules.add_perm(
    "contests.view_contest", is_public_contest | is_site_admin | organizes_contest | judges_contest
)
rules.add_perm("contests.change_contest", is_site_admin | organizes_contest)
rules.add_perm("contests.view_audit", is_site_admin | organizes_contest)
