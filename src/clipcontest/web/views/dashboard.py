"""A signed-in person's starting page: what each of their roles lets them do."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render

from clipcontest.accounts.enums import Role
from clipcontest.accounts.queries import held_roles
from clipcontest.contests.enums import ContestStatus
from clipcontest.contests.models import Contest
from clipcontest.org.models import Team, Unit

from ..access import SignedInRequest


@login_required
def dashboard(request: SignedInRequest) -> HttpResponse:
    user = request.user
    roles = held_roles(user)
    organizer_units = Unit.objects.filter(
        pk__in=[r.unit_id for r in roles if r.role == Role.ORGANIZER]
    )
    coordinator_units = list(
        Unit.objects.filter(
            pk__in=[r.unit_id for r in roles if r.role == Role.COORDINATOR]
        ).select_related("hierarchy", "level")
    )
    if user.is_superuser:
        contests = Contest.objects.all()
    else:
        subtree = Q(pk__in=[])
        for unit in organizer_units:
            subtree |= Q(
                organizer_unit__hierarchy_id=unit.hierarchy_id,
                organizer_unit__path__startswith=unit.path,
            )
        contests = Contest.objects.filter(subtree)
    juror_contests = Contest.objects.filter(
        pk__in=[r.contest_id for r in roles if r.role == Role.JUROR]
    )
    teams = list(Team.objects.filter(memberships__user=user).select_related("unit"))
    public = list(
        Contest.objects.filter(status__in=ContestStatus.public()).select_related("organizer_unit")
    )
    coordinator_contests = [
        c for c in public if any(u.is_within(c.organizer_unit) for u in coordinator_units)
    ]
    team_contests = [c for c in public if any(t.unit.is_within(c.organizer_unit) for t in teams)]
    return render(
        request,
        "web/dashboard.html",
        {
            "contests": contests.select_related("organizer_unit"),
            "juror_contests": juror_contests,
            "coordinator_units": coordinator_units,
            "organizer_units": organizer_units.select_related("hierarchy"),
            "teams": teams,
            "team_contests": team_contests,
            "coordinator_contests": coordinator_contests,
            "can_create": user.has_perm("contests.add_contest"),
        },
    )
