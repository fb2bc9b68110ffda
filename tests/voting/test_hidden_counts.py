"""While a contest hides its counts, no page, export or API response reveals a leaf or a
per-entry number, to any role (organizers included); heads stay public; at the close the
whole log is published."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from clipcontest.audit.models import AuditEvent
from clipcontest.contests.models import Phase
from clipcontest.voting import domain, ledger, sealing
from clipcontest.voting.models import LogLeaf, Voter, VotingSettings

from .factories import solved

ROLES = ["anonymous", "member_a", "coord_a", "juror", "organizer"]


@pytest.fixture
def hidden(voting):
    VotingSettings.objects.create(contest=voting.contest, counts="after_close")
    for i in range(3):
        domain.cast_vote(
            contest=voting.contest,
            entry=voting.entry_a if i < 2 else voting.entry_b,
            voter=Voter.objects.create(kind="email", identity_hash=f"{i:064d}"),
            challenge_payload=solved(),
            ip=f"203.0.113.{i}",
        )
    sealing.seal(contest=voting.contest)
    return voting


def pages(w) -> dict[str, str]:
    slug, a, b = w.contest.slug, w.entry_a.public_id, w.entry_b.public_id
    return {
        "contest": reverse("web:contest_detail", args=[slug]),
        "gallery": reverse("voting:gallery", args=[slug]) + "?sort=votes",
        "entry_a": reverse("voting:entry", args=[slug, a]),
        "entry_b": reverse("voting:entry", args=[slug, b]),
        "results": reverse("voting:results", args=[slug]),
        "leaves": reverse("voting:log_leaves", args=[slug]),
        "head": reverse("voting:log_head", args=[slug]),
        "heads": reverse("voting:log_heads", args=[slug]),
        "atom": reverse("voting:log_heads_atom", args=[slug]),
        "queue": reverse("voting:queue", args=[slug]),
        "results_manage": reverse("results:manage", args=[slug]),
        "api_gallery": f"/api/v1/voting/{slug}/gallery",
        "api_entry": f"/api/v1/voting/{slug}/entries/{a}",
        "api_tally": f"/api/v1/voting/{slug}/tally",
        "api_leaves": f"/api/v1/voting/{slug}/log/leaves",
        "api_head": f"/api/v1/voting/{slug}/log/head",
        "api_heads": f"/api/v1/voting/{slug}/log/heads",
    }


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_hidden_vote_reveals_no_leaf_and_no_per_entry_number(client, hidden, role):
    user = hidden.user(role)
    if user is not None:
        client.force_login(user)
    leaves = list(LogLeaf.objects.values_list("data", flat=True))
    secrets = [ledger.Leaf.decode(d.encode()).voter for d in leaves]
    secrets += [ledger.Leaf.decode(d.encode()).receipt for d in leaves]
    seen = {}
    for name, url in pages(hidden).items():
        response = client.get(url)
        text = body_of(response)
        assert not any(secret in text for secret in secrets), name
        assert '"kind":"vote"' not in text, name
        assert 'data-testid="entry-count"' not in text, name
        assert 'data-testid="count-' not in text, name
        assert 'data-testid="valid-' not in text, name
        seen[name] = (response.status_code, text)
    assert seen["leaves"][0] == 403
    assert seen["api_leaves"][0] == 403
    assert seen["api_tally"][0] == 403
    assert '"votes":null' in seen["api_gallery"][1].replace(" ", "")
    assert '"votes":null' in seen["api_entry"][1].replace(" ", "")
    assert '"size":3' in seen["api_head"][1].replace(" ", "")
    assert seen["heads"][0] == 200
    if role == "organizer":
        assert "3 votes cast, 3 sealed into the log" in seen["queue"][1]
        assert 'data-testid="vote-totals"' in seen["results"][1]


def test_results_computation_refuses_votes_while_hidden(hidden):
    from clipcontest.core.errors import DomainError
    from clipcontest.results.queries import valid_votes_by_entry

    with pytest.raises(DomainError) as refused:
        valid_votes_by_entry(hidden.contest)
    assert refused.value.messages == ["Public votes stay sealed until public voting closes."]


def test_organizer_looks_at_vote_data_are_audited(client, hidden):
    client.force_login(hidden.organizer)
    client.get(reverse("voting:results", args=[hidden.contest.slug]))
    client.get(reverse("voting:queue", args=[hidden.contest.slug]))
    actions = list(
        AuditEvent.objects.filter(action__startswith="voting.view").values_list(
            "action", "actor_id"
        )
    )
    assert sorted(actions) == [
        ("voting.view_held", hidden.organizer.pk),
        ("voting.view_totals", hidden.organizer.pk),
    ]


def test_close_publishes_the_whole_log(client, hidden):
    Phase.objects.filter(contest=hidden.contest, kind="voting").update(
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(seconds=1),
    )
    response = client.get(reverse("voting:log_leaves", args=[hidden.contest.slug]))
    lines = body_of(response).splitlines()
    assert response.status_code == 200
    assert len(lines) == 4
    tally = client.get(f"/api/v1/voting/{hidden.contest.slug}/tally").json()
    assert {row["title"]: row["votes"] for row in tally["entries"]} == {
        hidden.entry_a.title: 2,
        hidden.entry_b.title: 1,
    }
