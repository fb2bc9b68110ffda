"""Signing in and out, password reset, and taking up an invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from clipcontest.accounts.domain import accept_invitation, find_invitation
from clipcontest.accounts.forms import AcceptInvitationForm
from clipcontest.core.errors import DomainError

LoginView = auth_views.LoginView.as_view(
    template_name="web/auth/login.html", redirect_authenticated_user=True
)
LogoutView = auth_views.LogoutView.as_view()
PasswordResetView = auth_views.PasswordResetView.as_view(
    template_name="web/auth/password_reset.html",
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("web:password_reset_done"),
)
PasswordResetDoneView = auth_views.PasswordResetDoneView.as_view(
    template_name="web/auth/password_reset_done.html"
)
PasswordResetConfirmView = auth_views.PasswordResetConfirmView.as_view(
    template_name="web/auth/password_reset_confirm.html",
    success_url=reverse_lazy("web:password_reset_complete"),
)
PasswordResetCompleteView = auth_views.PasswordResetCompleteView.as_view(
    template_name="web/auth/password_reset_complete.html"
)


@sensitive_post_parameters("password1", "password2")
def accept_invite(request: HttpRequest, token: str) -> HttpResponse:
    invitation = find_invitation(token)
    if invitation is None:
        return render(request, "web/auth/invite_invalid.html", status=404)
    form = AcceptInvitationForm(
        request.POST or None, initial={"display_name": invitation.display_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(
                token=token,
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
            )
        except DomainError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("web:dashboard")
    return render(request, "web/auth/invite_accept.html", {"form": form, "invitation": invitation})
