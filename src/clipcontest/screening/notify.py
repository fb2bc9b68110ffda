"""E-mails about screening: a notice to the team at each decision, reminders to
coordinators. Sent by the worker after the decision's transaction has committed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clipcontest.accounts.enums import Role
from clipcontest.accounts.models import User
from clipcontest.org.models import Team

from .enums import DecisionKind
from .models import ScreeningDecision


def team_addresses(team: Team) -> list[str]:
    emails = [team.contact_email, *team.members.values_list("email", flat=True)]
    return list(dict.fromkeys(e for e in emails if e))


def coordinator_addresses(unit_id: int) -> list[str]:
    emails = User.objects.filter(
        role_grants__role=Role.COORDINATOR, role_grants__unit_id=unit_id, is_active=True
    ).values_list("email", flat=True)
    return list(dict.fromkeys(e for e in emails if e))


def _message(decision: ScreeningDecision) -> EmailMessage | None:
    context: dict[str, Any] = {
        "decision": decision,
        "contest": decision.contest,
        "unit": decision.unit,
    }
    if decision.kind == DecisionKind.REMINDED:
        to = coordinator_addresses(decision.unit_id)
        context["url"] = settings.SITE_URL + reverse(
            "screening:queue", args=[decision.contest.slug, decision.unit.code]
        )
        template = "screening/email/reminder"
    elif decision.entry is not None and decision.kind in DecisionKind.for_team():
        to = team_addresses(decision.entry.team)
        context["entry"] = decision.entry
        context["url"] = settings.SITE_URL + reverse(
            "screening:entry_history", args=[decision.entry.public_id]
        )
        template = "screening/email/decision"
    else:
        return None
    if not to:
        return None
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    return EmailMessage(subject=subject, body=render_to_string(f"{template}.txt", context), to=to)


def send_notices(*, decision_ids: Iterable[int]) -> int:
    """Send the e-mail of each decision not sent yet; returns how many were sent.

    Each decision is claimed (``notified_at`` set) before its e-mail leaves, so running
    this twice sends nothing twice (at most once, never twice).
    """
    sent = 0
    decisions = ScreeningDecision.objects.filter(
        pk__in=list(decision_ids), notified_at__isnull=True
    ).select_related("contest", "unit", "entry__team", "phase__level", "by")
    for decision in decisions:
        claimed = ScreeningDecision.objects.filter(pk=decision.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        message = _message(decision) if claimed else None
        if message is not None:
            message.send()
            sent += 1
    return sent
