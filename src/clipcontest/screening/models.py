"""Tiered screening: per-level settings, each unit's screening, each entry's progress, and
the trail of decisions.

The contests app owns the chain (screening phases with a level, a quota and dates); this
app adds what only screening needs, keyed by the phase, so contests/ stays unaware of it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import DecisionKind, ScreeningState


class ScreeningLevel(models.Model):
    """Settings of one screening phase beyond its quota and dates."""

    phase = models.OneToOneField(
        "contests.Phase", on_delete=models.CASCADE, related_name="screening_level"
    )
    reason_required = models.BooleanField(_("a rejection needs a reason"), default=True)

    class Meta:
        verbose_name = _("screening level settings")
        verbose_name_plural = _("screening level settings")

    def __str__(self) -> str:
        return str(self.phase)


class UnitScreening(models.Model):
    """One unit's screening at one level of a contest.

    This row is what ``domain.lock_unit_screening`` locks: every change to the unit's
    entries at this level happens while holding it, so the quota holds under concurrency.
    """

    contest = models.ForeignKey(
        "contests.Contest", on_delete=models.CASCADE, related_name="unit_screenings"
    )
    phase = models.ForeignKey(
        "contests.Phase", on_delete=models.CASCADE, related_name="unit_screenings"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="screenings")
    quota_override = models.PositiveSmallIntegerField(
        _("quota for this unit"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the level's quota."),
    )
    forwarded_count = models.PositiveIntegerField(_("forwarded"), default=0)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    reopened_until = models.DateTimeField(_("reopened until"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("unit screening")
        verbose_name_plural = _("unit screenings")
        ordering = ["phase", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "unit"], name="unit_screening_once"),
        ]
        indexes = [
            models.Index(fields=["locked_at", "reopened_until"], name="unit_screening_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.phase}"

    def quota(self) -> int:
        return self.quota_override if self.quota_override is not None else (self.phase.quota or 0)

    def deadline(self) -> dt.datetime:
        return self.reopened_until or self.phase.ends_at

    def is_open(self, now: dt.datetime) -> bool:
        return self.locked_at is None and self.phase.starts_at <= now < self.deadline()


class EntryScreening(models.Model):
    """Where one entry stands at one screening level; one row per level it reached.

    ``phase`` repeats ``stage.phase`` so that the database itself guarantees an entry
    reaches each level at most once (entering and forwarding may race).
    """

    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="screenings")
    stage = models.ForeignKey(UnitScreening, on_delete=models.CASCADE, related_name="items")
    phase = models.ForeignKey("contests.Phase", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(
        _("state"), max_length=12, choices=ScreeningState.choices, default=ScreeningState.PENDING
    )
    reason = models.TextField(_("reason shown to the team"), blank=True)
    note = models.TextField(_("internal note"), blank=True)
    arrived_at = models.DateTimeField(_("arrived"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("entry screening")
        verbose_name_plural = _("entry screenings")
        ordering = ["stage", "arrived_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "phase"], name="entry_screening_once"),
        ]
        indexes = [models.Index(fields=["stage", "state"], name="entry_screening_stage_idx")]

    def __str__(self) -> str:
        return f"{self.entry_id} @ {self.stage_id}: {self.state}"


class ScreeningDecision(models.Model):
    """One line of the screening trail. ``reason`` is shown to the team, ``note`` is not.

    ``entry`` is empty for decisions about a whole unit (reopened, reminded); ``by`` is
    empty for what the clock decided (arrived, stopped).
    """

    contest = models.ForeignKey(
        "contests.Contest", on_delete=models.CASCADE, related_name="screening_decisions"
    )
    phase = models.ForeignKey("contests.Phase", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(
        "entries.Entry",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="screening_decisions",
    )
    kind = models.CharField(_("decision"), max_length=12, choices=DecisionKind.choices)
    reason = models.TextField(_("reason shown to the team"), blank=True)
    note = models.TextField(_("internal note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("screening decision")
        verbose_name_plural = _("screening decisions")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["entry", "at"], name="screening_decision_entry_idx"),
            models.Index(
                fields=["notified_at"],
                condition=Q(notified_at__isnull=True),
                name="screening_decision_unsent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.unit})"

    @property
    def by_clock(self) -> bool:
        return self.by_id is None and self.kind in (DecisionKind.ARRIVED, DecisionKind.STOPPED)
