"""The audit log on screen and as CSV: per contest for its organizers, and the whole
site (units, roles, teams, tokens included) for site admins."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date

from clipcontest.audit import sentences
from clipcontest.audit.models import AuditEvent
from clipcontest.contests.models import Contest

from ..access import require, visible_contest

CSV_COLUMNS = [
    "time",
    "actor",
    "via",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object",
    "before",
    "after",
    "reason",
    "description",
]


def _events(contest: Contest | None) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    return events.filter(contest=contest) if contest is not None else events


def _scope(request: HttpRequest, slug: str | None) -> Contest | None:
    if slug is None:
        if not request.user.is_superuser:
            raise PermissionDenied
        return None
    contest = visible_contest(request, slug)
    require(request, "contests.view_audit", contest)
    return contest


def _filtered(
    events: QuerySet[AuditEvent], query: Mapping[str, str]
) -> tuple[QuerySet[AuditEvent], dict[str, str]]:
    """Apply the page's filters (person, kind, object, dates); unusable values are ignored."""
    used: dict[str, str] = {}
    for name in ("actor", "kind", "object", "since", "until"):
        value = query.get(name, "").strip()[:100]
        if not value or "\x00" in value:
            continue
        if name == "actor":
            events = events.filter(actor__username=value)
        elif name == "kind":
            events = events.filter(action__startswith=f"{value}.")
        elif name == "object":
            events = events.filter(target_repr__icontains=value)
        else:
            try:
                day = parse_date(value) if len(value) == 10 else None
            except ValueError:  # well-formed but not a date, e.g. 2023-13-45
                day = None
            if day is None:
                continue
            if name == "since":
                events = events.filter(at__date__gte=day)
            else:
                events = events.filter(at__date__lte=day)
        used[name] = value
    return events, used


def _page(request: HttpRequest, slug: str | None) -> HttpResponse:
    contest = _scope(request, slug)
    events, used = _filtered(_events(contest), request.GET)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    actors = (
        _events(contest)
        .exclude(actor=None)
        .order_by()
        .values_list("actor__username", flat=True)
        .distinct()
    )
    return render(
        request,
        "web/manage/audit.html",
        {
            "contest": contest,
            "page": page,
            "filters": used,
            "query": urlencode(used),
            "kinds": sentences.kinds(),
            "actors": sorted(actors),
        },
    )


@login_required
def contest_audit(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, slug)


@login_required
def site_audit(request: HttpRequest) -> HttpResponse:
    return _page(request, None)


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas: names and reasons are typed by users."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) if value is not None else ""


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(request: HttpRequest, slug: str | None) -> StreamingHttpResponse:
    contest = _scope(request, slug)
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff"  # so spreadsheet programs read the Vietnamese text as UTF-8
        yield writer.writerow(CSV_COLUMNS)
        for e in _events(contest).iterator(chunk_size=1000):
            values = [
                e.at.isoformat(),
                e.actor.username if e.actor else "",
                e.via,
                e.ip or "",
                e.action,
                e.target_type,
                e.target_id,
                e.target_repr,
                _json(e.before),
                _json(e.after),
                e.reason,
                sentences.describe(e),
            ]
            yield writer.writerow([_cell(str(v)) for v in values])

    name = f"audit-{contest.slug}.csv" if contest else "audit-site.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def contest_audit_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    return _csv(request, slug)


@login_required
def site_audit_csv(request: HttpRequest) -> StreamingHttpResponse:
    return _csv(request, None)
