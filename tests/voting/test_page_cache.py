"""Whole-page cache of the gallery and entry pages for anonymous visitors (issue 15):
no query on a warm page, invalidation by each domain event, never for a session, and
CSRF still works for the forms of a cached page."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from clipcontest.contests import domain as contests
from clipcontest.contests.enums import ContestStatus, PhaseKind
from clipcontest.contests.models import Phase
from clipcontest.entries import domain as entries
from clipcontest.voting import domain
from clipcontest.voting.enums import CountsVisibility
from clipcontest.voting.models import ShareLink, Vote

from .factories import make_entry, solved
from .helpers import last_code

TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def gallery_url(w) -> str:
    return reverse("voting:gallery", args=[w.contest.slug])


def entry_url(w) -> str:
    return reverse("voting:entry", args=[w.contest.slug, w.entry_a.public_id])


def pages(w) -> list[str]:
    return [gallery_url(w), entry_url(w)]


@pytest.fixture
def live(voting, django_capture_on_commit_callbacks):
    """Counts shown live, so that a vote changes what the pages show."""
    with django_capture_on_commit_callbacks(execute=True):
        domain.update_settings(
            contest=voting.contest, by=voting.organizer, counts=CountsVisibility.LIVE
        )
    return voting


@pytest.mark.parametrize("page", [0, 1])
def test_shared_page_second_anonymous_request_runs_no_query(
    client, voting, page, django_assert_num_queries
):
    url = pages(voting)[page]
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert "Cookie" in second["Vary"] and "Accept-Language" in second["Vary"]


@pytest.mark.parametrize("page", [0, 1])
def test_shared_page_carries_no_csrf_token(client, voting, page):
    html = client.get(pages(voting)[page]).content.decode()
    assert set(TOKEN_FIELD.findall(html)) == {""}
    assert '<meta name="csrf-token" content="">' in html
    assert "csrftoken" not in client.cookies


def test_shared_page_is_cached_per_language(client, voting):
    client.get(gallery_url(voting), HTTP_ACCEPT_LANGUAGE="en")
    vietnamese = client.get(gallery_url(voting), HTTP_ACCEPT_LANGUAGE="vi")
    assert vietnamese["X-Page-Cache"] == "miss"
    assert 'lang="vi"' in vietnamese.content.decode()


def test_entry_page_sets_the_device_cookie_on_a_cache_hit(voting):
    Client().get(entry_url(voting))
    browser = Client()
    response = browser.get(entry_url(voting))
    assert response["X-Page-Cache"] == "hit"
    assert "cc_device" in response.cookies


def test_shared_page_shows_a_new_vote_at_once(
    client, live, voter, django_capture_on_commit_callbacks
):
    before = client.get(entry_url(live)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        domain.cast_vote(
            contest=live.contest, entry=live.entry_a, voter=voter, challenge_payload=solved(),
            ip="203.0.113.9",
        )  # fmt: skip
    after = client.get(entry_url(live))
    gallery = client.get(gallery_url(live))
    assert 'data-testid="entry-count">0 votes<' in before
    assert after["X-Page-Cache"] == "miss"
    assert 'data-testid="entry-count">1 vote<' in after.content.decode()
    assert gallery["X-Page-Cache"] == "miss"


def test_shared_gallery_shows_a_newly_published_entry(
    client, voting, django_capture_on_commit_callbacks
):
    late = make_entry(voting.contest, voting.team_a, "Chợ số Hòa Bình", finalist=False, slot=2)
    assert "Chợ số Hòa Bình" not in client.get(gallery_url(voting)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        entries.publish_entries(entry_ids=[late.pk], by=voting.organizer)
    assert "Chợ số Hòa Bình" in client.get(gallery_url(voting)).content.decode()


def test_shared_entry_page_gone_once_unpublished(
    client, voting, django_capture_on_commit_callbacks
):
    assert client.get(entry_url(voting)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        entries.unpublish_entry(entry=voting.entry_a, by=voting.organizer, reason="withdrawn")
    assert client.get(entry_url(voting)).status_code == 404
    assert voting.entry_a.title not in client.get(gallery_url(voting)).content.decode()


def test_shared_page_follows_the_voting_phase_as_it_closes(client, voting):
    assert 'data-testid="vote-closed"' not in client.get(entry_url(voting)).content.decode()
    phase = Phase.objects.get(contest=voting.contest, kind=PhaseKind.VOTING)
    with time_machine.travel(phase.ends_at + dt.timedelta(seconds=1)):
        response = client.get(entry_url(voting))
    assert response["X-Page-Cache"] == "miss"
    assert "Public voting has closed." in response.content.decode()


def test_shared_page_gone_when_the_contest_returns_to_draft(
    client, voting, django_capture_on_commit_callbacks
):
    assert client.get(gallery_url(voting)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        contests.set_status(contest=voting.contest, status=ContestStatus.DRAFT, by=voting.organizer)
    assert [client.get(url).status_code for url in pages(voting)] == [404, 404]


def test_shared_page_follows_the_counts_setting(
    client, voting, voter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        domain.cast_vote(
            contest=voting.contest, entry=voting.entry_a, voter=voter,
            challenge_payload=solved(), ip="203.0.113.9",
        )  # fmt: skip
    assert 'data-testid="entry-count">1 vote<' in client.get(entry_url(voting)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        domain.update_settings(
            contest=voting.contest, by=voting.organizer, counts=CountsVisibility.AFTER_CLOSE
        )
    assert 'data-testid="entry-count"' not in client.get(entry_url(voting)).content.decode()


def test_signed_in_user_never_gets_the_shared_page(client, voting):
    for url in pages(voting):
        Client().get(url)
        Client().get(url)  # warm
    client.force_login(voting.organizer)
    for url in pages(voting):
        response = client.get(url)
        html = response.content.decode()
        assert "X-Page-Cache" not in response
        assert "Sign out" in html
        assert re.search(r'<meta name="csrf-token" content="[^"]+">', html)


def test_voter_session_never_gets_the_shared_page(client, voting, voter):
    from clipcontest.voting.sessions import sign_in

    Client().get(entry_url(voting))
    request = client.get(entry_url(voting)).wsgi_request  # a session for this browser
    sign_in(request, voter)
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    response = client.get(entry_url(voting))
    assert "X-Page-Cache" not in response
    assert 'data-testid="vote-submit"' in response.content.decode()


def test_vote_from_a_shared_page_passes_csrf_checks(voting, django_capture_on_commit_callbacks):
    """The browser's path with CSRF enforced: a cached page has no token; csrf.js gets it
    from /csrf.json (which sets the cookie) and sends it with each form."""
    browser = Client(enforce_csrf_checks=True)
    Client().get(entry_url(voting))
    page = browser.get(entry_url(voting))
    assert page["X-Page-Cache"] == "hit"
    refused = browser.post(
        reverse("voting:request_code", args=[voting.contest.slug]),
        {"kind": "email", "identity": "lan@example.org", "next": entry_url(voting)},
    )
    assert refused.status_code == 403
    token = json.loads(browser.get(reverse("web:csrf")).content)["token"]
    assert browser.cookies["csrftoken"].value
    with django_capture_on_commit_callbacks(execute=True):
        asked = browser.post(
            reverse("voting:request_code", args=[voting.contest.slug]),
            {"kind": "email", "identity": "lan@example.org", "next": entry_url(voting),
             "csrfmiddlewaretoken": token},
        )  # fmt: skip
    assert asked.status_code == 302
    browser.post(
        reverse("voting:confirm_code", args=[voting.contest.slug]),
        {"code": last_code(), "next": entry_url(voting), "csrfmiddlewaretoken": token},
    )
    fresh = browser.get(entry_url(voting))  # a voter now: a fresh page with its own token
    form_token = TOKEN_FIELD.findall(fresh.content.decode())[0]
    assert "X-Page-Cache" not in fresh
    response = browser.post(
        reverse("voting:cast", args=[voting.contest.slug, voting.entry_a.public_id]),
        {"altcha": solved(), "next": entry_url(voting), "csrfmiddlewaretoken": form_token},
    )
    assert response.status_code == 302
    assert Vote.objects.get().entry == voting.entry_a


def test_htmx_share_from_a_shared_page_takes_the_header(voting):
    browser = Client(enforce_csrf_checks=True)
    browser.get(entry_url(voting))
    token = json.loads(browser.get(reverse("web:csrf")).content)["token"]
    response = browser.post(
        reverse("voting:share", args=[voting.contest.slug, voting.entry_a.public_id]),
        HTTP_X_CSRFTOKEN=token,
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert ShareLink.objects.filter(entry=voting.entry_a).count() == 1
