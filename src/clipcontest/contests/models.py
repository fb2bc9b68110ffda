"""Contest editions, their phases and prize tiers."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import ContestStatus, PhaseKind, PhaseState, PrizeKind


class Contest(models.Model):
    """One edition of a recurring contest (``series`` groups the editions)."""

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    series = models.SlugField(_("series"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    edition = models.PositiveSmallIntegerField(_("edition"), validators=[MinValueValidator(1)])
    organizer_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("organizer unit"),
        on_delete=models.PROTECT,
        related_name="contests",
    )
    organizer_name = models.CharField(_("organizing body"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    rules_text = models.TextField(_("rules"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ContestStatus.choices, default=ContestStatus.DRAFT
    )
    entries_per_team = models.PositiveSmallIntegerField(
        _("entries per team"), default=2, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    max_video_mb = models.PositiveIntegerField(
        _("largest video (MB)"),
        default=2048,
        validators=[MinValueValidator(1), MaxValueValidator(20480)],
    )
    min_duration_seconds = models.PositiveIntegerField(_("shortest video (s)"), default=30)
    max_duration_seconds = models.PositiveIntegerField(_("longest video (s)"), default=600)
    max_video_height = models.PositiveIntegerField(
        _("highest resolution (lines)"),
        default=2160,
        validators=[MinValueValidator(240), MaxValueValidator(4320)],
    )
    entry_level = models.ForeignKey(
        "org.Level",
        verbose_name=_("teams enter from level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Teams of units at this level or below it (inside the organizer's unit) may "
            "enter. Leave empty for the lowest screening level."
        ),
    )
    cloned_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="clones"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["series", "edition"], name="contest_edition_unique"),
            models.CheckConstraint(
                condition=models.Q(min_duration_seconds__lt=models.F("max_duration_seconds")),
                name="contest_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in ContestStatus.public()


class Phase(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("kind"), max_length=12, choices=PhaseKind.choices)
    level = models.ForeignKey(
        "org.Level",
        verbose_name=_("screening level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quota = models.PositiveSmallIntegerField(_("quota per unit"), null=True, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    state = models.CharField(
        _("state"), max_length=10, choices=PhaseState.choices, default=PhaseState.SCHEDULED
    )

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["contest", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "kind"],
                condition=~models.Q(kind="screening"),
                name="phase_kind_once",
            ),
            models.UniqueConstraint(
                fields=["contest", "level"],
                condition=models.Q(kind="screening"),
                name="phase_screening_level_once",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="phase_ends_after"
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        if self.kind == PhaseKind.SCREENING and self.level_id:
            return f"{label}: {self.level}"
        return str(label)


class PrizeTier(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="prize_tiers")
    position = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=PrizeKind.choices, default=PrizeKind.JURY
    )
    count = models.PositiveSmallIntegerField(
        _("number of prizes"), default=1, validators=[MinValueValidator(1)]
    )
    reward = models.CharField(_("reward"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("prize tier")
        verbose_name_plural = _("prize tiers")
        ordering = ["contest", "position"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "position"], name="prize_position_unique")
        ]

    def __str__(self) -> str:
        return self.name
