"""What the vote log publishes, shared by the web pages and the JSON API: heads, the
head feed, the leaves file (only when the contest's counts are public), and receipts.

The one rule for leaves: ``leaves_public``. While a contest hides its counts, nobody
(organizers included) gets leaf contents or per-entry numbers; heads and a receipt
holder's own proof are always available.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from clipcontest.contests.models import Contest

from . import conf, domain, ledger, queries, signing
from .models import LogLeaf, TreeHead, Vote

RECEIPT_FORMAT = ledger.RECEIPT_FORMAT


def leaves_public(contest: Contest) -> bool:
    """Leaves (and so per-entry numbers) are public live, or after the close when the
    contest hides its counts."""
    voting = queries.settings_for(contest)
    return queries.counts_visible(contest, voting, queries.voting_window(contest))


def head_json(contest: Contest, head: TreeHead | None) -> dict[str, Any]:
    key = signing.log_key()
    return {
        "contest": contest.slug,
        "origin": signing.origin(contest.slug),
        "key": key.verifier,
        "size": head.size if head else 0,
        "root": head.root if head else ledger.EMPTY_ROOT.hex(),
        "at": head.at.isoformat() if head else None,
        "note": head.note if head else "",
        "merge_delay": conf.get("VOTING_MERGE_DELAY"),
    }


def heads(contest: Contest) -> list[TreeHead]:
    return list(TreeHead.objects.filter(contest=contest).order_by("size"))


def feed_json(contest: Contest) -> dict[str, Any]:
    """Every head the log has published, oldest first: anyone may archive them."""
    return {
        "contest": contest.slug,
        "origin": signing.origin(contest.slug),
        "key": signing.log_key().verifier,
        "heads": [
            {"size": h.size, "root": h.root, "at": h.at.isoformat(), "note": h.note}
            for h in heads(contest)
        ],
    }


def leaves_lines(contest: Contest) -> Iterator[bytes]:
    """The leaves file: the header line, then each leaf's bytes in index order."""
    yield domain.ledger_header(contest).to_json().encode() + b"\n"
    rows = LogLeaf.objects.filter(contest=contest).order_by("index").values_list("data", flat=True)
    for data in rows.iterator(chunk_size=2000):
        yield data.encode() + b"\n"


@dataclass(frozen=True)
class Receipt:
    """What a receipt code shows its holder: the vote, and once sealed, its proof."""

    code: str
    vote: Vote
    leaf: LogLeaf | None
    head: TreeHead | None
    proof: list[bytes]

    @property
    def sealed(self) -> bool:
        return self.leaf is not None and self.head is not None

    @property
    def verified(self) -> bool:
        """The server's own check (the browser and the standalone verifier redo it)."""
        if self.leaf is None or self.head is None:
            return False
        key = signing.log_key()
        note = ledger.parse_note(self.head.note)
        point = note.checkpoint()
        return note.verify(key.name, key.public) and ledger.verify_inclusion(
            bytes.fromhex(self.leaf.hash), self.leaf.index, point.size, self.proof, point.root
        )

    def bundle(self, contest: Contest) -> dict[str, Any]:
        """The receipt as a file for the standalone verifier (``ledger.py FILE``)."""
        return {
            "format": RECEIPT_FORMAT,
            "contest": contest.slug,
            "origin": signing.origin(contest.slug),
            "key": signing.log_key().verifier,
            "sealed": self.sealed,
            "cast_at": self.vote.cast_at.isoformat(),
            "merge_delay": conf.get("VOTING_MERGE_DELAY"),
            "leaf": self.leaf.data if self.leaf else None,
            "index": self.leaf.index if self.leaf else None,
            "proof": [p.hex() for p in self.proof],
            "note": self.head.note if self.head else None,
        }


def find_receipt(contest: Contest, code: str) -> Receipt | None:
    """The vote a receipt code belongs to, with its inclusion proof against the latest
    head (None for an unknown code). Reads the contest's leaf hashes to build the proof."""
    vote = (
        Vote.objects.filter(contest=contest, receipt=ledger.receipt_tag(code))
        .select_related("entry")
        .first()
    )
    if vote is None:
        return None
    leaf = LogLeaf.objects.filter(vote=vote, kind=ledger.VOTE).first()
    head = queries.latest_head(contest)
    proof: list[bytes] = []
    if leaf is not None and head is not None and leaf.index < head.size:
        hashes = LogLeaf.objects.filter(contest=contest, index__lt=head.size).order_by("index")
        tree = ledger.Tree([bytes.fromhex(h) for h in hashes.values_list("hash", flat=True)])
        proof = tree.inclusion_proof(leaf.index, head.size)
    else:
        leaf = None
    return Receipt(code=code, vote=vote, leaf=leaf, head=head, proof=proof)


def receipt_url(contest: Contest, code: str) -> str:
    return settings.SITE_URL + reverse("voting:receipt", args=[contest.slug, code])


def atom_feed(contest: Contest) -> str:
    """The head feed as Atom (newest first), for feed readers and archivers."""
    from xml.sax.saxutils import escape

    url = settings.SITE_URL + reverse("voting:log_heads_atom", args=[contest.slug])
    items = list(reversed(heads(contest)))
    updated = (items[0].at if items else timezone.now()).astimezone(dt.UTC).isoformat()
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(contest.title)}: vote log heads</title>",
        f"<id>{escape(url)}</id>",
        f'<link rel="self" href="{escape(url)}"/>',
        f"<updated>{updated}</updated>",
    ]
    for head in items:
        root = base64.b64encode(bytes.fromhex(head.root)).decode()
        out += [
            "<entry>",
            f"<title>size {head.size}</title>",
            f"<id>{escape(url)}#{head.size}</id>",
            f"<updated>{head.at.astimezone(dt.UTC).isoformat()}</updated>",
            f"<summary>{head.size} {escape(root)}</summary>",
            f'<content type="text">{escape(head.note)}</content>',
            "</entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"
