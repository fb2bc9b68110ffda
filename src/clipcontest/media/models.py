"""Resumable uploads, accepted videos and their renditions.

Files are named relative to the default storage; no absolute path is ever stored.
Partial uploads live in the local spool folder until verified (see media/spool.py).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import UploadStatus, VideoStatus


class Upload(models.Model):
    """A tus upload in progress for one entry. ``offset`` counts bytes safely stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="uploads")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    length = models.BigIntegerField()
    offset = models.BigIntegerField(default=0)
    filename = models.CharField(max_length=255, blank=True)
    expected_sha256 = models.CharField(max_length=64, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=12, choices=UploadStatus.choices, default=UploadStatus.RECEIVING
    )
    refusal = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    video = models.OneToOneField(
        "media.Video", null=True, blank=True, on_delete=models.SET_NULL, related_name="upload"
    )

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        constraints = [
            models.CheckConstraint(
                condition=Q(offset__gte=0, offset__lte=models.F("length")),
                name="upload_offset_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename or self.id} ({self.offset}/{self.length})"


class VideoQuerySet(models.QuerySet["Video"]):
    def current_of(self, entry: models.Model) -> Video | None:
        """The entry's current video with its renditions, or None."""
        return self.filter(entry=entry, is_current=True).prefetch_related("renditions").first()

    def make_current(self, video: Video) -> Video | None:
        """Make ``video`` its entry's only current video; returns the one it replaces.

        The old one is unset first: the ``video_one_current`` constraint allows one.
        Call inside the caller's transaction.
        """
        previous = self.filter(entry_id=video.entry_id, is_current=True).exclude(pk=video.pk)
        replaced = previous.first()
        previous.update(is_current=False)
        self.filter(pk=video.pk).update(is_current=True)
        return replaced


class Video(models.Model):
    """An accepted original and everything made from it. The original is never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="videos")
    is_current = models.BooleanField(default=False)
    original = models.CharField(max_length=300)
    original_size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=255, blank=True)
    container = models.CharField(max_length=60)
    video_codec = models.CharField(max_length=40)
    audio_codec = models.CharField(max_length=40, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    fps = models.FloatField()
    duration = models.FloatField()
    #: measured by the probe (kbit/s); caps the ladder. Null for videos probed before.
    video_kbps = models.PositiveIntegerField(null=True, blank=True)
    audio_kbps = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=VideoStatus.choices, default=VideoStatus.PROCESSING
    )
    progress = models.FloatField(default=0.0)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure = models.TextField(blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    poster = models.CharField(max_length=300, blank=True)
    thumbnails = models.CharField(max_length=300, blank=True)
    thumbnail_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)

    objects = VideoQuerySet.as_manager()

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=Q(is_current=True), name="video_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename or self.id} {self.width}x{self.height}"


class Rendition(models.Model):
    """One H.264/AAC MP4 of a video at one size (and, when ``hls`` is set, its HLS
    variant made from the same encode); published when its files are stored."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="renditions")
    label = models.CharField(max_length=10)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    video_kbps = models.PositiveIntegerField()
    audio_kbps = models.PositiveIntegerField()
    name = models.CharField(max_length=300)
    size = models.BigIntegerField()
    #: storage name of this rung's HLS media playlist; blank for MP4-only renditions
    hls = models.CharField(max_length=300, blank=True)
    #: RFC 6381 codecs and measured bit/s (peak segment, mean) for the master playlist
    codecs = models.CharField(max_length=60, blank=True)
    bandwidth = models.PositiveIntegerField(default=0)
    average_bandwidth = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["video", "height"]
        constraints = [
            models.UniqueConstraint(fields=["video", "label"], name="rendition_label_unique")
        ]

    def __str__(self) -> str:
        return self.label
