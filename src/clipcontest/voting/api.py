"""Public JSON API for the gallery, an entry, the tally, the vote log and voting.

Voting needs the same steps as the web: a one-time code (``POST /voting/codes`` then
``POST /voting/codes/verify`` → a voter token), a solved challenge
(``GET /voting/{slug}/challenge``) and ``POST /voting/{slug}/votes`` with the token in
``X-Voter-Token``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from clipcontest.audit.middleware import client_ip
from clipcontest.contests.models import Contest
from clipcontest.core.errors import DomainError, NotAllowed
from clipcontest.entries.models import Entry

from . import challenge, conf, domain, publish, queries
from .enums import IdentityKind
from .sessions import device_of, voter_from_token, voter_token
from .views.public import poster_url

router = Router(tags=["voting"], auth=None)


class Unverified(DomainError):
    code = "unverified"
    status = 401


class GalleryEntryOut(Schema):
    id: uuid.UUID
    title: str
    team: str
    unit: str
    topics: list[str]
    poster: str
    votes: int | None


class GalleryOut(Schema):
    contest: str
    voting_open: bool
    counts_visible: bool
    entries: list[GalleryEntryOut]


class TallyRow(Schema):
    id: uuid.UUID
    title: str
    votes: int
    held: int
    excluded: dict[str, int]


class TallyOut(Schema):
    contest: str
    final: bool
    root: str
    size: int
    entries: list[TallyRow]


class CodeIn(Schema):
    contest: str
    kind: IdentityKind
    identity: str


class CodeOut(Schema):
    request_id: uuid.UUID
    expires_at: str


class VerifyIn(Schema):
    request_id: str
    code: str


class TokenOut(Schema):
    voter_token: str


class VoteIn(Schema):
    entry: uuid.UUID
    altcha: str


class VoteOut(Schema):
    state: str
    receipt: str
    receipt_url: str
    qr_url: str
    proof_url: str
    merge_delay: int


def _contest(request: HttpRequest, slug: str) -> Contest:
    contest = Contest.objects.select_related("organizer_unit").filter(slug=slug).first()
    if contest is None or not request.user.has_perm("contests.view_contest", contest):
        raise Http404
    return contest


def _entry_out(contest: Contest, entry: Any, counts: dict[int, int] | None) -> GalleryEntryOut:
    return GalleryEntryOut(
        id=entry.public_id,
        title=entry.title,
        team=entry.team.name,
        unit=entry.unit.name,
        topics=list(entry.topic_tags or []),
        poster=poster_url(entry),
        votes=counts.get(entry.pk, 0) if counts is not None else None,
    )


@router.get("/{slug}/gallery", response=GalleryOut)
def gallery(request: HttpRequest, slug: str) -> GalleryOut:
    contest = _contest(request, slug)
    voting, window = queries.settings_for(contest), queries.voting_window(contest)
    visible = queries.counts_visible(contest, voting, window)
    counts = queries.tally(contest) if visible else None
    return GalleryOut(
        contest=contest.slug,
        voting_open=window.is_open,
        counts_visible=visible,
        entries=[_entry_out(contest, e, counts) for e in queries.gallery_entries(contest)],
    )


@router.get("/{slug}/entries/{public_id}", response=GalleryEntryOut)
def entry(request: HttpRequest, slug: str, public_id: uuid.UUID) -> GalleryEntryOut:
    contest = _contest(request, slug)
    found = queries.gallery_entries(contest).filter(public_id=public_id).first()
    if found is None:
        raise Http404
    voting, window = queries.settings_for(contest), queries.voting_window(contest)
    counts = queries.tally(contest) if queries.counts_visible(contest, voting, window) else None
    return _entry_out(contest, found, counts)


@router.get("/{slug}/tally", response=TallyOut)
def tally(request: HttpRequest, slug: str) -> TallyOut:
    contest = _contest(request, slug)
    voting, window = queries.settings_for(contest), queries.voting_window(contest)
    if not queries.counts_visible(contest, voting, window):
        raise NotAllowed(_("The counts are hidden until public voting closes."))
    counts, held, excluded = (
        queries.tally(contest),
        queries.held_counts(contest),
        queries.exclusions(contest),
    )
    head = publish.head_json(contest, queries.latest_head(contest))
    return TallyOut(
        contest=contest.slug,
        final=window.is_closed,
        root=head["root"],
        size=head["size"],
        entries=[
            TallyRow(
                id=e.public_id,
                title=e.title,
                votes=counts.get(e.pk, 0),
                held=held.get(e.pk, 0),
                excluded=dict(excluded.get(e.pk, {})),
            )
            for e in queries.gallery_entries(contest)
        ],
    )


@router.get("/{slug}/log/leaves", response={200: None})
def log_leaves(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The leaves file; refused (403) while the contest hides its counts."""
    contest = _contest(request, slug)
    if not publish.leaves_public(contest):
        raise NotAllowed(_("The vote log's leaves are sealed until public voting closes."))
    return StreamingHttpResponse(publish.leaves_lines(contest), content_type="application/jsonl")


@router.get("/{slug}/log/head")
def log_head(request: HttpRequest, slug: str) -> dict[str, Any]:
    contest = _contest(request, slug)
    return publish.head_json(contest, queries.latest_head(contest))


@router.get("/{slug}/log/heads")
def log_heads(request: HttpRequest, slug: str) -> dict[str, Any]:
    return publish.feed_json(_contest(request, slug))


@router.get("/{slug}/receipts/{code}")
def receipt(request: HttpRequest, slug: str, code: str) -> dict[str, Any]:
    """A receipt's vote: once sealed, its leaf, inclusion proof and the signed head,
    with ``verified`` the server's own check of both."""
    contest = _contest(request, slug)
    found = publish.find_receipt(contest, code)
    if found is None:
        raise Http404
    return {**found.bundle(contest), "verified": found.verified}


@router.get("/{slug}/challenge")
def new_challenge(request: HttpRequest, slug: str) -> dict[str, Any]:
    _contest(request, slug)
    return challenge.issue()


@router.post("/codes", response=CodeOut)
def request_code(request: HttpRequest, payload: CodeIn) -> CodeOut:
    contest = _contest(request, payload.contest)
    row = domain.request_code(
        contest=contest, kind=payload.kind, raw=payload.identity, ip=client_ip(request)
    )
    return CodeOut(request_id=row.pk, expires_at=row.expires_at.isoformat())


@router.post("/codes/verify", response=TokenOut)
def verify_code(request: HttpRequest, payload: VerifyIn) -> TokenOut:
    voter = domain.confirm_code(request_id=payload.request_id, code=payload.code)
    return TokenOut(voter_token=voter_token(voter))


@router.post("/{slug}/votes", response={201: VoteOut})
def cast(request: HttpRequest, slug: str, payload: VoteIn) -> Status:
    contest = _contest(request, slug)
    voter = voter_from_token(request.headers.get("X-Voter-Token", ""))
    if voter is None:
        raise Unverified(_("Verify an e-mail address or phone number first."))
    # One plain lookup: cast_vote applies the gallery rule itself (no need for the
    # gallery's video prefetches here).
    found = Entry.objects.filter(contest=contest, public_id=payload.entry).first()
    if found is None:
        raise DomainError(_("This entry cannot receive votes."), code="not_votable")
    vote = domain.cast_vote(
        contest=contest,
        entry=found,
        voter=voter,
        challenge_payload=payload.altcha,
        ip=client_ip(request),
        device=device_of(request),
    )
    code = vote.receipt_code
    site = settings.SITE_URL
    return Status(
        201,
        VoteOut(
            state=vote.state,
            receipt=code,
            receipt_url=publish.receipt_url(contest, code),
            qr_url=site + reverse("voting:receipt_qr", args=[contest.slug, code]),
            proof_url=site + reverse("voting:receipt_json", args=[contest.slug, code]),
            merge_delay=conf.get("VOTING_MERGE_DELAY"),
        ),
    )
