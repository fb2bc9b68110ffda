from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from clipcontest.voting import domain, sealing
from clipcontest.voting.enums import VoteState
from clipcontest.voting.models import ReachVisit, ShareLink, Vote, Voter

from .factories import solved
from .helpers import last_code


def gallery_url(w):
    return reverse("voting:gallery", args=[w.contest.slug])


def test_gallery_lists_finalists_with_lazy_posters(client, voting):
    response = client.get(gallery_url(voting))
    html = response.content.decode()
    assert response.status_code == 200
    assert voting.entry_a.title in html and voting.entry_b.title in html
    assert 'loading="lazy"' in html


def test_gallery_filters_by_unit_topic_and_search(client, voting):
    html = client.get(gallery_url(voting), {"unit": voting.district_a.code}).content.decode()
    assert voting.entry_a.title in html and voting.entry_b.title not in html
    html = client.get(gallery_url(voting), {"topic": "thanh toán"}).content.decode()
    assert voting.entry_b.title in html and voting.entry_a.title not in html
    html = client.get(gallery_url(voting), {"q": "Đức Phong"}).content.decode()
    assert voting.entry_b.title in html and voting.entry_a.title not in html


def test_entry_page_has_open_graph_tags_and_vote_form(client, voting):
    url = reverse("voting:entry", args=[voting.contest.slug, voting.entry_a.public_id])
    html = client.get(url).content.decode()
    assert f'<meta property="og:title" content="{voting.entry_a.title}">' in html
    assert 'property="og:image"' in html
    assert 'name="twitter:card" content="summary_large_image"' in html
    assert 'data-testid="vote-send-code"' in html


def test_share_link_visits_count_as_reach_never_votes(client, voting):
    response = client.post(
        reverse("voting:share", args=[voting.contest.slug, voting.entry_a.public_id])
    )
    link = ShareLink.objects.get()
    assert link.code in response.content.decode()
    browser = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14)"}
    first = client.get(reverse("voting:shared", args=[link.code]), **browser)
    client.get(reverse("voting:shared", args=[link.code]), **browser)  # same visitor, same day
    client.get(
        reverse("voting:shared", args=[link.code]), HTTP_USER_AGENT="facebookexternalhit/1.1"
    )
    assert first.status_code == 302
    assert first["Location"].endswith(f"?ref={link.code}")
    assert ReachVisit.objects.count() == 1
    assert Vote.objects.count() == 0


def test_web_flow_verify_by_email_then_vote(client, voting, django_capture_on_commit_callbacks):
    entry_url = reverse("voting:entry", args=[voting.contest.slug, voting.entry_a.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("voting:request_code", args=[voting.contest.slug]),
            {"kind": "email", "identity": "lan@example.org", "next": entry_url},
        )
    client.post(
        reverse("voting:confirm_code", args=[voting.contest.slug]),
        {"code": last_code(), "next": entry_url},
    )
    response = client.post(
        reverse("voting:cast", args=[voting.contest.slug, voting.entry_a.public_id]),
        {"altcha": solved(), "next": entry_url},
    )
    assert response.status_code == 302
    assert Vote.objects.get().entry == voting.entry_a


def test_web_vote_without_verification_is_refused(client, voting):
    client.post(
        reverse("voting:cast", args=[voting.contest.slug, voting.entry_a.public_id]),
        {"altcha": solved()},
    )
    assert not Vote.objects.exists()


def test_log_download_and_heads_verify_with_command(client, voting, tmp_path, capsys):
    voters = [Voter.objects.create(kind="email", identity_hash=f"{i:064d}") for i in range(3)]
    for i, v in enumerate(voters):
        domain.cast_vote(
            contest=voting.contest,
            entry=voting.entry_a,
            voter=v,
            challenge_payload=solved(),
            ip=f"203.0.113.{i}",
        )
        sealing.seal(contest=voting.contest)
    vote = Vote.objects.first()
    Vote.objects.filter(pk=vote.pk).update(state=VoteState.HELD)
    domain.review_vote(vote=vote, by=voting.organizer, invalidate=True, reason="bought")
    sealing.seal(contest=voting.contest)
    slug = voting.contest.slug
    body = b"".join(client.get(reverse("voting:log_leaves", args=[slug])).streaming_content)
    path, heads = tmp_path / "votes.jsonl", tmp_path / "heads.json"
    path.write_bytes(body)
    heads.write_bytes(client.get(reverse("voting:log_heads", args=[slug])).content)
    call_command("verify_votes", str(path), "--heads", str(heads))
    out = capsys.readouterr().out
    assert "log: OK" in out
    assert "heads checked: 4" in out
    assert f"2  {voting.entry_a.public_id}  1 bought" in out
    head = json.loads(client.get(reverse("voting:log_head", args=[slug])).content)
    assert head["root"] in out and head["size"] == 4
    lines = body.decode().splitlines()
    lines[2] = lines[2].replace(str(voting.entry_a.public_id), str(voting.entry_b.public_id))
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError):
        call_command("verify_votes", str(path), "--heads", str(heads))
    assert "not consistent with the leaves" in capsys.readouterr().out


def test_results_show_exclusions_per_entry_with_reasons(client, voting, voter):
    vote = domain.cast_vote(
        contest=voting.contest,
        entry=voting.entry_b,
        voter=voter,
        challenge_payload=solved(),
        ip="203.0.113.1",
    )
    Vote.objects.filter(pk=vote.pk).update(state=VoteState.HELD)
    domain.review_vote(vote=vote, by=voting.organizer, invalidate=True, reason="burst_subnet")
    sealing.seal(contest=voting.contest)
    html = client.get(reverse("voting:results", args=[voting.contest.slug])).content.decode()
    assert "1 × burst of votes from one network" in html
    assert f'data-testid="valid-{voting.entry_b.public_id}">0<' in html


ROLES = ["anonymous", "outsider", "member_a", "coord_a", "coord_b", "juror", "organizer", "admin"]
ALLOWED = {"organizer", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_fraud_queue_authorization(client, voting, voter, role):
    vote = domain.cast_vote(
        contest=voting.contest,
        entry=voting.entry_a,
        voter=voter,
        challenge_payload=solved(),
        ip="203.0.113.1",
    )
    Vote.objects.filter(pk=vote.pk).update(state=VoteState.HELD)
    user = voting.user(role)
    if user is not None:
        client.force_login(user)
    page = client.get(reverse("voting:queue", args=[voting.contest.slug]))
    client.post(
        reverse("voting:review", args=[voting.contest.slug, vote.pk]),
        {"decision": "invalidate", "reason": "bought"},
    )
    state = Vote.objects.get(pk=vote.pk).state
    if role in ALLOWED:
        assert page.status_code == 200
        assert state == VoteState.INVALID
    else:
        assert page.status_code in (302, 403, 404)
        assert state == VoteState.HELD


def test_review_confirm_counts_and_is_audited(voting, voter):
    from clipcontest.audit.models import AuditEvent

    vote = domain.cast_vote(
        contest=voting.contest,
        entry=voting.entry_a,
        voter=voter,
        challenge_payload=solved(),
        ip="203.0.113.1",
    )
    Vote.objects.filter(pk=vote.pk).update(state=VoteState.HELD)
    domain.review_vote(vote=vote, by=voting.organizer, invalidate=False)
    assert Vote.objects.get(pk=vote.pk).state == VoteState.VALID
    assert AuditEvent.objects.filter(action="vote.confirm").count() == 1
    with pytest.raises(domain.Conflict):
        domain.review_vote(vote=vote, by=voting.organizer, invalidate=True, reason="bought")


def test_api_vote_flow_needs_code_and_challenge(client, voting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/voting/codes",
            {"contest": voting.contest.slug, "kind": "email", "identity": "an@example.org"},
            content_type="application/json",
        )
    request_id = response.json()["request_id"]
    token = client.post(
        "/api/v1/voting/codes/verify",
        {"request_id": request_id, "code": last_code()},
        content_type="application/json",
    ).json()["voter_token"]
    url = f"/api/v1/voting/{voting.contest.slug}/votes"
    body = {"entry": str(voting.entry_a.public_id), "altcha": solved()}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 401
    ok = client.post(
        url, body | {"altcha": solved()}, content_type="application/json", HTTP_X_VOTER_TOKEN=token
    )
    assert ok.status_code == 201
    again = client.post(
        url, body | {"altcha": solved()}, content_type="application/json", HTTP_X_VOTER_TOKEN=token
    )
    assert again.status_code == 409
    assert again.json()["code"] == "already_voted"
    sealing.seal(contest=voting.contest)
    tally = client.get(f"/api/v1/voting/{voting.contest.slug}/tally").json()
    assert {row["title"]: row["votes"] for row in tally["entries"]} == {
        voting.entry_a.title: 1,
        voting.entry_b.title: 0,
    }
    gallery = client.get(f"/api/v1/voting/{voting.contest.slug}/gallery").json()
    assert len(gallery["entries"]) == 2
    challenge = client.get(f"/api/v1/voting/{voting.contest.slug}/challenge").json()
    assert set(challenge) == {"algorithm", "challenge", "maxnumber", "salt", "signature"}


def test_gallery_query_count_does_not_grow_with_entries(
    client, voting, django_assert_max_num_queries
):
    from django.core.cache import cache

    from .factories import make_entry

    cache.clear()
    with django_assert_max_num_queries(12) as few:
        client.get(gallery_url(voting))
    make_entry(voting.contest, voting.team_a, "Thêm", slot=2)
    cache.clear()
    with django_assert_max_num_queries(12) as more:
        client.get(gallery_url(voting))
    assert len(few.captured_queries) == len(more.captured_queries)
