"""The answers export: one row per entry, one column per question, as CSV or XLSX.

Written by the same table writers as the results exports (``results.exports``), which
defuse spreadsheet formulas in text cells."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from clipcontest.contests.models import Contest
from clipcontest.entries.models import Entry
from clipcontest.results.exports import Table, to_csv, to_xlsx

from .models import Answer, Question
from .queries import answer_text


def answers_table(contest: Contest, *, site: str = "") -> Table:
    """Every entry of the contest (withdrawn ones too, with their status) with its answers;
    retired questions keep their column. Files are links to the permission-checked
    download. Three queries whatever the number of entries."""
    questions = list(Question.objects.filter(contest=contest).order_by("position", "pk"))
    entries = list(
        Entry.objects.filter(contest=contest)
        .select_related("team", "unit")
        .order_by("unit__path", "title", "pk")
    )
    cells: dict[tuple[int, int], Any] = {}
    for a in Answer.objects.filter(question__contest=contest).select_related("question"):
        if a.file:
            value: Any = site + reverse("questions:answer_file", args=[a.pk])
        elif isinstance(a.value, bool | list):
            value = answer_text(a.question.kind, a.value)
        else:
            value = a.value
        cells[(a.entry_id, a.question_id)] = value
    headers = [
        _("Entry"),
        _("Title"),
        _("Team"),
        _("Unit"),
        _("Status"),
        *[q.label for q in questions],
    ]
    rows = [
        [
            str(e.public_id),
            e.title,
            e.team.name,
            e.unit.name,
            e.get_status_display(),
            *[cells.get((e.pk, q.pk)) for q in questions],
        ]
        for e in entries
    ]
    return Table("answers", headers, rows)


def response(contest: Contest, fmt: str, site: str = "") -> HttpResponse:
    t = answers_table(contest, site=site)
    if fmt == "csv":
        body, content_type = to_csv(t), "text/csv; charset=utf-8"
    else:
        body = to_xlsx(t)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    out = HttpResponse(body, content_type=content_type)
    out["Content-Disposition"] = f'attachment; filename="{contest.slug}-answers.{fmt}"'
    return out
