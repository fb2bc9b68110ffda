"""Database round trips of one vote through the web form (issue 15: 25 before)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clipcontest.voting.models import Vote
from clipcontest.voting.sessions import DEVICE_COOKIE, sign_in

from .factories import solved


def signed_in(client, voting, voter) -> None:
    """A browser with a voter session and a device cookie, as after verification."""
    page = client.get(reverse("voting:entry", args=[voting.contest.slug, voting.entry_a.public_id]))
    request = page.wsgi_request
    sign_in(request, voter)
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    client.cookies[DEVICE_COOKIE] = "browser-1"


def test_web_vote_query_count_and_gallery_rule_once(client, voting, voter):
    signed_in(client, voting, voter)
    client.get(reverse("voting:gallery", args=[voting.contest.slug]))  # contest rows cached
    url = reverse("voting:cast", args=[voting.contest.slug, voting.entry_a.public_id])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"altcha": solved()})
    sql = [q["sql"] for q in queries.captured_queries]
    assert response.status_code == 302
    assert Vote.objects.count() == 1
    # session, entry, voter, phase, gallery rule, challenge, settings, fraud signals,
    # the vote's insert in one short transaction: 19 (was 22 with the ledger head's lock
    # and its record written in the same transaction, and 25 before the contest came
    # from the cached page state and the gallery rule ran once).
    assert len(sql) == 19
    assert sum('"published_at" IS NOT NULL' in s for s in sql) == 1
    assert sum(s.startswith('SELECT "contests_contest"') for s in sql) == 0
    assert sum(s.startswith('SELECT "media_video"') for s in sql) == 0
