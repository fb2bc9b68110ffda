"""Aggregation methods, tie-breaks, committee decisions and why an entry landed where
it did. Stored values are stable strings; labels are translated when shown."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Aggregation(models.TextChoices):
    MEAN = "mean", _("mean of the jurors' weighted totals")
    MEDIAN = "median", _("median of the jurors' weighted totals")
    TRIMMED_MEAN = "trimmed", _("trimmed mean (highest and lowest dropped)")
    ZSCORE = "zscore", _("per-juror z-score normalisation")


class TieBreak(models.TextChoices):
    """Keys that order entries whose combined score ties, in the declared order.

    A named criterion is written ``criterion:<position>``.
    """

    JURY = "jury", _("jury score")
    PUBLIC = "public", _("valid public votes")
    COMMITTEE = "committee", _("the committee's recorded decision")

    @staticmethod
    def criterion(position: int) -> str:
        return f"criterion:{position}"

    @staticmethod
    def is_criterion(key: str) -> bool:
        head, _sep, tail = key.partition(":")
        return head == "criterion" and tail.isdigit()


class DecisionKind(models.TextChoices):
    PLACE = "place", _("place the entry at a position")
    TIE = "tie", _("order entries that tie on every declared key")


class Outcome(models.TextChoices):
    """Why an entry did or did not receive a tier's prize (see results.allocate)."""

    AWARDED = "awarded", _("awarded")
    HOLDS_PRIZE = "holds_prize", _("already holds a prize and one prize per entry applies")
    UNIT_CAP = "unit_cap", _("its unit already holds the most prizes allowed")
    BELOW = "below", _("ranked below the last place of this prize")
    NO_SCORE = "no_score", _("no submitted scorecard")
    NO_VOTES = "no_votes", _("no valid votes")
    NOT_COMPUTED = "not_computed", _("this kind of prize is not decided from scores or votes")


class PublicationState(models.TextChoices):
    """Where a published result stands. Only one version of a contest is current; the
    others are superseded by a later version or withdrawn (and so superseded too)."""

    CURRENT = "current", _("current")
    SUPERSEDED = "superseded", _("superseded")
    WITHDRAWN = "withdrawn", _("withdrawn")
