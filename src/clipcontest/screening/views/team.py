"""Where an entry stands: the team's list and the one-page history of an entry."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..lookups import contest_or_404, entry_or_404
from ..queries import entry_decisions, entry_progress, screening_chain, team_screening_entries


@login_required
@require_safe
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    """The user's teams' entries in a contest and the furthest level each reached."""
    contest = contest_or_404(request.user, slug)
    return render(
        request,
        "screening/mine.html",
        {
            "contest": contest,
            "entries": team_screening_entries(request.user, contest),
            "chain": screening_chain(contest),
        },
    )


@require_safe
def entry_history(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Every level of the chain with the entry's state there, and every decision; internal
    notes only for those who screen."""
    entry = entry_or_404(request.user, public_id)
    reached = {item.phase_id: item for item in entry_progress(entry)}
    chain = [(phase, reached.get(phase.pk)) for phase in screening_chain(entry.contest)]
    return render(
        request,
        "screening/entry_history.html",
        {
            "entry": entry,
            "contest": entry.contest,
            "chain": chain,
            "decisions": entry_decisions(entry),
            "show_notes": request.user.has_perm("screening.view_notes", entry),
        },
    )
