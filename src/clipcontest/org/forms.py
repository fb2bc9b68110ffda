from django import forms
from django.utils.translation import gettext_lazy as _

from clipcontest.core.textfields import NameField


class TeamForm(forms.Form):
    name = NameField(label=_("team name"), max_length=200)
    contact_email = forms.EmailField(label=_("contact e-mail"), required=False)


class UnitsCsvForm(forms.Form):
    hierarchy_name = NameField(label=_("hierarchy name"), max_length=200)
    hierarchy_slug = forms.SlugField(label=_("hierarchy slug"))
    file = forms.FileField(label=_("CSV file (code, name, level, parent_code[, kind])"))
