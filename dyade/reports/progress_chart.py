"""A progress chart: one score per session, the clinical cut-off and the reliable-change band.

Pure Python, no Django, like :mod:`dyade.reports.svg`. The x axis counts
sessions (1, 2, 3 ...), not days: a chart of forty weekly or fortnightly
sessions stays as readable as one of six. A session without a score leaves a
gap in the line, so a missed check-in is never drawn as if it was answered.

The band is drawn around the first score: a later score inside it has not
changed reliably (Jacobson & Truax 1991); the caller works out its edges.
Every text placed in the markup is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

WIDTH = 640  # the default width of the drawing; a phone chart is drawn narrower
PLOT_HEIGHT = 166
LEFT, RIGHT, TOP = 40, 16, 16
AXIS_SPACE = 48  # under the plot: the session numbers and the axis label
LEGEND_ROW = 24
CHAR_WIDTH = 8.5  # about the width of one character of the legend, for wrapping
MAX_X_LABELS = 10


@dataclass(frozen=True)
class Point:
    session: int  # 1-based number of the session on the x axis
    value: float | None  # None: no score for this session
    marker: str = ""  # extra css class of the dot, e.g. the status after that session


@dataclass(frozen=True)
class Line:
    label: str
    css_class: str  # colour and dash pattern come from the stylesheet
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Chart:
    title: str
    lines: tuple[Line, ...]
    sessions: int  # how many sessions the x axis holds
    y_min: float
    y_max: float
    y_ticks: tuple[float, ...]
    cutoff: float | None = None
    cutoff_label: str = ""
    band: tuple[float, float] | None = None  # (low, high) edges of the reliable-change band
    band_label: str = ""
    # Under the session numbers; in the number that fits ``sessions`` (callers use
    # ngettext: "1 session" has the axis "session", more have "sessions").
    axis_label: str = "sessions"
    empty_text: str = "No scores yet"
    description: str = ""
    extra_classes: tuple[str, ...] = field(default_factory=tuple)
    width: int = WIDTH  # narrower on a phone, so the text stays readable when scaled down


def x_labels(sessions: int, most: int = MAX_X_LABELS) -> list[int]:
    """The session numbers labelled on the x axis: all of them up to ``most``, else every n-th."""
    if sessions <= 0:
        return []
    step = max(1, -(-sessions // most))
    numbers = list(range(1, sessions + 1, step))
    if numbers[-1] != sessions and sessions - numbers[-1] >= step / 2:
        numbers.append(sessions)
    return numbers


def runs(points: Sequence[Point]) -> list[list[Point]]:
    """Points of consecutive sessions with a score, as separate runs (a gap breaks the line)."""
    ordered = sorted(points, key=lambda p: p.session)
    found: list[list[Point]] = []
    current: list[Point] = []
    previous = None
    for point in ordered:
        if point.value is None:
            if current:
                found.append(current)
                current = []
            previous = point.session
            continue
        if current and previous is not None and point.session != previous + 1:
            found.append(current)
            current = []
        current.append(point)
        previous = point.session
    if current:
        found.append(current)
    return found


def _number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def render(chart: Chart) -> str:
    """The chart as an ``<svg>`` element (escaped markup)."""
    width = chart.width
    plot_w = width - LEFT - RIGHT
    plot_h = PLOT_HEIGHT
    span_y = (chart.y_max - chart.y_min) or 1
    legend, rows = _legend(chart, TOP + plot_h + AXIS_SPACE)
    height = TOP + plot_h + AXIS_SPACE + rows * LEGEND_ROW

    def x(session: int) -> float:
        if chart.sessions <= 1:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (session - 1) / (chart.sessions - 1)

    def y(value: float) -> float:
        value = min(max(value, chart.y_min), chart.y_max)
        return TOP + plot_h * (1 - (value - chart.y_min) / span_y)

    title = escape(chart.title)
    classes = " ".join(("chart", "progress-chart", *chart.extra_classes))
    parts = [
        f'<svg class="{escape(classes)}" viewBox="0 0 {width} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{title}"><title>{title}</title>'
    ]
    if chart.description:
        parts.append(f"<desc>{escape(chart.description)}</desc>")
    if chart.band is not None:
        low, high = sorted(chart.band)
        top, bottom = y(high), y(low)
        parts.append(
            f'<rect class="rc-band" x="{LEFT}" y="{top:.1f}" width="{plot_w}" '
            f'height="{max(bottom - top, 1):.1f}"/>'
        )
    for tick in chart.y_ticks:
        ty = y(tick)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{ty + 5:.1f}" text-anchor="end">'
            f"{_number(tick)}</text>"
        )
    if chart.cutoff is not None:
        cy = y(chart.cutoff)
        parts.append(
            f'<line class="cutoff" x1="{LEFT}" x2="{width - RIGHT}" y1="{cy:.1f}" y2="{cy:.1f}"/>'
        )
    most = max(2, plot_w // 48)
    for number in x_labels(chart.sessions, min(MAX_X_LABELS, most)):
        parts.append(
            f'<text class="tick" x="{x(number):.1f}" y="{TOP + plot_h + 20}" '
            f'text-anchor="middle">{number}</text>'
        )
    parts.append(
        f'<text class="tick axis" x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h + 40}" '
        f'text-anchor="middle">{escape(chart.axis_label)}</text>'
    )
    drawn = False
    for line in chart.lines:
        css = escape(line.css_class)
        for run in runs(line.points):
            drawn = True
            if len(run) > 1:
                coords = " ".join(f"{x(p.session):.1f},{y(p.value or 0):.1f}" for p in run)
                parts.append(f'<polyline class="{css}" points="{coords}"/>')
            for point in run:
                marker = f" {escape(point.marker)}" if point.marker else ""
                parts.append(
                    f'<circle class="dot {css}{marker}" cx="{x(point.session):.1f}" '
                    f'cy="{y(point.value or 0):.1f}" r="5"/>'
                )
    if not drawn:
        parts.append(
            f'<text class="empty" x="{width / 2}" y="{TOP + plot_h / 2}" '
            f'text-anchor="middle">{escape(chart.empty_text)}</text>'
        )
    parts.append(legend)
    parts.append("</svg>")
    return "".join(parts)


def _legend(chart: Chart, top: float) -> tuple[str, int]:
    """The legend under the axis, wrapped to the chart's width, and how many rows it takes.

    Each line of the chart, then the cut-off and the band when they are drawn.
    """
    entries: list[tuple[str, str]] = []  # (symbol markup with {x} and {y}, label)
    for line in chart.lines:
        css = escape(line.css_class)
        entries.append(
            (f'<line class="{css}" x1="{{x}}" x2="{{x22}}" y1="{{ym}}" y2="{{ym}}"/>', line.label)
        )
    if chart.cutoff is not None and chart.cutoff_label:
        entries.append(
            ('<line class="cutoff" x1="{x}" x2="{x22}" y1="{ym}" y2="{ym}"/>', chart.cutoff_label)
        )
    if chart.band is not None and chart.band_label:
        entries.append(
            ('<rect class="rc-band" x="{x}" y="{yt}" width="22" height="12"/>', chart.band_label)
        )
    parts: list[str] = []
    rows = 0
    x = float(chart.width)  # start a new row at the first entry
    for symbol, label in entries:
        size = 34 + CHAR_WIDTH * len(label)
        if x > LEFT and x + size > chart.width - RIGHT:
            rows += 1
            x = float(LEFT)
        base = top + rows * LEGEND_ROW - 6
        drawn = symbol.format(
            x=f"{x:.0f}", x22=f"{x + 22:.0f}", ym=f"{base - 5:.0f}", yt=f"{base - 11:.0f}"
        )
        text = f'<text x="{x + 28:.0f}" y="{base:.0f}">{escape(label)}</text>'
        parts.append(f'<g class="legend">{drawn}{text}</g>')
        x += size + 12
    return "".join(parts), rows
