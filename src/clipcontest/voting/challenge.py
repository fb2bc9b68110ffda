"""ALTCHA proof-of-work challenges: issued signed and expiring, verified server-side,
and consumed once (the used challenge's digest is a primary key)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clipcontest.core import proofofwork
from clipcontest.core.errors import DomainError

from . import conf
from .models import UsedChallenge


class ChallengeFailed(DomainError):
    code = "challenge_failed"
    status = 400


def issue() -> dict[str, Any]:
    """A fresh challenge for the browser (ALTCHA v1 JSON: algorithm, challenge,
    maxnumber, salt, signature)."""
    return proofofwork.issue(
        key=conf.key(),
        max_number=conf.get("VOTING_CHALLENGE_MAX_NUMBER"),
        ttl=conf.get("VOTING_CHALLENGE_TTL"),
    )


def consume(payload: str) -> None:
    """Verify a solved challenge (base64 JSON payload) and mark it used.

    Raises ChallengeFailed when it is missing, forged, wrong, expired or already used.
    Commits on its own, before the vote: a challenge spent on a refused vote stays spent.
    """
    if not payload:
        raise ChallengeFailed(_("Please wait for the anti-robot check to finish."))
    digest = proofofwork.verify(payload, key=conf.key())
    if digest is None:
        raise ChallengeFailed(_("The anti-robot check failed or expired. Please try again."))
    expires = timezone.now() + dt.timedelta(seconds=conf.get("VOTING_CHALLENGE_TTL") + 60)
    try:
        with transaction.atomic():
            UsedChallenge.objects.create(digest=digest, expires_at=expires)
    except IntegrityError as exc:
        raise ChallengeFailed(
            _("This anti-robot check was already used. Please try again.")
        ) from exc


def purge(*, now: dt.datetime) -> int:
    """Forget used challenges that have expired anyway (they can no longer verify)."""
    deleted, _by_model = UsedChallenge.objects.filter(expires_at__lt=now).delete()
    return deleted
