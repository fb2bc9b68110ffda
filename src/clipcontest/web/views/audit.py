"""The contest's audit log for organizers, on screen and as CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from clipcontest.audit.models import AuditEvent

from ..access import require, visible_contest


def _events(contest_id: int) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(contest_id=contest_id)
        .select_related("actor")
        .order_by("-at", "-id")
    )


@login_required
def contest_audit(request: HttpRequest, slug: str) -> HttpResponse:
    contest = visible_contest(request, slug)
    require(request, "contests.view_audit", contest)
    events = _events(contest.pk)
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request, "web/manage/audit.html", {"contest": contest, "page": page, "action": action}
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def contest_audit_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    contest = visible_contest(request, slug)
    require(request, "contests.view_audit", contest)
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff"  # so spreadsheet programs read the Vietnamese text as UTF-8
        yield writer.writerow(
            [
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
            ]
        )
        for e in _events(contest.pk).iterator(chunk_size=1000):
            yield writer.writerow(
                [
                    e.at.isoformat(),
                    e.actor.username if e.actor else "",
                    e.via,
                    e.ip or "",
                    e.action,
                    e.target_type,
                    e.target_id,
                    e.target_repr,
                    json.dumps(e.before, ensure_ascii=False) if e.before is not None else "",
                    json.dumps(e.after, ensure_ascii=False) if e.after is not None else "",
                    e.reason,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{contest.slug}.csv"'
    return response
