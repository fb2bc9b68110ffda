"""The declared method, committee decisions, publications, awards and the winners' library."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Aggregation, DecisionKind, TieBreak


def default_tie_break() -> list[str]:
    return [TieBreak.JURY.value, TieBreak.PUBLIC.value, TieBreak.COMMITTEE.value]


class ResultMethod(models.Model):
    """How a contest turns scores and votes into a ranking, declared before publishing."""

    contest = models.OneToOneField(
        "contests.Contest", on_delete=models.CASCADE, related_name="result_method"
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    trim_percent = models.PositiveSmallIntegerField(
        _("trimmed from each end (%)"), default=20, validators=[MaxValueValidator(49)]
    )
    jury_percent = models.PositiveSmallIntegerField(
        _("jury weight (%)"), default=100, validators=[MaxValueValidator(100)]
    )
    public_percent = models.PositiveSmallIntegerField(
        _("public vote weight (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    tie_break = models.JSONField(_("tie-break order"), default=default_tie_break)
    one_prize_per_entry = models.BooleanField(_("one prize per entry"), default=True)
    max_prizes_per_unit = models.PositiveSmallIntegerField(
        _("most prizes per unit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit. Distinctions do not count."),
    )
    unit_level = models.ForeignKey(
        "org.Level",
        verbose_name=_("count prizes per unit at level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty to count per the entry's own unit."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("result method")
        verbose_name_plural = _("result methods")
        constraints = [
            models.CheckConstraint(
                condition=Q(jury_percent__lte=100) & Q(public_percent__lte=100),
                name="result_method_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(trim_percent__lte=49), name="result_method_trim_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest}: {self.get_aggregation_display()}"


class TierRule(models.Model):
    """What allocation needs to know about a prize tier beyond its name and count."""

    tier = models.OneToOneField(
        "contests.PrizeTier", on_delete=models.CASCADE, related_name="allocation_rule"
    )
    distinction = models.BooleanField(
        _("distinction"),
        default=False,
        help_text=_(
            "A distinction may go to an entry that already holds a prize and does not "
            "count towards the per-unit limit."
        ),
    )

    class Meta:
        verbose_name = _("prize allocation rule")
        verbose_name_plural = _("prize allocation rules")

    def __str__(self) -> str:
        return f"{self.tier}: {'distinction' if self.distinction else 'prize'}"


class CommitteeDecision(models.Model):
    """A decision of the organizing committee that changes the order; shown publicly."""

    contest = models.ForeignKey(
        "contests.Contest", on_delete=models.CASCADE, related_name="committee_decisions"
    )
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=DecisionKind.choices)
    value = models.PositiveSmallIntegerField(
        _("position or priority"), validators=[MinValueValidator(1)]
    )
    reason = models.TextField(_("reason (shown publicly)"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("committee decision")
        verbose_name_plural = _("committee decisions")
        ordering = ["contest", "kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "entry", "kind"], name="committee_decision_once"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="committee_decision_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}: {self.entry_id}"


class Publication(models.Model):
    """A published result: the canonical JSON of the whole computation and its SHA-256.

    Only the latest version of a contest is current, and only while it is not withdrawn;
    earlier and withdrawn ones stay published (downloadable, verifiable) for the record.
    """

    contest = models.ForeignKey(
        "contests.Contest", on_delete=models.CASCADE, related_name="result_publications"
    )
    version = models.PositiveSmallIntegerField()
    round = models.ForeignKey("judging.JuryRound", on_delete=models.PROTECT, related_name="+")
    computation = models.TextField()
    sha256 = models.CharField(max_length=64)
    incomplete_override = models.TextField(
        _("published with incomplete scorecards because"), blank=True
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.TextField(_("withdrawn because"), blank=True)

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        ordering = ["contest", "-version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "version"], name="publication_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="publication_withdrawal_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest} v{self.version}"


class Award(models.Model):
    """One prize of a publication, for certificates and the winners' library."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="awards")
    tier = models.ForeignKey("contests.PrizeTier", on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey("entries.Entry", on_delete=models.PROTECT, related_name="awards")
    place = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["publication", "tier__position", "place"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "tier", "entry"], name="award_once_per_tier"
            ),
            models.UniqueConstraint(
                fields=["publication", "tier", "place"], name="award_place_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tier_id} #{self.place}: {self.entry_id}"


class LibraryItem(models.Model):
    """An entry in the public winners' library (winners join on publication; the
    organizer may add others)."""

    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="+")
    entry = models.OneToOneField(
        "entries.Entry", on_delete=models.CASCADE, related_name="library_item"
    )
    is_winner = models.BooleanField(default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ["-added_at"]

    def __str__(self) -> str:
        return str(self.entry_id)
