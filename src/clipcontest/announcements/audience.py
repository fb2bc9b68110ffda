"""Who an announcement reaches: each audience resolved to addresses, within the
sender's unit subtree, each address once."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from clipcontest.accounts.enums import Role
from clipcontest.accounts.models import User
from clipcontest.contests.models import Contest
from clipcontest.entries.enums import EntryStatus
from clipcontest.entries.models import Entry
from clipcontest.org.models import Team, Unit

from .enums import Audience


@dataclass(frozen=True)
class Target:
    address: str
    user_id: int | None = None
    team_id: int | None = None


def _teams(teams: list[Team]) -> list[Target]:
    out: list[Target] = []
    members = User.objects.filter(team_memberships__team__in=teams, is_active=True).values_list(
        "team_memberships__team_id", "pk", "email"
    )
    for team in teams:
        if team.contact_email:
            out.append(Target(team.contact_email.lower(), None, team.pk))
    for team_id, user_id, email in members:
        if email:
            out.append(Target(email.lower(), user_id, team_id))
    return out


def _users(users: list[tuple[int, str]]) -> list[Target]:
    return [Target(email.lower(), pk) for pk, email in users if email]


def targets(
    *,
    contest: Contest,
    unit: Unit,
    audience: str,
    entry_status: str = "",
    at_unit: Unit | None = None,
) -> list[Target]:
    """The recipients of an audience, one per address (a user's own address wins over
    a team's contact address), sorted by address. Costs a fixed number of queries."""
    area = at_unit if at_unit is not None and at_unit.is_within(unit) else unit
    found: list[Target] = []
    if audience == Audience.ALL_TEAMS:
        found = _teams(
            list(
                Team.objects.filter(
                    unit__hierarchy_id=area.hierarchy_id, unit__path__startswith=area.path
                )
            )
        )
    elif audience == Audience.TEAMS_WITH_ENTRIES:
        states = [entry_status] if entry_status in EntryStatus.values else EntryStatus.active()
        team_ids = Entry.objects.filter(
            contest=contest, status__in=states, unit__path__startswith=area.path
        ).values("team_id")
        found = _teams(list(Team.objects.filter(pk__in=team_ids)))
    elif audience == Audience.COORDINATORS_PENDING:
        from clipcontest.screening.enums import ScreeningState
        from clipcontest.screening.models import UnitScreening

        units = UnitScreening.objects.filter(
            contest=contest,
            unit__path__startswith=area.path,
            signed_off_at__isnull=True,
            locked_at__isnull=True,
            items__state=ScreeningState.PENDING,
        ).values("unit_id")
        found = _users(
            list(
                User.objects.filter(
                    role_grants__role=Role.COORDINATOR,
                    role_grants__unit_id__in=units,
                    is_active=True,
                ).values_list("pk", "email")
            )
        )
    elif audience == Audience.JURORS_BEHIND:
        from clipcontest.judging.enums import RoundState, ScorecardState
        from clipcontest.judging.models import Assignment

        behind = Assignment.objects.filter(
            round__contest=contest, round__state=RoundState.OPEN
        ).filter(Q(scorecard__isnull=True) | ~Q(scorecard__state=ScorecardState.SUBMITTED))
        found = _users(
            list(
                User.objects.filter(pk__in=behind.values("juror_id"), is_active=True).values_list(
                    "pk", "email"
                )
            )
        )
    best: dict[str, Target] = {}
    for t in found:
        if t.address not in best or (best[t.address].user_id is None and t.user_id is not None):
            best[t.address] = t
    return [best[a] for a in sorted(best)]
