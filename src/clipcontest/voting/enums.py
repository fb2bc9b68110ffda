"""Voting states and choices. Transitions happen only in voting.domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import fraud, ledger


class VotePolicy(models.TextChoices):
    PER_ENTRY = ledger.POLICY_PER_ENTRY, _("one vote per voter per entry for the whole contest")
    DAILY = ledger.POLICY_DAILY, _("a number of votes per voter per day, one per entry a day")


class CountsVisibility(models.TextChoices):
    LIVE = "live", _("shown live")
    AFTER_CLOSE = "after_close", _("hidden until voting closes")


class IdentityKind(models.TextChoices):
    EMAIL = "email", _("e-mail address")
    PHONE = "phone", _("phone number")


class VoteState(models.TextChoices):
    VALID = "valid", _("counted")
    HELD = "held", _("held for review")
    INVALID = "invalid", _("invalidated")

    @classmethod
    def counted(cls) -> tuple["VoteState", ...]:
        """States the tally includes: held votes count until the organizer strikes them
        out, exactly as the public ledger does (a vote minus its invalidation)."""
        return (cls.VALID, cls.HELD)

    @classmethod
    def reviewable(cls) -> tuple["VoteState", ...]:
        return (cls.HELD,)


class ExclusionReason(models.TextChoices):
    """Why an organizer invalidated a vote (shown per entry on the results page)."""

    BURST_IP = fraud.BURST_IP, _("burst of votes from one address")
    BURST_SUBNET = fraud.BURST_SUBNET, _("burst of votes from one network")
    DISPOSABLE_EMAIL = fraud.DISPOSABLE_EMAIL, _("disposable e-mail address")
    SHARED_DEVICE = fraud.SHARED_DEVICE, _("many voters on one device")
    ROBOTIC_TIMING = fraud.ROBOTIC_TIMING, _("machine-like timing")
    BOUGHT = "bought", _("votes bought or traded")
    OTHER = "other", _("other (see the organizer's note)")
