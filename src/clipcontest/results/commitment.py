"""A published result is a commitment: what it rests on cannot silently change.

- The prize tiers of a contest with a published result are read-only (its awards point
  at them, and so do certificates).
- While a publication is current, the phases that led to it cannot move: a timeline
  change may only move the end of the results phase. To go back (reopen voting or
  judging) the organizer first withdraws the publication with a reason
  (``results.domain.withdraw_publication``); the withdrawn document stays published,
  downloadable and verifiable, marked as withdrawn.

Both rules are guards the contests app runs (registered in ``ResultsConfig.ready``), so
the web pages, the API and the commands are all refused the same way.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clipcontest.audit.domain import record
from clipcontest.contests.enums import PhaseKind
from clipcontest.contests.models import Contest
from clipcontest.contests.timeline import PhaseSpec
from clipcontest.core.errors import Conflict, FieldError

from .enums import PublicationState
from .models import Publication
from .queries import current_publication


def prizes_guard(*, contest: Contest) -> str | None:
    """Why the prize tiers are read-only: prizes were awarded in a published result."""
    first = Publication.objects.filter(contest=contest).order_by("version").first()
    if first is None:
        return None
    return _(
        "Prizes were awarded in the published result (version %(version)s): the prize tiers "
        "are read-only now."
    ) % {"version": first.version}


def _settled(specs: list[PhaseSpec]) -> list[tuple[object, ...]]:
    """What a published result rests on: every phase but the results phase's end."""
    return sorted(
        (
            s.kind,
            s.level_name,
            s.quota,
            s.starts_at,
            s.ends_at if s.kind != PhaseKind.RESULTS else None,
        )
        for s in specs
    )


def timeline_guard(
    *, contest: Contest, before: list[PhaseSpec], after: list[PhaseSpec]
) -> str | None:
    """Refuse a timeline change over a current publication, except moving the end of
    the results phase."""
    publication = current_publication(contest)
    if publication is None or _settled(before) == _settled(after):
        return None
    return _(
        "Version %(version)s of the results is published: the phases that led to it cannot "
        "move. Withdraw the publication first, with a reason, if the contest must go back."
    ) % {"version": publication.version}


@transaction.atomic
def withdraw_publication(*, contest: Contest, by: Any, reason: str) -> Publication:
    """Withdraw the contest's current publication, saying why (the reason is public).

    The document, its SHA-256 and its awards stay stored: it remains downloadable and
    verifiable, marked withdrawn, and no version is current until the next publication.
    Then the phases may move again. Writes the withdrawal on the publication and an
    audit event, under the contest's row lock.
    """
    reason = reason.strip()
    if not reason:
        raise FieldError(
            _("Say why the published result is withdrawn; the reason is shown publicly."),
            field="reason",
        )
    Contest.objects.select_for_update().filter(pk=contest.pk).exists()
    publication = current_publication(contest)
    if publication is None:
        raise Conflict(_("No published result is current: there is nothing to withdraw."))
    now = timezone.now()
    Publication.objects.filter(pk=publication.pk).update(
        withdrawn_at=now, withdrawn_by=by, withdrawal_reason=reason
    )
    publication.refresh_from_db()
    record(
        action="results.withdrawn",
        target=publication,
        contest=contest,
        actor=by,
        before={"version": publication.version, "state": PublicationState.CURRENT},
        after={
            "version": publication.version,
            "state": PublicationState.WITHDRAWN,
            "sha256": publication.sha256,
        },
        reason=reason,
    )
    return publication
