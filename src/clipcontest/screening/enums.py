"""Screening states and decision kinds. Transitions happen only in screening.domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScreeningState(models.TextChoices):
    """Where an entry stands at one screening level (one row per level it reached)."""

    PENDING = "pending", _("waiting for a decision")
    SHORTLISTED = "shortlisted", _("shortlisted")
    REJECTED = "rejected", _("not selected")
    FORWARDED = "forwarded", _("forwarded")
    FINALIST = "finalist", _("finalist")
    STOPPED = "stopped", _("not forwarded before the deadline")

    @classmethod
    def decidable(cls) -> tuple["ScreeningState", ...]:
        """States a coordinator may still change with shortlist, reject or clear."""
        return (cls.PENDING, cls.SHORTLISTED, cls.REJECTED)

    @classmethod
    def undecided(cls) -> tuple["ScreeningState", ...]:
        """States that stop when the unit's deadline passes (counted as pending)."""
        return (cls.PENDING, cls.SHORTLISTED)

    @classmethod
    def passed(cls) -> tuple["ScreeningState", ...]:
        """States that used one place of the unit's quota."""
        return (cls.FORWARDED, cls.FINALIST)

    @classmethod
    def ended(cls) -> tuple["ScreeningState", ...]:
        """States in which the entry goes no further."""
        return (cls.REJECTED, cls.STOPPED)


class DecisionKind(models.TextChoices):
    """What one line of an entry's (or a unit's) screening history records."""

    ARRIVED = "arrived", _("arrived")
    SHORTLISTED = "shortlisted", _("shortlisted")
    REJECTED = "rejected", _("not selected")
    CLEARED = "cleared", _("decision cleared")
    FORWARDED = "forwarded", _("forwarded")
    FORWARD_WITHDRAWN = "unforwarded", _("forward withdrawn")
    STOPPED = "stopped", _("stopped at the deadline")
    REOPENED = "reopened", _("reopened")
    REMINDED = "reminded", _("reminder sent")

    @classmethod
    def for_team(cls) -> tuple["DecisionKind", ...]:
        """Decisions e-mailed to the entry's team."""
        return (
            cls.SHORTLISTED,
            cls.REJECTED,
            cls.CLEARED,
            cls.FORWARDED,
            cls.FORWARD_WITHDRAWN,
            cls.STOPPED,
            cls.REOPENED,
        )
