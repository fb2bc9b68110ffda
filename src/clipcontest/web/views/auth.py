"""Signing in and out, password reset, and taking up an invitation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from clipcontest.accounts import signin
from clipcontest.accounts.domain import accept_invitation, find_invitation
from clipcontest.accounts.forms import AcceptInvitationForm
from clipcontest.audit.middleware import client_ip
from clipcontest.core import ratelimit
from clipcontest.core.errors import DomainError


class RateLimitedLoginView(auth_views.LoginView):
    """Sign-in that counts failures only, asks for a proof-of-work challenge after a
    few, and makes repeated failures wait (see ``accounts.signin``)."""

    template_name = "web/auth/login.html"
    redirect_authenticated_user = True

    def _throttle(self) -> signin.Throttle:
        return signin.Throttle(
            username=self.request.POST.get("username", ""),
            address=client_ip(self.request) or "-",
        )

    def _refuse(self, message: str, *, status: int, challenge: bool) -> HttpResponse:
        # An unbound form: a refused attempt never reaches the password check.
        form = self.get_form_class()(
            self.request, initial={"username": self.request.POST.get("username", "")}
        )
        context = self.get_context_data(form=form, challenge_required=challenge, refusal=message)
        return self.render_to_response(context, status=status)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        throttle = self._throttle()
        wait = throttle.wait()
        if wait:
            response = self._refuse(
                ratelimit.wait_message(wait), status=429, challenge=throttle.needs_challenge()
            )
            response["Retry-After"] = str(wait)
            return response
        if throttle.needs_challenge() and not signin.spend_challenge(
            request.POST.get("altcha", "")
        ):
            return self._refuse(
                _(
                    "Several sign-ins to this account failed. Please wait for the anti-robot "
                    "check to finish, then sign in again."
                ),
                status=400,
                challenge=True,
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        throttle = self._throttle()
        throttle.failed()
        context = self.get_context_data(form=form, challenge_required=throttle.needs_challenge())
        return self.render_to_response(context)

    def form_valid(self, form: Any) -> HttpResponse:
        self._throttle().succeeded()
        return super().form_valid(form)


def login_challenge(request: HttpRequest) -> JsonResponse:
    """A fresh proof-of-work challenge for the sign-in form."""
    response = JsonResponse(signin.new_challenge())
    response["Cache-Control"] = "no-store"
    return response


class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            ratelimit.enforce("reset-ip", client_ip(request) or "-", limit=10, window=3600)
        except ratelimit.RateLimited as exc:
            form = self.get_form()
            form.add_error(None, str(exc))
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(exc.retry_after_seconds)
            return response
        return super().post(request, *args, **kwargs)


LoginView = RateLimitedLoginView.as_view()
LogoutView = auth_views.LogoutView.as_view()
PasswordResetView = RateLimitedPasswordResetView.as_view(
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
            ratelimit.enforce("invite-ip", client_ip(request) or "-", limit=20, window=3600)
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
