from django.db import models
from django.utils.translation import gettext_lazy as _


class UploadStatus(models.TextChoices):
    RECEIVING = "receiving", _("receiving")
    VERIFYING = "verifying", _("checking the file")
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused")

    @classmethod
    def open(cls) -> tuple["UploadStatus", ...]:
        """States in which bytes may still arrive or the upload may expire."""
        return (cls.RECEIVING,)


class VideoStatus(models.TextChoices):
    PROCESSING = "processing", _("processing")
    PLAYABLE = "playable", _("playable (more sizes on the way)")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")

    @classmethod
    def watchable(cls) -> tuple["VideoStatus", ...]:
        return (cls.PLAYABLE, cls.READY)

    @classmethod
    def unfinished(cls) -> tuple["VideoStatus", ...]:
        return (cls.PROCESSING, cls.PLAYABLE)
