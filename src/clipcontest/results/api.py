"""Results through the API: the same domain functions and permissions as the pages."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from clipcontest.api.auth import ANYONE, SIGNED_IN
from clipcontest.api.lookups import visible_contest
from clipcontest.contests.models import Contest
from clipcontest.entries.models import Entry

from . import domain, exports
from .library import filter_items, item_cards
from .queries import current_publication, library_items

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


class PublishedOut(Schema):
    version: int
    sha256: str
    published_at: str
    incomplete_override: str
    computation: dict[str, Any]


class VerifyOut(Schema):
    version: int
    published_sha256: str
    recomputed_sha256: str
    matches: bool
    differences: list[str]


def _managed(request: HttpRequest, slug: str) -> Contest:
    contest = visible_contest(request, slug)
    if not request.user.has_perm("judging.manage_judging", contest):
        raise PermissionDenied
    return contest


@router.get("/{slug}/results", response=PublishedOut, auth=ANYONE)
def published(request: HttpRequest, slug: str) -> PublishedOut:
    """The published result (jurors pseudonymous), exactly the hashed document."""
    publication = current_publication(visible_contest(request, slug))
    if publication is None:
        raise Http404
    return PublishedOut(
        version=publication.version,
        sha256=publication.sha256,
        published_at=publication.published_at.isoformat(),
        incomplete_override=publication.incomplete_override,
        computation=json.loads(publication.computation),
    )


@router.get("/{slug}/results/verify", response=VerifyOut, auth=ANYONE)
def verify(request: HttpRequest, slug: str) -> VerifyOut:
    """Anyone may ask the server to recompute the published result and compare."""
    check = domain.verify_publication(contest=visible_contest(request, slug))
    return VerifyOut(
        version=check.publication.version,
        published_sha256=check.publication.sha256,
        recomputed_sha256=check.recomputed_sha256,
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
