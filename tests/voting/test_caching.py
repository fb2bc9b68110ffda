"""The gallery's short cache and the vote endpoint's cheap refusals (benchmarks, issue 5)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from clipcontest.contests.enums import ContestStatus, PhaseKind
from clipcontest.contests.models import Contest, Phase
from clipcontest.voting.models import Vote
from clipcontest.voting.sessions import voter_token

from .factories import solved


def gallery_url(w) -> str:
    return reverse("voting:gallery", args=[w.contest.slug])


def test_gallery_warm_cache_needs_no_query(client, voting, django_assert_num_queries):
    client.get(gallery_url(voting))
    with django_assert_num_queries(0):
        response = client.get(gallery_url(voting))
    assert response.status_code == 200
    assert voting.entry_a.title in response.content.decode()


def test_gallery_closes_voting_on_time_despite_cache(client, voting):
    assert '<p class="notice">' in client.get(gallery_url(voting)).content.decode()
    phase = Phase.objects.get(contest=voting.contest, kind=PhaseKind.VOTING)
    with time_machine.travel(phase.ends_at + dt.timedelta(seconds=1)):
        html = client.get(gallery_url(voting)).content.decode()
    assert '<p class="notice">' not in html


def test_gallery_warm_cache_still_hides_a_draft_from_the_public(client, voting):
    Contest.objects.filter(pk=voting.contest.pk).update(status=ContestStatus.DRAFT)
    client.force_login(voting.organizer)
    assert client.get(gallery_url(voting)).status_code == 200
    client.logout()
    assert client.get(gallery_url(voting)).status_code == 404


def test_vote_over_rate_limit_refused_before_the_gallery_queries(
    client, voting, voter, settings, django_assert_num_queries
):
    settings.VOTING_RATE_IP = 0
    url = f"/api/v1/voting/{voting.contest.slug}/votes"
    body = {"entry": str(voting.entry_a.public_id), "altcha": solved()}
    # contest, voter (from the signed token), entry: nothing else before the 429
    with django_assert_num_queries(3):
        response = client.post(
            url, body, content_type="application/json", HTTP_X_VOTER_TOKEN=voter_token(voter)
        )
    assert response.status_code == 429
    assert Vote.objects.count() == 0


def test_vote_api_casts_with_fewer_queries_than_before(
    client, voting, voter, django_assert_max_num_queries
):
    url = f"/api/v1/voting/{voting.contest.slug}/votes"
    body = {"entry": str(voting.entry_a.public_id), "altcha": solved()}
    with django_assert_max_num_queries(22):
        response = client.post(
            url, body, content_type="application/json", HTTP_X_VOTER_TOKEN=voter_token(voter)
        )
    assert response.status_code == 201
    assert Vote.objects.count() == 1
