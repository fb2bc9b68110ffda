"""Forms for judging pages. They only parse input; rules live in judging.domain."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import AssignmentMode
from .models import Rubric


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("criterion"), max_length=120, required=False)
    weight = forms.DecimalField(
        label=_("weight"), min_value=Decimal("0.001"), decimal_places=3, initial=1, required=False
    )
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, max_num=20)


class ScaleForm(forms.Form):
    scale_min = forms.IntegerField(label=_("lowest score"), min_value=0, initial=0)
    scale_max = forms.IntegerField(
        label=_("highest score"), min_value=1, max_value=1000, initial=10
    )


class RoundForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=120)
    mode = forms.ChoiceField(label=_("assignment"), choices=AssignmentMode.choices)
    jurors_per_entry = forms.IntegerField(
        label=_("jurors per entry (panels only)"), min_value=1, required=False
    )
    blind = forms.BooleanField(
        label=_("blind judging (titles and clips only)"), required=False, initial=True
    )
    closes_at = forms.DateTimeField(
        label=_("scoring closes"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ScorecardForm(forms.Form):
    """One number field per criterion (``c<id>``), an overall comment."""

    comment = forms.CharField(
        label=_("comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, rubric: Rubric, initial_scores: dict[int, Decimal], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.criteria = list(rubric.criteria.order_by("position"))
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.DecimalField(
                label=c.name,
                help_text=c.description,
                required=False,
                initial=initial_scores.get(c.pk),
                widget=forms.NumberInput(
                    attrs={
                        "step": "0.01",
                        "min": rubric.scale_min,
                        "max": rubric.scale_max,
                        "inputmode": "decimal",
                    }
                ),
            )
        self.order_fields([*(f"c{c.pk}" for c in self.criteria), "comment"])

    def scores(self) -> dict[int, Any]:
        return {c.pk: self.cleaned_data.get(f"c{c.pk}") for c in self.criteria}
