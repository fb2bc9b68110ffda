"""The cockpit's charts: its data turned into ``core.charts`` drawings with labels in
the active language. Each picture keeps its Chart, so the page prints the same numbers
as a table under the drawing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from clipcontest.core import charts
from clipcontest.core.charts import Chart, Column, Row, Segment

from .queries import Cockpit

BURST_SHARE = 0.2  # a slot is marked when at least this share of its votes is held


@dataclass(frozen=True)
class Picture:
    key: str
    chart: Chart
    svg: SafeString

    @property
    def table(self) -> list[tuple[str, list[int], int]]:
        return charts.table_rows(self.chart)


def _slot_label(at: dt.datetime, hourly: bool) -> str:
    local = timezone.localtime(at)
    return formats.date_format(local, "j/n H\\h" if hourly else "j/n")


def votes_over_time(c: Cockpit) -> Chart:
    columns = tuple(
        Column(
            label=_slot_label(s.start, c.hourly),
            segments=(
                Segment("valid", s.valid),
                Segment("held", s.held),
                Segment("invalid", s.invalid),
            ),
            marked=(s.held + s.invalid) > 0
            and (s.held + s.invalid) >= BURST_SHARE * (s.valid + s.held + s.invalid),
        )
        for s in c.vote_slots
    )
    return Chart(
        title=_("Votes per hour") if c.hourly else _("Votes per day"),
        legend=(
            ("valid", _("counted")),
            ("held", _("held for review")),
            ("invalid", _("invalidated")),
        ),
        columns=columns,
        note=_("▼ marks a time slot in which many votes were held or struck out: a likely burst."),
    )


def votes_per_entry(c: Cockpit) -> Chart | None:
    if c.per_entry is None:
        return None
    return Chart(
        title=_("Counted votes per entry"),
        legend=(("valid", _("counted")),),
        rows=tuple(Row(title, (Segment("valid", n),)) for title, n in c.per_entry),
    )


def screening_progress(c: Cockpit) -> Chart:
    return Chart(
        title=_("Screening at level %(level)s, per unit") % {"level": c.screening_level},
        legend=(
            ("passed", _("forwarded")),
            ("rejected", _("not selected")),
            ("pending", _("waiting")),
            ("stopped", _("stopped at the deadline")),
        ),
        rows=tuple(
            Row(
                u.name,
                (
                    Segment("passed", u.passed),
                    Segment("rejected", u.rejected),
                    Segment("pending", u.pending),
                    Segment("stopped", u.stopped),
                ),
            )
            for u in c.screening_units
        ),
    )


def jury_progress(c: Cockpit) -> Chart:
    return Chart(
        title=_("Scorecards per juror"),
        legend=(("passed", _("submitted")), ("pending", _("draft")), ("missing", _("not started"))),
        rows=tuple(
            Row(
                p.label,
                (
                    Segment("passed", p.submitted),
                    Segment("pending", p.drafts),
                    Segment("missing", p.assigned - p.submitted - p.drafts),
                ),
            )
            for p in c.jurors
        ),
    )


def submissions(c: Cockpit) -> Chart:
    return Chart(
        title=_("Submitted entries per unit"),
        legend=(("valid", _("entries")),),
        rows=tuple(Row(name, (Segment("valid", n),)) for name, n in c.submissions),
    )


def pictures_for(c: Cockpit) -> list[Picture]:
    """The charts worth drawing now (an empty chart is left out)."""
    out = []
    drawn = [
        ("votes-time", votes_over_time(c), charts.columns_svg),
        ("votes-entry", votes_per_entry(c), charts.bars_svg),
        ("screening", screening_progress(c), charts.bars_svg),
        ("jury", jury_progress(c), charts.bars_svg),
        ("submissions", submissions(c), charts.bars_svg),
    ]
    for key, chart, draw in drawn:
        if chart is not None and not chart.empty:
            svg = draw(chart, chart_id=f"chart-{key}")
            out.append(Picture(key, chart, mark_safe(svg)))  # noqa: S308 - escaped by core.charts
    return out
