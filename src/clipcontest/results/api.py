"""Results through the API: the same domain functions and permissions as the pages."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema

from clipcontest.api.auth import ANYONE, SIGNED_IN
from clipcontest.api.lookups import visible_contest
from clipcontest.api.schemas import ErrorOut
from clipcontest.contests.models import Contest
from clipcontest.entries.models import Entry

from . import commitment, domain, exports
from .enums import PublicationState
from .library import filter_items, item_cards
from .queries import PublicationStatus, library_items, publication_history

router = Router(tags=["results"])
library_router = Router(tags=["results"])


class MethodIn(Schema):
    aggregation: str | None = None
    trim_percent: int | None = Field(None, ge=0, le=49)
    jury_percent: int | None = Field(None, ge=0, le=100)
    public_percent: int | None = Field(None, ge=0, le=100)
    tie_break: list[str] | None = None
    one_prize_per_entry: bool | None = None
    max_prizes_per_unit: int | None = Field(None, ge=1, le=1000)


class DecisionIn(Schema):
    entry: uuid.UUID
    kind: str
    value: int
    reason: str


class PublishIn(Schema):
    incomplete_reason: str = ""


class PublicationOut(Schema):
    version: int
    state: str = Field(description="current, superseded or withdrawn")
    superseded_by: int | None
    sha256: str
    published_at: str
    incomplete_override: str
    withdrawn_at: str | None
    withdrawal_reason: str
    document_url: str = Field(description="The exact published document (its SHA-256).")


class PublishedOut(PublicationOut):
    computation: dict[str, Any]


class VerifyOut(Schema):
    version: int
    state: str
    published_sha256: str
    recomputed_sha256: str
    document_intact: bool
    matches: bool
    differences: list[str]


class PublicationWithdrawIn(Schema):
    reason: str


def _publication_out(status: PublicationStatus) -> dict[str, Any]:
    pub = status.publication
    return {
        "version": pub.version,
        "state": status.state.value,
        "superseded_by": status.superseded_by,
        "sha256": pub.sha256,
        "published_at": pub.published_at.isoformat(),
        "incomplete_override": pub.incomplete_override,
        "withdrawn_at": pub.withdrawn_at.isoformat() if pub.withdrawn_at else None,
        "withdrawal_reason": pub.withdrawal_reason,
        "document_url": reverse("results:document", args=[pub.contest.slug, pub.version]),
    }


def _history(request: HttpRequest, slug: str) -> list[PublicationStatus]:
    history = publication_history(visible_contest(request, slug))
    if not history:
        raise Http404
    return history


def _managed(request: HttpRequest, slug: str) -> Contest:
    contest = visible_contest(request, slug)
    if not request.user.has_perm("judging.manage_judging", contest):
        raise PermissionDenied
    return contest


@router.get("/{slug}/results", response=PublishedOut, auth=ANYONE)
def published(request: HttpRequest, slug: str) -> PublishedOut:
    """The current published result (jurors pseudonymous), exactly the hashed document;
    when the latest version was withdrawn, that version (``state: "withdrawn"``)."""
    latest = _history(request, slug)[0]
    return PublishedOut(
        **_publication_out(latest), computation=json.loads(latest.publication.computation)
    )


@router.get("/{slug}/results/versions", response=list[PublicationOut], auth=ANYONE)
def versions(request: HttpRequest, slug: str) -> list[PublicationOut]:
    """Every published version, newest first: which one is current, which were
    superseded or withdrawn (with the reason); each stays downloadable."""
    return [PublicationOut(**_publication_out(h)) for h in _history(request, slug)]


@router.get("/{slug}/results/versions/{version}", response=PublishedOut, auth=ANYONE)
def version_detail(request: HttpRequest, slug: str, version: int) -> PublishedOut:
    """One published version, current or not, with its document."""
    found = next((h for h in _history(request, slug) if h.publication.version == version), None)
    if found is None:
        raise Http404
    return PublishedOut(
        **_publication_out(found), computation=json.loads(found.publication.computation)
    )


@router.get("/{slug}/results/verify", response=VerifyOut, auth=ANYONE)
def verify(request: HttpRequest, slug: str, version: int | None = None) -> VerifyOut:
    """Anyone may ask the server to recompute a published version (by default the
    current one) and compare. A superseded or withdrawn version may no longer match."""
    history = _history(request, slug)
    found: PublicationStatus | None
    if version is None:
        found = next((h for h in history if h.state == PublicationState.CURRENT), history[0])
    else:
        found = next((h for h in history if h.publication.version == version), None)
    if found is None:
        raise Http404
    check = domain.verify_publication(
        contest=found.publication.contest, publication=found.publication
    )
    return VerifyOut(
        version=check.publication.version,
        state=found.state.value,
        published_sha256=check.publication.sha256,
        recomputed_sha256=check.recomputed_sha256,
        document_intact=check.document_intact,
        matches=check.matches,
        differences=list(check.differences),
    )


@router.get("/{slug}/results/preview", response=dict[str, Any], auth=SIGNED_IN)
def preview(request: HttpRequest, slug: str) -> dict[str, Any]:
    result = domain.compute_results(contest=_managed(request, slug))
    return {"sha256": result.sha256, "incomplete": result.incomplete, **result.document}


@router.put("/{slug}/results/method", response=dict[str, Any], auth=SIGNED_IN)
def method_put(request: HttpRequest, slug: str, payload: MethodIn) -> dict[str, Any]:
    contest = _managed(request, slug)
    values = {k: v for k, v in payload.dict().items() if v is not None}
    method = domain.set_method(contest=contest, by=request.user, **values)
    return {f: getattr(method, f) for f in domain.METHOD_FIELDS if f != "unit_level"}


@router.post("/{slug}/results/decisions", response={201: dict}, auth=SIGNED_IN)
def decision_create(request: HttpRequest, slug: str, payload: DecisionIn) -> tuple[int, dict]:
    contest = _managed(request, slug)
    entry = get_object_or_404(Entry, contest=contest, public_id=payload.entry)
    decision = domain.record_decision(
        contest=contest,
        entry=entry,
        kind=payload.kind,
        value=payload.value,
        reason=payload.reason,
        by=request.user,
    )
    return 201, {"id": decision.pk, "kind": decision.kind, "value": decision.value}


@router.post("/{slug}/results/publish", response={201: dict}, auth=SIGNED_IN)
def publish(request: HttpRequest, slug: str, payload: PublishIn) -> tuple[int, dict]:
    contest = _managed(request, slug)
    publication = domain.publish_results(
        contest=contest, by=request.user, incomplete_reason=payload.incomplete_reason
    )
    return 201, {"version": publication.version, "sha256": publication.sha256}


@router.post(
    "/{slug}/results/withdraw",
    response={200: PublicationOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=SIGNED_IN,
)
def withdraw(request: HttpRequest, slug: str, payload: PublicationWithdrawIn) -> PublicationOut:
    """Withdraw the current published result with a (public) reason, so the phases may
    move again. The document stays downloadable and verifiable, marked withdrawn. 409
    when no version is current; 422 (``field: "reason"``) without a reason."""
    contest = _managed(request, slug)
    commitment.withdraw_publication(contest=contest, by=request.user, reason=payload.reason)
    return PublicationOut(**_publication_out(publication_history(contest)[0]))


@router.get("/{slug}/results/exports/{kind}.{fmt}", auth=SIGNED_IN)
def export(request: HttpRequest, slug: str, kind: str, fmt: str) -> HttpResponse:
    contest = _managed(request, slug)
    if kind not in exports.KINDS or fmt not in ("csv", "xlsx"):
        raise Http404
    return exports.response(domain.compute_results(contest=contest), kind, fmt, contest.slug)


class LibraryItemOut(Schema):
    public_id: str
    title: str
    team: str
    unit: str
    contest: str
    edition: int
    topics: list[str]
    licence: str
    is_winner: bool
    prizes: list[str]
    renditions: dict[str, str]
    original: str | None
    embed: str


@library_router.get("", response=list[LibraryItemOut], auth=ANYONE)
def library(
    request: HttpRequest, contest: str = "", unit: str = "", topic: str = ""
) -> list[LibraryItemOut]:
    """The winners' library: filter by edition (contest slug), unit name or topic."""
    items = filter_items(library_items(), contest=contest, unit=unit, topic=topic)
    return [LibraryItemOut(**card) for card in item_cards(request, list(items))]
