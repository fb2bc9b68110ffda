"""The text rule of ``core/text.py`` as Django form fields, a validator and pydantic
types for django-ninja schemas, with one set of translated messages."""

from __future__ import annotations

from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pydantic import AfterValidator, Field

from . import text


def message(problem: text.Problem, *, max_length: int) -> str:
    """The translated sentence for a refused piece of text."""
    if problem is text.Problem.TOO_LONG:
        return ngettext(
            "Use at most %(n)d character.", "Use at most %(n)d characters.", max_length
        ) % {"n": max_length}
    return {
        text.Problem.CONTROL: _("Remove the control characters (such as NUL) from this text."),
        text.Problem.SURROGATE: _("This text contains invalid Unicode characters."),
        text.Problem.BIDI: _("Remove the text-direction override characters from this text."),
        text.Problem.INVISIBLE: _("This text must contain visible characters."),
    }[problem]


@deconstructible
class TextValidator:
    """Refuses text that breaks the rule (see ``core.text.problem``)."""

    def __init__(
        self,
        *,
        max_length: int = text.MAX_FIELD_VALUE,
        multiline: bool = False,
        name: bool = False,
        visible: bool = False,
    ):
        self.max_length = max_length
        self.multiline = multiline
        self.name = name
        self.visible = visible

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str):
            return
        found = text.problem(
            value,
            max_length=self.max_length,
            multiline=self.multiline,
            name=self.name,
            visible=self.visible and value != "",
        )
        if found is not None:
            raise ValidationError(message(found, max_length=self.max_length), code=found.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextValidator) and vars(self) == vars(other)


class TextField(forms.CharField):
    """A single-line text field under the rule (pass ``max_length``)."""

    multiline = False
    name_like = False

    def __init__(self, *, max_length: int = 200, **kwargs: Any):
        super().__init__(max_length=max_length, **kwargs)
        self.validators.append(
            TextValidator(
                max_length=max_length,
                multiline=self.multiline,
                name=self.name_like,
                visible=self.name_like,
            )
        )


class NameField(TextField):
    """A title or a name: one line, visible characters, no bidi overrides."""

    name_like = True


class MultiLineField(TextField):
    """Several lines of text (tab, LF and CR allowed)."""

    multiline = True
    widget = forms.Textarea

    def __init__(self, *, max_length: int = 20_000, **kwargs: Any):
        super().__init__(max_length=max_length, **kwargs)


def secure_form_fields(form: forms.BaseForm) -> None:
    """Put the rule on every plain text field of a form that lacks it (model forms get
    their fields from models); names and titles get the stricter rule."""
    for field_name, field in form.fields.items():
        if not isinstance(field, forms.CharField) or isinstance(field, TextField):
            continue
        if any(isinstance(v, TextValidator) for v in field.validators):
            continue
        multiline = isinstance(field.widget, forms.Textarea)
        name_like = field_name in {"name", "title", "display_name"}
        field.validators.append(
            TextValidator(
                max_length=field.max_length or text.MAX_FIELD_VALUE,
                multiline=multiline,
                name=name_like,
                visible=name_like and field.required,
            )
        )


def _pydantic_check(
    *, max_length: int, multiline: bool = False, name: bool = False, visible: bool = False
) -> AfterValidator:
    def check(value: str) -> str:
        # Blank text is the domain's to refuse, with its own message ("needs a title").
        found = text.problem(
            value,
            max_length=max_length,
            multiline=multiline,
            name=name,
            visible=visible and value.strip() != "",
        )
        if found is not None:
            raise ValueError(message(found, max_length=max_length))
        return value

    return AfterValidator(check)


# Types for django-ninja input schemas.
# (The limit is checked by our validator, for a translated message, and documented
# as maxLength in the OpenAPI schema.)
Title = Annotated[
    str,
    Field(json_schema_extra={"maxLength": 200}),
    _pydantic_check(max_length=200, name=True, visible=True),
]
Name = Title
Line = Annotated[str, Field(json_schema_extra={"maxLength": 200}), _pydantic_check(max_length=200)]
LongText = Annotated[
    str,
    Field(json_schema_extra={"maxLength": 20_000}),
    _pydantic_check(max_length=20_000, multiline=True),
]
