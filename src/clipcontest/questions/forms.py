"""Forms for questions and answers; they only shape input, the domain decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import QuestionKind, Visibility
from .models import Answer, Question


class QuestionForm(forms.Form):
    label = forms.CharField(label=_("question"), max_length=300)
    help_text = forms.CharField(label=_("help text"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=QuestionKind.choices)
    required = forms.BooleanField(label=_("required"), required=False)
    choices = forms.CharField(
        label=_("options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For choice questions: one option per line."),
    )
    visibility = forms.ChoiceField(
        label=_("who sees the answers"), choices=Visibility.choices, initial=Visibility.ORGANIZER
    )
    blind_safe = forms.BooleanField(
        label=_("shown to jurors in blind rounds too"),
        required=False,
        help_text=_("Only when the answer says nothing about who the team is."),
    )
    condition_on = forms.ModelChoiceField(
        label=_("ask only when the answer to"),
        queryset=Question.objects.none(),
        required=False,
    )
    condition_value = forms.CharField(label=_("is"), max_length=200, required=False)

    def __init__(self, *args: Any, contest: Any, exclude: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        parents = Question.objects.filter(
            contest=contest, retired_at__isnull=True, kind__in=QuestionKind.conditionable()
        )
        if exclude is not None:
            parents = parents.filter(position__lt=exclude.position)
        self.fields["condition_on"].queryset = parents  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        return {
            "label": question.label,
            "help_text": question.help_text,
            "kind": question.kind,
            "required": question.required,
            "choices": "\n".join(question.choices),
            "visibility": question.visibility,
            "blind_safe": question.blind_safe,
            "condition_on": question.condition_on_id,
            "condition_value": question.condition_value,
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "label": data["label"],
            "help_text": data["help_text"],
            "kind": data["kind"],
            "required": data["required"],
            "choices": [c for c in data["choices"].splitlines() if c.strip()],
            "visibility": data["visibility"],
            "blind_safe": data["blind_safe"],
            "condition_on": data["condition_on"],
            "condition_value": data["condition_value"],
        }


YES_NO_CHOICES = [("yes", _("yes")), ("no", _("no"))]


def _field(q: Question) -> forms.Field:
    label = f"{q.label} *" if q.required else q.label
    common: dict[str, Any] = {"label": label, "required": False, "help_text": q.help_text}
    if q.kind == QuestionKind.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    if q.kind == QuestionKind.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if q.kind == QuestionKind.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if q.kind == QuestionKind.URL:
        return forms.CharField(widget=forms.URLInput(), **common)
    if q.kind == QuestionKind.SINGLE_CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *[(c, c) for c in q.choices]], **common)
    if q.kind == QuestionKind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in q.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    if q.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=YES_NO_CHOICES, widget=forms.RadioSelect, **common)
    if q.kind == QuestionKind.FILE:
        return forms.FileField(
            widget=forms.FileInput(attrs={"accept": "application/pdf,image/*"}), **common
        )
    return forms.CharField(**common)


class AnswersForm(forms.Form):
    """One field per active question, named ``q<id>``; conditions are explained in the
    help text, so the form works without JavaScript."""

    def __init__(
        self, *args: Any, questions: list[Question], answers: dict[int, Answer], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        labels = {q.pk: q.label for q in questions}
        for q in questions:
            field = _field(q)
            if q.condition_on_id:
                field.help_text = " ".join(
                    filter(
                        None,
                        [
                            str(
                                _("Only when the answer to “%(q)s” is “%(v)s”.")
                                % {"q": labels.get(q.condition_on_id, ""), "v": q.condition_value}
                            ),
                            q.help_text,
                        ],
                    )
                )
            answer = answers.get(q.pk)
            if answer is not None and q.kind != QuestionKind.FILE:
                value = answer.value
                if isinstance(value, bool):
                    value = "yes" if value else "no"
                field.initial = value
            self.fields[f"q{q.pk}"] = field
            if answer is not None and q.kind == QuestionKind.FILE:
                field.help_text = " ".join(
                    filter(
                        None,
                        [
                            str(field.help_text),
                            str(_("Stored: %(name)s") % {"name": answer.value.get("name", "")}),
                        ],
                    )
                )
                self.fields[f"q{q.pk}_clear"] = forms.BooleanField(
                    label=_("remove the stored file"), required=False
                )

    def values(self) -> dict[int, Any]:
        return {
            q.pk: self.cleaned_data.get(f"q{q.pk}")
            for q in self.questions
            if q.kind != QuestionKind.FILE
        }

    def uploads(self) -> dict[int, Any]:
        out = {}
        for q in self.questions:
            value = self.cleaned_data.get(f"q{q.pk}")
            if q.kind == QuestionKind.FILE and value:
                out[q.pk] = value
        return out

    def cleared(self) -> list[int]:
        return [q.pk for q in self.questions if self.cleaned_data.get(f"q{q.pk}_clear")]
