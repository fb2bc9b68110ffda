"""Announcements: a message from an organizer or coordinator to a chosen audience, and
one row per recipient that records its delivery."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Audience, DeliveryState


class Announcement(models.Model):
    """A sent message. Its recipients are fixed when it is sent (``Recipient`` rows)."""

    contest = models.ForeignKey(
        "contests.Contest", on_delete=models.CASCADE, related_name="announcements"
    )
    # The sender's area: the contest's organizer unit, or the coordinator's unit. Every
    # audience is taken within this subtree.
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    entry_status = models.CharField(_("entry state"), max_length=16, blank=True)
    at_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("at unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class Recipient(models.Model):
    """One address an announcement goes to, at most once (unique constraint); the send
    task claims a row before sending and marks it sent after."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="recipients"
    )
    address = models.EmailField(_("address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        "org.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("delivery"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["announcement", "address"]
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "address"], name="announcement_recipient_once"
            )
        ]
        indexes = [models.Index(fields=["announcement", "state"], name="recipient_state_idx")]

    def __str__(self) -> str:
        return self.address
