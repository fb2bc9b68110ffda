"""The vote log's public side: heads, the head feed, the leaves file, receipts."""

from __future__ import annotations

import io
import json

import segno
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from clipcontest.web.access import visible_contest

from .. import conf, publish, queries, signing


@require_safe
def leaves_file(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The whole pseudonymous log as a leaves file; refused while counts are hidden."""
    contest = visible_contest(request, slug)
    if not publish.leaves_public(contest):
        raise PermissionDenied
    response = StreamingHttpResponse(
        publish.leaves_lines(contest), content_type="application/jsonl"
    )
    response["Content-Disposition"] = f'attachment; filename="{contest.slug}.votes.jsonl"'
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def head(request: HttpRequest, slug: str) -> JsonResponse:
    contest = visible_contest(request, slug)
    return JsonResponse(publish.head_json(contest, queries.latest_head(contest)))


@require_safe
def heads_json(request: HttpRequest, slug: str) -> JsonResponse:
    contest = visible_contest(request, slug)
    return JsonResponse(publish.feed_json(contest))


@require_safe
def heads_atom(request: HttpRequest, slug: str) -> HttpResponse:
    contest = visible_contest(request, slug)
    return HttpResponse(publish.atom_feed(contest), content_type="application/atom+xml")


def _receipt(request: HttpRequest, slug: str, code: str) -> tuple[object, publish.Receipt]:
    contest = visible_contest(request, slug)
    found = publish.find_receipt(contest, code)
    if found is None:
        raise Http404
    return contest, found


@never_cache
@require_safe
def receipt_page(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """ "Check my vote": the receipt, its QR code, and once sealed the inclusion proof
    that the page's script verifies in the browser."""
    contest, found = _receipt(request, slug, code)
    key = signing.log_key()
    return render(
        request,
        "voting/receipt.html",
        {
            "contest": contest,
            "receipt": found,
            "url": publish.receipt_url(contest, code),  # type: ignore[arg-type]
            "merge_delay": conf.get("VOTING_MERGE_DELAY"),
            "key": key.verifier,
            "origin": signing.origin(contest.slug),  # type: ignore[attr-defined]
        },
    )


@never_cache
@require_safe
def receipt_json(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The receipt's data: what the page's script checks, and a file for the
    standalone verifier (``python3 ledger.py receipt.json --receipt CODE``)."""
    contest, found = _receipt(request, slug, code)
    response = HttpResponse(
        json.dumps(found.bundle(contest), indent=1),  # type: ignore[arg-type]
        content_type="application/json",
    )
    if request.GET.get("download"):
        response["Content-Disposition"] = 'attachment; filename="receipt.json"'
    return response


@require_safe
def receipt_qr(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    contest, _found = _receipt(request, slug, code)
    qr = segno.make(publish.receipt_url(contest, code), error="m")  # type: ignore[arg-type]
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=4, xmldecl=False)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response
