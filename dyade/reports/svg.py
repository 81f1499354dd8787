"""Server-side SVG line charts: readable on a phone, printable, no JavaScript.

Pure Python, no Django: a chart is a function of its series. Days without a
value leave a gap in the line instead of being bridged, so a missing diary day
is never drawn as if it had been answered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape


@dataclass(frozen=True)
class Series:
    label: str
    points: dict[dt.date, float]
    css_class: str  # colour and dash pattern come from the stylesheet


@dataclass(frozen=True)
class Chart:
    title: str
    series: list[Series]
    start: dt.date
    end: dt.date
    y_min: float = 0
    y_max: float = 10
    y_ticks: list[float] = field(default_factory=lambda: [0, 5, 10])
    empty_text: str = "No data"


WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 34, 12, 14, 50


def _runs(points: dict[dt.date, float], start: dt.date, end: dt.date) -> list[list[dt.date]]:
    """Consecutive days with a value, as separate runs (a gap breaks the line)."""
    runs: list[list[dt.date]] = []
    current: list[dt.date] = []
    day = start
    while day <= end:
        if day in points:
            current.append(day)
        elif current:
            runs.append(current)
            current = []
        day += dt.timedelta(days=1)
    if current:
        runs.append(current)
    return runs


def render(chart: Chart, date_format: str = "%d-%m") -> str:
    """Return the chart as an ``<svg>`` element (a string of escaped markup)."""
    span = max((chart.end - chart.start).days, 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return LEFT + plot_w * (day - chart.start).days / span

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - chart.y_min) / (chart.y_max - chart.y_min))

    title = escape(chart.title)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{title}"><title>{title}</title>'
    ]
    for tick in chart.y_ticks:
        ty = y(tick)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end">{tick:g}</text>'
        )
    middle = chart.start + (chart.end - chart.start) / 2
    for day, anchor in ((chart.start, "start"), (middle, "middle"), (chart.end, "end")):
        parts.append(
            f'<text class="tick" x="{x(day):.1f}" y="{TOP + plot_h + 20}" '
            f'text-anchor="{anchor}">{escape(day.strftime(date_format))}</text>'
        )
    drawn = False
    for series in chart.series:
        for run in _runs(series.points, chart.start, chart.end):
            drawn = True
            if len(run) == 1:
                day = run[0]
                parts.append(
                    f'<circle class="{escape(series.css_class)}" cx="{x(day):.1f}" '
                    f'cy="{y(series.points[day]):.1f}" r="4.5"/>'
                )
                continue
            coords = " ".join(f"{x(day):.1f},{y(series.points[day]):.1f}" for day in run)
            parts.append(f'<polyline class="{escape(series.css_class)}" points="{coords}"/>')
    if not drawn:
        parts.append(
            f'<text class="empty" x="{WIDTH / 2}" y="{TOP + plot_h / 2}" '
            f'text-anchor="middle">{escape(chart.empty_text)}</text>'
        )
    legend_x = LEFT
    for series in chart.series:
        parts.append(
            f'<g class="legend"><line class="{escape(series.css_class)}" x1="{legend_x}" '
            f'x2="{legend_x + 22}" y1="{HEIGHT - 10}" y2="{HEIGHT - 10}"/>'
            f'<text x="{legend_x + 28}" y="{HEIGHT - 5}">{escape(series.label)}</text></g>'
        )
        legend_x += 40 + 10 * len(series.label)
    parts.append("</svg>")
    return "".join(parts)
