"""Forms for the screening pages. They only shape input; the domain decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clipcontest.contests.models import Phase
from clipcontest.org.models import Unit

DECISIONS = [
    ("shortlist", _("Shortlist")),
    ("reject", _("Do not select")),
    ("clear", _("Undecided")),
]


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=DECISIONS)
    reason = forms.CharField(
        label=_("Reason shown to the team"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Internal note (not shown to the team)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ForwardForm(forms.Form):
    entries = forms.TypedMultipleChoiceField(
        label=_("Shortlisted entries to forward"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    sign_off = forms.BooleanField(
        label=_("I sign off this list on behalf of the unit."), required=True
    )
    note = forms.CharField(label=_("Internal note"), required=False, max_length=2000)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entries"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        field.initial = [pk for pk, _label in choices]


class ReopenForm(forms.Form):
    until = forms.DateTimeField(
        label=_("New deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    reason = forms.CharField(
        label=_("Reason (logged)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class LevelSettingsForm(forms.Form):
    reason_required = forms.BooleanField(
        label=_("A rejection needs a reason shown to the team"), required=False
    )
    overrides = forms.CharField(
        label=_("Quotas for larger units"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One unit per line: its code, a space, its quota. Leave a unit out to use "
            "the level's quota."
        ),
    )

    def __init__(self, *args: Any, phase: Phase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.phase = phase

    def clean_overrides(self) -> dict[str, int]:
        wanted: dict[str, int] = {}
        for n, line in enumerate(self.cleaned_data["overrides"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) != 2 or not parts[1].isdigit():
                raise forms.ValidationError(
                    _("Line %(n)s: write a unit code and a quota."), params={"n": n}
                )
            wanted[parts[0]] = int(parts[1])
        return wanted

    def quota_overrides(self, current: dict[str, int | None]) -> dict[Unit, int | None]:
        """Units whose quota changes (None restores the level's quota)."""
        wanted = self.cleaned_data["overrides"]
        codes = set(wanted) | set(current)
        units = {
            u.code: u
            for u in Unit.objects.filter(
                hierarchy_id=self.phase.contest.organizer_unit.hierarchy_id, code__in=codes
            )
        }
        unknown = sorted(set(wanted) - set(units))
        if unknown:
            raise forms.ValidationError(
                _("Unknown unit codes: %(codes)s"), params={"codes": ", ".join(unknown)}
            )
        return {
            units[code]: wanted.get(code) for code in codes if wanted.get(code) != current.get(code)
        }
