"""Judging states. Transitions happen only in judging.domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundState(models.TextChoices):
    """A jury round is set up (panels, assignments), then open for scoring, then closed."""

    SETUP = "setup", _("being set up")
    OPEN = "open", _("open for scoring")
    CLOSED = "closed", _("closed")

    @classmethod
    def assignable(cls) -> tuple["RoundState", ...]:
        """States in which assignments may still be (re)made."""
        return (cls.SETUP,)


class AssignmentMode(models.TextChoices):
    ALL = "all", _("every juror scores every finalist")
    PANELS = "panels", _("balanced random panels, k jurors per finalist")


class ScorecardState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class RecusalKind(models.TextChoices):
    AUTOMATIC = "automatic", _("automatic: the juror holds a role on a unit of the entry")
    TEAM = "team", _("automatic: the juror is a member of the entry's team")
    DECLARED = "declared", _("declared by the juror")

    @classmethod
    def detected(cls) -> tuple["RecusalKind", ...]:
        """Kinds the system finds by itself (recomputed before each assignment)."""
        return (cls.AUTOMATIC, cls.TEAM)
