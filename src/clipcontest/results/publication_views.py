"""Published versions on the web: each version's exact document for download, and the
organizer's withdrawal of the current publication (a confirmation page with the reason).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from clipcontest.core.errors import DomainError
from clipcontest.web.access import require, visible_contest

from . import commitment
from .models import Publication
from .queries import current_publication


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the published result withdrawn? (shown publicly)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand: this version stops being the result; it stays public, marked "
            "withdrawn, until a new version is published."
        )
    )


@require_safe
def document(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    """The exact bytes that were published as ``version`` (current, superseded or
    withdrawn): ``sha256sum`` of the file is the published SHA-256."""
    contest = visible_contest(request, slug)
    publication = get_object_or_404(Publication, contest=contest, version=version)
    response = HttpResponse(
        publication.computation.encode("utf-8"), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-results-v{version}.json"'
    return response


@login_required
def withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirm, with a public reason, that the current publication is withdrawn."""
    contest = visible_contest(request, slug)
    require(request, "judging.manage_judging", contest)
    publication = current_publication(contest)
    if publication is None:
        raise Http404
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            commitment.withdraw_publication(
                contest=contest, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            for message in exc.messages:
                form.add_error("reason" if exc.field == "reason" else None, message)
        else:
            messages.success(
                request,
                gettext_lazy("Version %(v)s of the results was withdrawn.")
                % {"v": publication.version},
            )
            return redirect("results:manage", slug=slug)
    return render(
        request,
        "results/withdraw.html",
        {"contest": contest, "publication": publication, "form": form},
    )
