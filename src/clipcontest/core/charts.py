"""Charts as accessible SVG drawn on the server: plain data in, markup out.

Two shapes cover the organizer's pictures: stacked horizontal bars (one row per entry,
unit or juror; one segment per state) and columns over time (votes per hour or day,
with suspicious columns marked). Every drawn rectangle carries its number in
``data-value`` and the page shows the same numbers as a table, so a chart can be read
without sight, printed, and checked by a test. Colours come from CSS classes (no inline
style, the Content-Security-Policy forbids it); the SVG scales to its container through
its viewBox, so it fits a 360 px phone. No JavaScript, no library.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

ROW_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 230
WIDTH = 640
COLUMN_CHART_HEIGHT = 160
AXIS_GAP = 18
LABEL_CHARS = 28  # what fits LABEL_WIDTH at 12 px with Vietnamese diacritics


@dataclass(frozen=True)
class Segment:
    """One coloured part of a bar: ``kind`` is a CSS class suffix (``chart-<kind>``)."""

    kind: str
    value: int


@dataclass(frozen=True)
class Row:
    label: str
    segments: tuple[Segment, ...]

    @property
    def total(self) -> int:
        return sum(s.value for s in self.segments)


@dataclass(frozen=True)
class Column:
    """One time slot: its label (e.g. ``21/9 14h``), its parts, and whether to mark it."""

    label: str
    segments: tuple[Segment, ...]
    marked: bool = False

    @property
    def total(self) -> int:
        return sum(s.value for s in self.segments)


@dataclass(frozen=True)
class Chart:
    title: str
    legend: tuple[tuple[str, str], ...]  # (kind, label) in drawing order
    rows: tuple[Row, ...] = ()
    columns: tuple[Column, ...] = ()
    note: str = ""
    table_head: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not any(r.total for r in self.rows) and not any(c.total for c in self.columns)


def _scale(value: int, biggest: int, room: float) -> float:
    return 0.0 if biggest <= 0 else round(room * value / biggest, 2)


def bars_svg(chart: Chart, *, chart_id: str) -> str:
    """Stacked horizontal bars, one row per ``chart.rows``; the longest fills the width."""
    biggest = max((r.total for r in chart.rows), default=0)
    room = WIDTH - LABEL_WIDTH - 60
    height = max(1, len(chart.rows)) * (ROW_HEIGHT + GAP)
    parts = [_open(chart, chart_id, WIDTH, height)]
    for i, row in enumerate(chart.rows):
        y = i * (ROW_HEIGHT + GAP)
        label = escape(_shorten(row.label, LABEL_CHARS))
        parts.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 6}" y="{y + 15}" '
            f'text-anchor="end">{label}</text>'
        )
        x = float(LABEL_WIDTH)
        for seg in row.segments:
            w = _scale(seg.value, biggest, room)
            if seg.value:
                parts.append(
                    f'<rect class="chart-{escape(seg.kind)}" x="{x:.2f}" y="{y}" '
                    f'width="{w:.2f}" height="{ROW_HEIGHT}" data-row="{escape(row.label)}" '
                    f'data-kind="{escape(seg.kind)}" data-value="{seg.value}"/>'
                )
            x += w
        parts.append(f'<text class="chart-total" x="{x + 4:.2f}" y="{y + 15}">{row.total}</text>')
    parts.append("</svg>")
    return "".join(parts)


def columns_svg(chart: Chart, *, chart_id: str) -> str:
    """Stacked columns over time; marked columns get a triangle above them."""
    biggest = max((c.total for c in chart.columns), default=0)
    n = max(1, len(chart.columns))
    step = WIDTH / n
    bar = max(1.0, step * 0.8)
    room = COLUMN_CHART_HEIGHT - AXIS_GAP - 10
    parts = [_open(chart, chart_id, WIDTH, COLUMN_CHART_HEIGHT)]
    base = COLUMN_CHART_HEIGHT - AXIS_GAP
    for i, col in enumerate(chart.columns):
        x = i * step + (step - bar) / 2
        y = float(base)
        for seg in col.segments:
            h = _scale(seg.value, biggest, room)
            if seg.value:
                y -= h
                parts.append(
                    f'<rect class="chart-{escape(seg.kind)}" x="{x:.2f}" y="{y:.2f}" '
                    f'width="{bar:.2f}" height="{h:.2f}" data-row="{escape(col.label)}" '
                    f'data-kind="{escape(seg.kind)}" data-value="{seg.value}"/>'
                )
        if col.marked:
            cx = x + bar / 2
            parts.append(
                f'<path class="chart-mark" d="M{cx - 4:.2f} {y - 9:.2f}h8l-4 6z" '
                f'data-row="{escape(col.label)}"/>'
            )
    if chart.columns:
        first, last = chart.columns[0].label, chart.columns[-1].label
        parts.append(f'<text class="chart-label" x="0" y="{COLUMN_CHART_HEIGHT - 4}">')
        parts.append(f"{escape(first)}</text>")
        parts.append(
            f'<text class="chart-label" x="{WIDTH}" y="{COLUMN_CHART_HEIGHT - 4}" '
            f'text-anchor="end">{escape(last)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _open(chart: Chart, chart_id: str, width: int, height: int) -> str:
    title = escape(chart.title)
    return (
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart_id)}-title">{title}</title>'
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table_rows(chart: Chart) -> list[tuple[str, list[int], int]]:
    """The numbers behind the chart: (label, value per legend kind, total)."""
    kinds = [k for k, _label in chart.legend]
    items: Sequence[Row | Column] = chart.rows or chart.columns
    out = []
    for item in items:
        by_kind = {s.kind: s.value for s in item.segments}
        out.append((item.label, [by_kind.get(k, 0) for k in kinds], item.total))
    return out
