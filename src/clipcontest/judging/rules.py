"""Who may run judging and who may score.

Organizers of the contest (and site admins) manage rubrics, rounds, assignments and
unlocks and see submitted scorecards; a juror sees and changes only their own cards.
Nobody but its juror ever sees a draft.
"""

from __future__ import annotations

from typing import Any

import rules

from clipcontest.accounts.rules import is_site_admin
from clipcontest.contests.rules import judges_contest, organizes_contest

from .enums import ScorecardState


@rules.predicate
def owns_scorecard(user: Any, card: Any) -> bool:
    return card is not None and user.is_authenticated and card.juror_id == user.pk


@rules.predicate
def is_submitted(user: Any, card: Any) -> bool:
    return card is not None and card.state == ScorecardState.SUBMITTED


@rules.predicate
def manages_scorecard_contest(user: Any, card: Any) -> bool:
    return card is not None and (is_site_admin(user) or organizes_contest(user, card.round.contest))


rules.add_perm("judging.manage_judging", is_site_admin | organizes_contest)
rules.add_perm("judging.score", judges_contest)
rules.add_perm(
    "judging.view_scorecard", owns_scorecard | (is_submitted & manages_scorecard_contest)
)
