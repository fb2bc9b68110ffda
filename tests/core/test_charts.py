"""Server-drawn SVG charts: every drawn number is the data's number, labels are escaped,
bars never leave the drawing, and the table repeats the numbers."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from clipcontest.core import charts
from clipcontest.core.charts import Chart, Column, Row, Segment

RECT = re.compile(
    r'<rect class="chart-(\w+)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="[\d.]+" '
    r'data-row="([^"]*)" data-kind="\w+" data-value="(\d+)"/>'
)
KINDS = ("valid", "held", "invalid")

rows = st.lists(
    st.tuples(
        st.text(min_size=1, max_size=40),
        st.lists(st.integers(min_value=0, max_value=10**6), min_size=3, max_size=3),
    ),
    max_size=25,
)


def _chart(data) -> Chart:
    return Chart(
        title="Phiếu",
        legend=tuple((k, k) for k in KINDS),
        rows=tuple(
            Row(label, tuple(Segment(k, v) for k, v in zip(KINDS, values, strict=True)))
            for label, values in data
        ),
    )


@settings(deadline=None)  # drawing 25 rows can pass 200 ms on a loaded machine
@given(rows)
def test_bars_draw_exactly_the_nonzero_numbers_inside_the_drawing(data):
    svg = charts.bars_svg(_chart(data), chart_id="c")
    drawn = [(kind, int(value)) for kind, _x, _w, _row, value in RECT.findall(svg)]
    expected = [(k, v) for _label, values in data for k, v in zip(KINDS, values, strict=True) if v]
    assert drawn == expected
    for _kind, x, width, _row, _value in RECT.findall(svg):
        assert float(x) + float(width) <= charts.WIDTH - 59


@settings(deadline=None)  # drawing 25 rows can pass 200 ms on a loaded machine
@given(rows)
def test_table_rows_repeat_the_numbers_and_totals(data):
    table = charts.table_rows(_chart(data))
    assert table == [(label, values, sum(values)) for label, values in data]


def test_longest_bar_fills_the_room_and_others_are_proportional():
    chart = _chart([("a", [100, 0, 0]), ("b", [25, 25, 0])])
    widths = [float(w) for _k, _x, w, _r, _v in RECT.findall(charts.bars_svg(chart, chart_id="c"))]
    room = charts.WIDTH - charts.LABEL_WIDTH - 60
    assert widths == [room, room / 4, room / 4]


def test_labels_and_titles_are_escaped():
    chart = Chart(
        title='<script>alert("x")</script>',
        legend=(("valid", "v"),),
        rows=(Row('Tổ "A" <b>', (Segment("valid", 3),)),),
    )
    svg = charts.bars_svg(chart, chart_id="c")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'data-row="Tổ &quot;A&quot; &lt;b&gt;"' in svg


def test_chart_is_accessible_and_scales():
    svg = charts.bars_svg(_chart([("a", [1, 2, 3])]), chart_id="votes")
    assert 'role="img"' in svg
    assert 'aria-labelledby="votes-title"' in svg
    assert '<title id="votes-title">Phiếu</title>' in svg
    assert 'viewBox="0 0 640 28"' in svg
    assert "style=" not in svg


def test_columns_mark_only_marked_slots_and_draw_their_numbers():
    chart = Chart(
        title="t",
        legend=tuple((k, k) for k in KINDS),
        columns=(
            Column("21/9", (Segment("valid", 10), Segment("held", 0)), marked=False),
            Column("22/9", (Segment("valid", 4), Segment("held", 6)), marked=True),
        ),
    )
    svg = charts.columns_svg(chart, chart_id="t")
    assert [(k, int(v)) for k, _x, _w, _r, v in RECT.findall(svg)] == [
        ("valid", 10),
        ("valid", 4),
        ("held", 6),
    ]
    assert re.findall(r'class="chart-mark"[^>]*data-row="([^"]*)"', svg) == ["22/9"]


def test_empty_chart_is_reported_empty():
    assert _chart([("a", [0, 0, 0])]).empty is True
    assert _chart([("a", [0, 1, 0])]).empty is False
