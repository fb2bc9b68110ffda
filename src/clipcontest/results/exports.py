"""Exports for the organizing committee: scores per juror and criterion, the ranking
and the winners, as CSV or XLSX. Tables are built once and written in either format."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from clipcontest.accounts.models import User
from clipcontest.entries.models import Entry

from .domain import Computation

KINDS = ("scores", "ranking", "winners")


@dataclass(frozen=True)
class Table:
    name: str
    headers: list[str]
    rows: list[list[Any]]


def _entries(result: Computation) -> dict[str, Entry]:
    ids = result.inputs.entry_ids
    by_id = Entry.objects.select_related("team", "unit").in_bulk(list(ids.values()))
    return {key: by_id[pk] for key, pk in ids.items()}


def _jurors(result: Computation) -> dict[str, str]:
    users = User.objects.in_bulk(list(result.inputs.pseudonyms))
    return {label: str(users[pk]) for pk, label in result.inputs.pseudonyms.items()}


def scores_table(result: Computation) -> Table:
    entries, jurors = _entries(result), _jurors(result)
    criteria = [c.name for c in result.ranking.criteria]
    rows = [
        [
            jurors.get(card.juror, card.juror),
            card.juror,
            entries[card.entry].title,
            entries[card.entry].team.name,
            *[s / 100 for s in card.scores],
        ]
        for card in sorted(result.inputs.cards, key=lambda c: (c.juror, entries[c.entry].title))
    ]
    headers = [_("Juror"), _("Pseudonym"), _("Entry"), _("Team"), *criteria]
    return Table("scores", headers, rows)


def ranking_table(result: Computation) -> Table:
    entries = _entries(result)
    rows = [
        [
            s.position,
            s.rank,
            entries[s.entry].title,
            entries[s.entry].team.name,
            entries[s.entry].unit.name,
            _round(s.jury),
            _round(s.public),
            _round(s.combined),
            s.votes,
            len(s.cards),
            s.decided_by,
            s.placed_by_committee,
        ]
        for s in result.ranking.standings
    ]
    headers = [
        _("Position"),
        _("Rank"),
        _("Entry"),
        _("Team"),
        _("Unit"),
        _("Jury score"),
        _("Public score"),
        _("Combined score"),
        _("Valid votes"),
        _("Scorecards"),
        _("Separated by"),
        _("Committee decision"),
    ]
    return Table("ranking", headers, rows)


def winners_table(result: Computation) -> Table:
    entries = _entries(result)
    tiers = {t.position: t.name for t in result.inputs.tiers}
    rows = [
        [
            tiers[a.tier],
            a.place,
            entries[a.entry].title,
            entries[a.entry].team.name,
            entries[a.entry].unit.name,
        ]
        for a in result.allocation.awards
    ]
    headers = [_("Prize"), _("Place"), _("Entry"), _("Team"), _("Unit")]
    return Table("winners", headers, rows)


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def table(result: Computation, kind: str) -> Table:
    return {"scores": scores_table, "ranking": ranking_table, "winners": winners_table}[kind](
        result
    )


def _cell(value: Any) -> Any:
    """Defuse spreadsheet formulas in text cells (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(t: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(t.headers)
    writer.writerows([[_cell(v) for v in row] for row in t.rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8


def to_xlsx(t: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t.name
    sheet.append(t.headers)
    for row in t.rows:
        sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def response(result: Computation, kind: str, fmt: str, slug: str) -> Any:
    """An HTTP download of one table."""
    from django.http import HttpResponse

    t = table(result, kind)
    if fmt == "csv":
        body, content_type = to_csv(t), "text/csv; charset=utf-8"
    else:
        body = to_xlsx(t)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    out = HttpResponse(body, content_type=content_type)
    out["Content-Disposition"] = f'attachment; filename="{slug}-{kind}.{fmt}"'
    return out
