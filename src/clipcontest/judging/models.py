"""Rubrics, jury rounds, panels, assignments, recusals and scorecards.

The database keeps the invariants that matter under concurrency: one rubric per
contest, one assignment and hence one scorecard per (round, juror, entry), one score per
(scorecard, criterion), one recusal per (contest, juror, entry), a juror in at most one
panel per round.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import AssignmentMode, RecusalKind, RoundState, ScorecardState


class Rubric(models.Model):
    """How a contest's jury scores: a scale and weighted criteria."""

    contest = models.OneToOneField(
        "contests.Contest", on_delete=models.CASCADE, related_name="rubric"
    )
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=10)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_min__lt=F("scale_max")), name="rubric_scale_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contest}: {self.scale_min}–{self.scale_max}"


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=3,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.001"))],
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["rubric", "position"], name="criterion_position_unique"
            ),
            models.UniqueConstraint(fields=["rubric", "name"], name="criterion_name_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class JuryRound(models.Model):
    """One round of judging. ``seed`` makes the random panels reproducible."""

    contest = models.ForeignKey(
        "contests.Contest", on_delete=models.CASCADE, related_name="jury_rounds"
    )
    number = models.PositiveSmallIntegerField(_("round"))
    name = models.CharField(_("name"), max_length=120)
    state = models.CharField(
        _("state"), max_length=8, choices=RoundState.choices, default=RoundState.SETUP
    )
    mode = models.CharField(
        _("assignment"), max_length=8, choices=AssignmentMode.choices, default=AssignmentMode.ALL
    )
    jurors_per_entry = models.PositiveSmallIntegerField(
        _("jurors per entry (panels only)"), null=True, blank=True
    )
    seed = models.CharField(_("random seed"), max_length=64, blank=True)
    blind = models.BooleanField(
        _("blind judging"),
        default=True,
        help_text=_("Jurors see titles and clips only: no team, unit or authors."),
    )
    closes_at = models.DateTimeField(_("scoring closes"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("jury round")
        verbose_name_plural = _("jury rounds")
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="jury_round_number_unique"),
            models.CheckConstraint(
                condition=Q(mode="all") | Q(jurors_per_entry__gte=1),
                name="jury_round_panels_need_k",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest}: {self.name}"

    def accepts_scores(self, now: dt.datetime) -> bool:
        return self.state == RoundState.OPEN and (self.closes_at is None or now < self.closes_at)


class Panel(models.Model):
    round = models.ForeignKey(JuryRound, on_delete=models.CASCADE, related_name="panels")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="panel_position_unique")
        ]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    round = models.ForeignKey(JuryRound, on_delete=models.CASCADE, related_name="+")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "juror"], name="panel_member_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.juror_id} @ {self.panel_id}"


class Recusal(models.Model):
    """A juror who must not judge an entry, found automatically or declared."""

    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="+")
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recusals"
    )
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="recusals")
    kind = models.CharField(_("kind"), max_length=10, choices=RecusalKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "juror", "entry"], name="recusal_once_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.juror_id} ✕ {self.entry_id} ({self.kind})"


class Assignment(models.Model):
    round = models.ForeignKey(JuryRound, on_delete=models.CASCADE, related_name="assignments")
    panel = models.ForeignKey(
        Panel, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jury_assignments"
    )
    entry = models.ForeignKey(
        "entries.Entry", on_delete=models.CASCADE, related_name="jury_assignments"
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "juror", "entry"], name="assignment_once_per_pair"
            )
        ]
        indexes = [models.Index(fields=["round", "entry"], name="assignment_round_entry_idx")]

    def __str__(self) -> str:
        return f"{self.juror_id} → {self.entry_id}"


class Scorecard(models.Model):
    """One juror's scores for one entry in one round; locked once submitted."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="scorecard"
    )
    # Repeated from the assignment so that aggregation reads one table.
    round = models.ForeignKey(JuryRound, on_delete=models.CASCADE, related_name="scorecards")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=ScorecardState.choices, default=ScorecardState.DRAFT
    )
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "juror", "entry"], name="scorecard_once_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="scorecard_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["round", "state"], name="scorecard_round_state_idx")]

    def __str__(self) -> str:
        return f"{self.juror_id} → {self.entry_id} ({self.get_state_display()})"


class Score(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "criterion"], name="score_once_per_criterion"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class Reminder(models.Model):
    """A reminder to a late juror; the task sends it once and stamps ``sent_at``."""

    round = models.ForeignKey(JuryRound, on_delete=models.CASCADE, related_name="reminders")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    missing = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.juror_id} @ {self.round_id}"
