"""Receipts: the vote's response gives a code, a link and a QR code; the "check my vote"
page and the API prove the vote's inclusion once sealed; the download verifies offline."""

from __future__ import annotations

import json

from django.urls import reverse

from clipcontest.voting import ledger, sealing
from clipcontest.voting.models import Vote, Voter

from .factories import solved
from .helpers import last_code


def cast(w, voter, entry=None):
    from clipcontest.voting import domain

    return domain.cast_vote(
        contest=w.contest,
        entry=entry or w.entry_a,
        voter=voter,
        challenge_payload=solved(),
        ip="203.0.113.9",
    )


def test_receipt_code_is_stored_only_as_its_tag(voting, voter):
    vote = cast(voting, voter)
    assert len(vote.receipt_code) == 11 and vote.receipt_code[5] == "-"
    stored = Vote.objects.get(pk=vote.pk)
    assert stored.receipt == ledger.receipt_tag(vote.receipt_code)
    assert vote.receipt_code.replace("-", "") not in json.dumps(
        list(Vote.objects.values()), default=str
    )


def test_web_vote_answers_with_the_receipt_page(client, voting, django_capture_on_commit_callbacks):
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
        follow=True,
    )
    html = response.content.decode()
    code = html.split('data-testid="receipt-code">')[1].split("<")[0]
    assert Vote.objects.get().receipt == ledger.receipt_tag(code)
    assert 'data-testid="receipt-pending"' in html
    assert reverse("voting:receipt_qr", args=[voting.contest.slug, code]) in html
    qr = client.get(reverse("voting:receipt_qr", args=[voting.contest.slug, code]))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg")
    sealing.seal(contest=voting.contest)
    sealed = client.get(reverse("voting:receipt", args=[voting.contest.slug, code]))
    assert 'data-testid="receipt-sealed"' in sealed.content.decode()
    assert "voting/receipt.js" in sealed.content.decode()


def test_api_vote_returns_receipt_and_receipt_api_verifies(client, voting, voter):
    from clipcontest.voting.sessions import voter_token

    slug = voting.contest.slug
    response = client.post(
        f"/api/v1/voting/{slug}/votes",
        {"entry": str(voting.entry_a.public_id), "altcha": solved()},
        content_type="application/json",
        HTTP_X_VOTER_TOKEN=voter_token(voter),
    )
    assert response.status_code == 201
    body = response.json()
    code = body["receipt"]
    assert body["receipt_url"].endswith(reverse("voting:receipt", args=[slug, code]))
    assert body["merge_delay"] == 10
    pending = client.get(f"/api/v1/voting/{slug}/receipts/{code}").json()
    assert (pending["sealed"], pending["verified"]) == (False, False)
    for i in range(4):  # more votes after it: the proof then has several steps
        other = Voter.objects.create(kind="email", identity_hash=f"{i:064d}")
        cast(voting, other)
    sealing.seal(contest=voting.contest)
    proof = client.get(f"/api/v1/voting/{slug}/receipts/{code}").json()
    assert (proof["sealed"], proof["verified"], proof["index"]) == (True, True, 0)
    assert len(proof["proof"]) == 3
    assert client.get(f"/api/v1/voting/{slug}/receipts/AAAAA-BBBBB").status_code == 404


def test_receipt_download_verifies_with_the_standalone_verifier(
    client, voting, voter, tmp_path, capsys
):
    vote = cast(voting, voter)
    cast(voting, Voter.objects.create(kind="email", identity_hash="c" * 64))
    sealing.seal(contest=voting.contest)
    url = reverse("voting:receipt_json", args=[voting.contest.slug, vote.receipt_code])
    response = client.get(url, {"download": "1"})
    assert response["Content-Disposition"] == 'attachment; filename="receipt.json"'
    path = tmp_path / "receipt.json"
    path.write_bytes(response.content)
    assert ledger.main([str(path), "--receipt", vote.receipt_code]) == 0
    assert "receipt: OK, included as leaf 0 of 2" in capsys.readouterr().out
    assert ledger.main([str(path), "--receipt", "ZZZZZ-ZZZZZ"]) == 1
    forged = json.loads(response.content)
    forged["leaf"] = forged["leaf"].replace(str(voting.entry_a.public_id), "x")
    path.write_text(json.dumps(forged))
    assert ledger.main([str(path)]) == 1
    assert "the inclusion proof does not lead to the signed root" in capsys.readouterr().out
