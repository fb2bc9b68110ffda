from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryStatus(models.TextChoices):
    """Where an entry stands. Issue 4 adds the screening states after SUBMITTED."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    WITHDRAWN = "withdrawn", _("withdrawn")

    @classmethod
    def editable(cls) -> tuple["EntryStatus", ...]:
        """States in which the team may still change the entry and its video."""
        return (cls.DRAFT,)

    @classmethod
    def active(cls) -> tuple["EntryStatus", ...]:
        """States that use one of the team's entry slots."""
        return (cls.DRAFT, cls.SUBMITTED)


class AuthorRole(models.TextChoices):
    DIRECTOR = "director", _("director")
    SCRIPT = "script", _("script writer")
    CAMERA = "camera", _("camera")
    EDITOR = "editor", _("editor")
    ACTOR = "actor", _("actor / presenter")
    OTHER = "other", _("other")


class Licence(models.TextChoices):
    """What the organizer may do with the work after the contest."""

    CC_BY = "cc-by-4.0", _("Creative Commons Attribution 4.0 (anyone may reuse with credit)")
    CC_BY_NC = (
        "cc-by-nc-4.0",
        _("Creative Commons Attribution-NonCommercial 4.0 (non-commercial reuse with credit)"),
    )
    ORGANIZER = "organizer", _("The organizer may show and share it, with credit, for free")
