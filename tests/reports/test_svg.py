"""The SVG line chart (no database)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from dyade.reports.svg import Chart, Series, render

NS = "{http://www.w3.org/2000/svg}"
START = dt.date(2026, 11, 1)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def chart(*series: Series) -> ET.Element:
    return ET.fromstring(render(Chart("Nabijheid", list(series), START, day(9))))


def test_a_missing_day_breaks_the_line() -> None:
    points = {day(0): 1, day(1): 2, day(2): 3, day(5): 4, day(6): 5}
    svg = chart(Series("A", points, "partner-a"))
    lines = svg.findall(f"{NS}polyline")
    assert [len(line.get("points", "").split()) for line in lines] == [3, 2]


def test_a_lone_day_is_a_dot() -> None:
    svg = chart(Series("A", {day(4): 7}, "partner-a"))
    assert len(svg.findall(f"{NS}circle")) == 1
    assert svg.findall(f"{NS}polyline") == []


def test_values_map_to_the_plot_area() -> None:
    svg = chart(Series("A", {day(0): 0, day(1): 10}, "partner-a"))
    (line,) = svg.findall(f"{NS}polyline")
    (x0, y0), (x1, y1) = (tuple(map(float, p.split(","))) for p in line.get("points", "").split())
    assert x0 < x1
    assert y0 > y1  # 10 is drawn above 0


def test_text_is_escaped() -> None:
    markup = render(Chart("<script>", [Series("B & <b>", {day(1): 3}, "x")], START, day(9)))
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    ET.fromstring(markup)  # still well-formed


def test_an_empty_chart_says_so() -> None:
    markup = render(
        Chart("Leeg", [Series("A", {}, "partner-a")], START, day(9), empty_text="Niets")
    )
    assert "Niets" in markup
