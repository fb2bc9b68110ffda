from django.db import models
from django.utils.translation import gettext_lazy as _


class ContestStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")

    @classmethod
    def public(cls) -> tuple["ContestStatus", ...]:
        return (cls.PUBLISHED, cls.ARCHIVED)


class PhaseKind(models.TextChoices):
    """Kinds of phase, in the order a contest runs them."""

    SUBMISSION = "submission", _("submission")
    SCREENING = "screening", _("screening")
    VOTING = "voting", _("public voting")
    JUDGING = "judging", _("judging")
    RESULTS = "results", _("results")


PHASE_ORDER = {kind: i for i, kind in enumerate(PhaseKind)}


class PhaseState(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class PrizeKind(models.TextChoices):
    JURY = "jury", _("jury prize")
    AUDIENCE = "audience", _("audience prize (valid votes)")
    REACH = "reach", _("reach prize (shared-link visits)")
