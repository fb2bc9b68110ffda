"""Question kinds and who may see an answer."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("short text")
    LONG_TEXT = "long_text", _("long text")
    NUMBER = "number", _("number")
    DATE = "date", _("date")
    SINGLE_CHOICE = "single", _("single choice")
    MULTIPLE_CHOICE = "multiple", _("multiple choice")
    YES_NO = "yes_no", _("yes / no")
    URL = "url", _("web address (URL)")
    FILE = "file", _("file (PDF or image)")

    @classmethod
    def with_choices(cls) -> tuple["QuestionKind", ...]:
        """Kinds whose answers come from the question's list of options."""
        return (cls.SINGLE_CHOICE, cls.MULTIPLE_CHOICE)

    @classmethod
    def conditionable(cls) -> tuple["QuestionKind", ...]:
        """Kinds another question may depend on (their answers are a fixed set)."""
        return (cls.SINGLE_CHOICE, cls.MULTIPLE_CHOICE, cls.YES_NO)


class Visibility(models.TextChoices):
    """Who sees an answer besides the team that gave it. Each step widens the last:
    organizers see everything, coordinators what is for them or wider, jurors what is
    for the jury or the public, and anyone the public answers of a public entry."""

    ORGANIZER = "organizer", _("organizers only")
    COORDINATORS = "coordinators", _("screening coordinators and organizers")
    JURY = "jury", _("jurors, coordinators and organizers")
    PUBLIC = "public", _("everyone (shown in the gallery)")

    @classmethod
    def seen_at(cls, level: "Visibility") -> tuple["Visibility", ...]:
        """The visibilities a viewer at ``level`` may read."""
        order = [cls.PUBLIC, cls.JURY, cls.COORDINATORS, cls.ORGANIZER]
        return tuple(order[: order.index(level) + 1])
