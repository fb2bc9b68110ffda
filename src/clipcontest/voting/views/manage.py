"""The organizer's side: the review queue of held votes and the voting settings."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clipcontest.audit import domain as audit
from clipcontest.core.errors import DomainError
from clipcontest.web.access import managed_contest

from .. import conf, domain, queries
from ..enums import ExclusionReason, VoteState
from ..models import Vote, VotingSettings


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("confirm", gettext_lazy("Count it")), ("invalidate", gettext_lazy("Invalidate"))]
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"), choices=[("", "—"), *ExclusionReason.choices], required=False
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = VotingSettings
        fields = ["policy", "votes_per_day", "counts", "allow_email", "allow_phone"]


@login_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    contest = managed_contest(request, slug)
    held = list(queries.held_votes(contest)[:200])
    # Every organizer look at vote data is on the record.
    audit.record(action="voting.view_held", target=contest, contest=contest, actor=request.user)
    labels = dict(ExclusionReason.choices)
    for vote in held:
        vote.signal_labels = [labels.get(s, s) for s in vote.signals]  # type: ignore[attr-defined]
    return render(
        request,
        "voting/manage.html",
        {
            "contest": contest,
            "held": held,
            "held_total": queries.held_votes(contest).count(),
            "form": ReviewForm(),
            "settings_form": SettingsForm(instance=queries.settings_for(contest)),
            "reach": sum(queries.reach(contest).values()),
            "totals": queries.totals(contest),
            "lag": queries.sealing_lag_seconds(contest),
            "merge_delay": conf.get("VOTING_MERGE_DELAY"),
        },
    )


@login_required
@require_POST
def review(request: HttpRequest, slug: str, vote_id: int) -> HttpResponse:
    contest = managed_contest(request, slug)
    vote = get_object_or_404(Vote, pk=vote_id, contest=contest, state=VoteState.HELD)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            domain.review_vote(
                vote=vote,
                by=request.user,
                invalidate=form.cleaned_data["decision"] == "invalidate",
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Vote reviewed."))
    return redirect("voting:queue", slug=contest.slug)


@login_required
@require_POST
def edit_settings(request: HttpRequest, slug: str) -> HttpResponse:
    contest = managed_contest(request, slug)
    form = SettingsForm(request.POST, instance=queries.settings_for(contest))
    if form.is_valid():
        try:
            domain.update_settings(contest=contest, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Voting settings saved."))
    else:
        messages.error(request, _("Please correct the settings."))
    return redirect("voting:queue", slug=contest.slug)
