"""The announcement form; it shapes input, the domain decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clipcontest.entries.enums import EntryStatus
from clipcontest.org.models import Unit

from .enums import Audience


class AnnouncementForm(forms.Form):
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("write as"), queryset=Unit.objects.none(), empty_label=None
    )
    audience = forms.ChoiceField(label=_("audience"), choices=Audience.choices)
    entry_status = forms.ChoiceField(
        label=_("entry state"),
        choices=[("", _("any active entry")), *EntryStatus.choices],
        required=False,
        help_text=_("For “teams with entries in a given state”."),
    )
    at_unit = forms.CharField(
        label=_("only at unit (code)"),
        required=False,
        max_length=32,
        help_text=_("Leave empty for your whole area."),
    )
    subject = forms.CharField(label=_("subject"), max_length=200)
    body = forms.CharField(label=_("message"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args: Any, units: list[Unit], audiences: tuple[str, ...], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in units]
        ).order_by("path")
        self.fields["audience"].choices = [  # type: ignore[attr-defined]
            (v, label) for v, label in Audience.choices if v in audiences
        ]

    def clean_at_unit(self) -> Unit | None:
        code = self.cleaned_data["at_unit"].strip()
        unit = self.cleaned_data.get("unit")
        if not code or unit is None:
            return None
        found = Unit.objects.filter(hierarchy_id=unit.hierarchy_id, code=code).first()
        if found is None:
            raise forms.ValidationError(_("No unit has this code."))
        return found
