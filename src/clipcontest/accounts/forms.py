from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clipcontest.core.textfields import NameField

from .enums import Role, TokenScope


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("e-mail"))
    display_name = NameField(label=_("full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)

    def __init__(self, *args: Any, roles: list[Role] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if roles is not None:
            role_field = self.fields["role"]
            assert isinstance(role_field, forms.ChoiceField)
            role_field.choices = [(r.value, r.label) for r in roles]
            if len(roles) == 1:
                self.fields["role"].initial = roles[0].value
                self.fields["role"].widget = forms.HiddenInput()


class AcceptInvitationForm(forms.Form):
    display_name = NameField(label=_("full name"), max_length=150, required=False)
    password1 = forms.CharField(label=_("password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("password again"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") != data.get("password2"):
            raise forms.ValidationError(_("The two passwords differ."))
        return data


class ApiTokenForm(forms.Form):
    name = NameField(label=_("token name"), max_length=100)
    scope = forms.ChoiceField(label=_("scope"), choices=TokenScope.choices, initial=TokenScope.READ)
    expires_in_days = forms.IntegerField(label=_("valid for (days)"), min_value=1, max_value=366)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["expires_in_days"].initial = settings.API_TOKEN_MAX_AGE_DAYS
