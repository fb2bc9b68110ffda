"""Entries (works) submitted by teams, their authors and captions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import AuthorRole, EntryStatus, Licence


def captions_name(entry: Entry, filename: str) -> str:
    return f"captions/{entry.public_id}/{uuid.uuid4().hex}.vtt"


class Entry(models.Model):
    """One work of a team in a contest. ``unit`` is the team's unit when created."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contest = models.ForeignKey(
        "contests.Contest", on_delete=models.PROTECT, related_name="entries"
    )
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, related_name="entries")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="entries")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    topic_tags = models.JSONField(_("topics"), default=list, blank=True)
    licence = models.CharField(
        _("licence for reuse"), max_length=20, choices=Licence.choices, default=Licence.ORGANIZER
    )
    consent_people_shown = models.BooleanField(_("everyone shown agreed to appear"), default=False)
    shows_minors = models.BooleanField(_("people under 18 appear"), default=False)
    guardian_consent = models.BooleanField(
        _("a parent or guardian agreed for every minor shown"), default=False
    )
    captions = models.FileField(_("captions (WebVTT)"), upload_to=captions_name, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    # Which of the team's entry slots this entry uses (1..contest.entries_per_team); the
    # unique constraint, not a count in Python, stops two drafts from taking the last slot.
    slot = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Set when the entry becomes a finalist (screening calls entries.domain.publish_entries):
    # from then on anyone may watch it, in the gallery and the winners' library.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "team", "slot"],
                condition=Q(status__in=["draft", "submitted"]),
                name="entry_slot_unique",
            ),
        ]
        indexes = [models.Index(fields=["contest", "status"], name="entry_contest_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in EntryStatus.editable()

    @property
    def is_public(self) -> bool:
        return self.published_at is not None and self.contest.is_public


class Author(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=12, choices=AuthorRole.choices)

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["entry", "position"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "position"], name="author_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"
