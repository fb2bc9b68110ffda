"""Forms for entries; they only shape input, the domain functions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clipcontest.core.textfields import MultiLineField, NameField, TextField
from clipcontest.org.models import Team

from .domain import AuthorInput
from .enums import AuthorRole, Licence

AUTHOR_ROWS = 6


class EntryForm(forms.Form):
    title = NameField(label=_("title"), max_length=200)
    description = MultiLineField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    topic_tags = TextField(
        label=_("topics"), required=False, help_text=_("Separate topics with commas.")
    )
    licence = forms.ChoiceField(
        label=_("licence for reuse"), choices=Licence.choices, initial=Licence.ORGANIZER
    )
    consent_people_shown = forms.BooleanField(
        label=_("Everyone shown in the video agreed to appear in it"), required=False
    )
    shows_minors = forms.BooleanField(
        label=_("People under 18 appear in the video"), required=False
    )
    guardian_consent = forms.BooleanField(
        label=_("A parent or guardian agreed for every minor shown"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for i in range(AUTHOR_ROWS):
            self.fields[f"author_{i}_name"] = NameField(
                label=_("author %(n)s") % {"n": i + 1}, max_length=150, required=False
            )
            self.fields[f"author_{i}_role"] = forms.ChoiceField(
                label=_("role of author %(n)s") % {"n": i + 1},
                choices=AuthorRole.choices,
                required=False,
            )

    @classmethod
    def initial_for(cls, entry: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": entry.title,
            "description": entry.description,
            "topic_tags": ", ".join(entry.topic_tags),
            "licence": entry.licence,
            "consent_people_shown": entry.consent_people_shown,
            "shows_minors": entry.shows_minors,
            "guardian_consent": entry.guardian_consent,
        }
        for i, author in enumerate(entry.authors.all()[:AUTHOR_ROWS]):
            initial[f"author_{i}_name"] = author.name
            initial[f"author_{i}_role"] = author.role
        return initial

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "topic_tags": [t for t in data["topic_tags"].split(",") if t.strip()],
            "licence": data["licence"],
            "consent_people_shown": data["consent_people_shown"],
            "shows_minors": data["shows_minors"],
            "guardian_consent": data["guardian_consent"],
        }

    def authors(self) -> list[AuthorInput]:
        data = self.cleaned_data
        return [
            AuthorInput(
                name=data[f"author_{i}_name"], role=data[f"author_{i}_role"] or AuthorRole.OTHER
            )
            for i in range(AUTHOR_ROWS)
            if data.get(f"author_{i}_name", "").strip()
        ]


class TeamChoiceForm(forms.Form):
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        label=_("team"), queryset=Team.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, teams: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class CaptionsForm(forms.Form):
    captions = forms.FileField(label=_("captions (WebVTT .vtt)"), required=False)
    remove = forms.BooleanField(label=_("remove the captions"), required=False)
