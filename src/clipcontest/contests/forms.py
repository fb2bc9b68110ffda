from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from clipcontest.core.textfields import MultiLineField, NameField, secure_form_fields
from clipcontest.org.models import Level, Unit

from .domain import CONTEST_FIELDS
from .enums import PhaseKind, PrizeKind
from .models import Contest

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class _QuerysetMixin:
    fields: dict[str, forms.Field]

    def _set_queryset(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset


class ContestForm(_QuerysetMixin, forms.ModelForm):
    field_order = ["title", "slug"]

    class Meta:
        model = Contest
        fields = ["slug", *CONTEST_FIELDS]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "rules_text": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        secure_form_fields(self)
        if units is not None:
            self._set_queryset("organizer_unit", units)
        if self.instance.pk:
            del self.fields["slug"]
            levels = Level.objects.filter(hierarchy_id=self.instance.organizer_unit.hierarchy_id)
        elif units is not None:
            levels = Level.objects.filter(
                hierarchy_id__in=units.order_by().values("hierarchy_id").distinct()
            )
        else:
            levels = Level.objects.none()
        self._set_queryset("entry_level", levels.select_related("hierarchy"))
        level_field = self.fields["entry_level"]
        assert isinstance(level_field, forms.ModelChoiceField)
        level_field.label_from_instance = lambda lv: f"{lv.name} · {lv.hierarchy.name}"  # type: ignore[method-assign,assignment]
        level_field.empty_label = _("the lowest screening level")

    def validate_unique(self) -> None:
        """Uniqueness is decided by the domain function inside its transaction."""


class PhaseForm(_QuerysetMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=PhaseKind.choices)
    level = forms.ModelChoiceField(
        label=_("screening level"), queryset=Level.objects.none(), required=False
    )
    quota = forms.IntegerField(label=_("quota per unit"), min_value=1, required=False)
    starts_at = forms.DateTimeField(label=_("starts"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("ends"), widget=DATETIME_WIDGET)

    def __init__(self, *args: Any, levels: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if levels is not None:
            self._set_queryset("level", levels)


PhaseFormSet = formset_factory(PhaseForm, extra=1, can_delete=True)


class PrizeForm(forms.Form):
    name = NameField(label=_("name"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=PrizeKind.choices)
    count = forms.IntegerField(label=_("number of prizes"), min_value=1, initial=1)
    reward = forms.CharField(label=_("reward"), max_length=200, required=False)


PrizeFormSet = formset_factory(PrizeForm, extra=1, can_delete=True)


class MovePhaseForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("starts"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("ends"), widget=DATETIME_WIDGET)
    reason = MultiLineField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CloneForm(_QuerysetMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    slug = forms.SlugField(label=_("slug"), max_length=80)
    edition = forms.IntegerField(label=_("edition"), min_value=1)
    submission_starts_at = forms.DateTimeField(label=_("submission opens"), widget=DATETIME_WIDGET)
    organizer_unit = forms.ModelChoiceField(
        label=_("organizer unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Leave empty to keep the same unit."),
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        secure_form_fields(self)
        if units is not None:
            self._set_queryset("organizer_unit", units)
