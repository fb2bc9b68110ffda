"""Audiences of an announcement and the delivery states of its recipients."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    ALL_TEAMS = "teams", _("all teams (of the contest's or your unit's area)")
    TEAMS_WITH_ENTRIES = "entrants", _("teams with entries in a given state")
    COORDINATORS_PENDING = "coordinators", _("coordinators who have not acted yet")
    JURORS_BEHIND = "jurors", _("jurors behind on scoring")

    @classmethod
    def for_coordinators(cls) -> tuple["Audience", ...]:
        """Audiences a coordinator may write to (within their own subtree)."""
        return (cls.ALL_TEAMS, cls.TEAMS_WITH_ENTRIES, cls.COORDINATORS_PENDING)


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")

    @classmethod
    def open(cls) -> tuple["DeliveryState", ...]:
        """States the send task still works on."""
        return (cls.PENDING, cls.SENDING)


class Preset(models.TextChoices):
    """Ready-made messages, written in the language chosen for the announcement."""

    DEADLINE = "deadline", _("deadline reminder")
    RESULTS = "results", _("results published")
