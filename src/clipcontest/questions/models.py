"""Questions an organizer adds to a contest's entry form, and the teams' answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import QuestionKind, Visibility


class Question(models.Model):
    """One extra question of a contest's entry form.

    Once an entry has answered it, it is locked (``domain.update_question`` refuses):
    changing what was asked needs a new question, and the old one can be retired.
    """

    contest = models.ForeignKey(
        "contests.Contest", on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("order"))
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("options"), default=list, blank=True)
    visibility = models.CharField(
        _("who sees the answers"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.ORGANIZER,
    )
    blind_safe = models.BooleanField(
        _("shown to jurors in blind rounds too"),
        default=False,
        help_text=_("Only when the answer says nothing about who the team is."),
    )
    condition_on = models.ForeignKey(
        "self",
        verbose_name=_("only when the answer to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dependents",
    )
    condition_value = models.CharField(_("is"), max_length=200, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["contest", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "position"], name="question_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(condition_on__isnull=True, condition_value="")
                | models.Q(condition_on__isnull=False),
                name="question_condition_shape",
            ),
        ]

    def __str__(self) -> str:
        return self.label


def answer_file_name(answer: Answer, filename: str) -> str:
    return filename  # domain.save_answers chooses the name (files.storage_name)


class Answer(models.Model):
    """An entry's answer to one question (at most one, by the unique constraint)."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(_("answer"))
    file = models.FileField(_("file"), upload_to=answer_file_name, max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["question", "entry"], name="answer_once_per_entry")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"
