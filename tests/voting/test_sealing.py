"""The sequencer: sealing order, signed heads, the head feed, the lag alert, the kick."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET  # our own feed, not untrusted input

from django.urls import reverse

from clipcontest.audit.models import AuditEvent
from clipcontest.voting import domain, ledger, publish, queries, sealing, signing, tasks
from clipcontest.voting.enums import VoteState
from clipcontest.voting.models import LogLeaf, TreeHead, Vote, Voter

from .factories import solved


def cast(w, n: int, **kw) -> Vote:
    return domain.cast_vote(
        contest=w.contest,
        entry=w.entry_a if n % 2 == 0 else w.entry_b,
        voter=Voter.objects.create(kind="email", identity_hash=f"{n:064d}"),
        challenge_payload=solved(),
        ip=f"203.0.113.{n}",
        **kw,
    )


def test_seal_orders_votes_by_cast_time_then_invalidations(voting):
    from django.utils import timezone

    now = timezone.now()
    late, early = cast(voting, 1, now=now), cast(voting, 2, now=now - dt.timedelta(seconds=5))
    Vote.objects.filter(pk=late.pk).update(state=VoteState.HELD)
    domain.review_vote(vote=late, by=voting.organizer, invalidate=True, reason="bought")
    head = sealing.seal(contest=voting.contest)
    rows = list(LogLeaf.objects.order_by("index").values_list("index", "kind", "vote_id"))
    assert rows == [(0, "vote", early.pk), (1, "vote", late.pk), (2, "invalidate", late.pk)]
    strike = ledger.Leaf.decode(LogLeaf.objects.get(index=2).data.encode())
    assert (strike.ref, strike.reason) == (1, "bought")
    assert head.size == 3
    assert Vote.objects.get(pk=late.pk).invalidation_index == 2
    assert queries.exclusions(voting.contest) == {voting.entry_b.pk: {"bought": 1}}


def test_head_is_a_signed_checkpoint_of_the_sealed_leaves(voting):
    for n in range(5):
        cast(voting, n)
    head = sealing.seal(contest=voting.contest)
    key = signing.log_key()
    note = ledger.parse_note(head.note)
    point = note.checkpoint()
    leaves = LogLeaf.objects.order_by("index").values_list("hash", flat=True)
    assert note.verify(key.name, key.public) is True
    assert point.origin == signing.origin(voting.contest.slug)
    assert (point.size, point.root.hex()) == (5, head.root)
    assert point.root == ledger.root_of([bytes.fromhex(h) for h in leaves])
    assert head.note.startswith(f"{point.origin}\n5\n")


def test_each_head_extends_the_previous_one(voting):
    roots = []
    for n in range(6):
        cast(voting, n)
        head = sealing.seal(contest=voting.contest)
        roots.append((head.size, bytes.fromhex(head.root)))
    hashes = [
        bytes.fromhex(h) for h in LogLeaf.objects.order_by("index").values_list("hash", flat=True)
    ]
    tree = ledger.Tree(hashes)
    for size, root in roots:
        proof = tree.consistency_proof(size)
        assert ledger.verify_consistency(size, tree.size, proof, root, tree.root())


def test_feed_lists_every_head_as_json_and_atom(client, voting):
    for n in range(3):
        cast(voting, n)
        sealing.seal(contest=voting.contest)
    slug = voting.contest.slug
    feed = client.get(reverse("voting:log_heads", args=[slug])).json()
    assert [h["size"] for h in feed["heads"]] == [1, 2, 3]
    assert feed["key"] == signing.log_key().verifier
    atom = client.get(reverse("voting:log_heads_atom", args=[slug]))
    assert atom["Content-Type"] == "application/atom+xml"
    tree = ET.fromstring(atom.content)  # noqa: S314 - our own feed
    ns = {"a": "http://www.w3.org/2005/Atom"}
    notes = [e.find("a:content", ns).text for e in tree.findall("a:entry", ns)]
    assert notes == [h["note"] for h in reversed(feed["heads"])]


def test_kick_after_commit_seals_the_vote(voting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        vote = cast(voting, 1)
    assert Vote.objects.get(pk=vote.pk).leaf_index == 0
    assert TreeHead.objects.filter(contest=voting.contest).count() == 1


def test_sweep_seals_what_a_lost_kick_left_and_alerts_when_late(voting):
    from django.utils import timezone

    cast(voting, 1, now=timezone.now() - dt.timedelta(seconds=30))
    assert queries.sealing_lag_seconds(voting.contest) >= 30
    tasks.seal_all()
    assert queries.sealing_lag_seconds(voting.contest) == 0.0
    alert = AuditEvent.objects.get(action="voting.sealing_behind")
    assert alert.contest_id == voting.contest.pk
    assert alert.after["merge_delay"] == 10
    cast(voting, 2, now=timezone.now() - dt.timedelta(seconds=30))
    tasks.seal_all()  # one alert per ten minutes, not one per sweep
    assert AuditEvent.objects.filter(action="voting.sealing_behind").count() == 1


def test_manage_page_warns_when_sealing_is_behind(client, voting):
    from django.utils import timezone

    cast(voting, 1, now=timezone.now() - dt.timedelta(seconds=30))
    client.force_login(voting.organizer)
    html = client.get(reverse("voting:queue", args=[voting.contest.slug])).content.decode()
    assert 'data-testid="sealing-behind"' in html


def test_seal_votes_command_seals_votes_left_by_the_old_ledger(voting, capsys):
    from django.core.management import call_command

    for n in range(3):
        cast(voting, n)
    call_command("seal_votes")
    assert capsys.readouterr().out == f"{voting.contest.slug}: 3 leaves\n"
    assert publish.feed_json(voting.contest)["heads"][0]["size"] == 3


def test_contest_page_shows_the_log_key(client, voting):
    html = client.get(reverse("web:contest_detail", args=[voting.contest.slug])).content.decode()
    assert signing.log_key().verifier in html
