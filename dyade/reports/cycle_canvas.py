"""Drawing primitives of the cycle map (see :mod:`dyade.reports.cycle_svg`).

A :class:`Canvas` collects SVG markup: layer boxes with a heading and wrapped
text, pills ("chips") with one line of text, and arrows with rounded corners.
All text is escaped here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from dyade.reports.cycle_text import BOLD, EM, MAX_LINES, balanced, chars_for, fit, units, wrap

CARD_PAD = 8
TEXT_SIZE = 14
HEADING_SIZE = 11.5
LINE = 17.5
CHIP_SIZE = 12.0


def fmt(value: float) -> str:
    """A coordinate for SVG markup: one decimal, none when it is whole."""
    return f"{value:.1f}".removesuffix(".0")


@dataclass
class Canvas:
    """The markup of one diagram, in drawing order."""

    parts: list[str] = field(default_factory=list)

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def box(
        self,
        x: float,
        y: float,
        width: float,
        heading: str,
        text: str,
        empty: str,
        css: str,
        *,
        dry: bool = False,
    ) -> float:
        """A layer box with a heading and wrapped text; returns its height."""
        inner = width - 2 * CARD_PAD
        if text:
            lines, cut = wrap(text, chars_for(inner, TEXT_SIZE))
            if not cut:  # the same number of lines, but no lone word on the last one
                lines = balanced(text, chars_for(inner, TEXT_SIZE), MAX_LINES)
        else:
            lines, cut = [empty], False
        height = 2 * 7 + HEADING_SIZE + 5 + LINE * len(lines)
        if dry:
            return height
        state = "" if text else " cycle-empty"
        self.add(f'<g class="cycle-layer {css}{state}">')
        if cut:
            self.add(f"<title>{escape(text)}</title>")
        self.add(
            f'<rect class="cycle-box" x="{fmt(x)}" y="{fmt(y)}" width="{fmt(width)}" '
            f'height="{fmt(height)}" rx="6"/>'
        )
        left = fmt(x + CARD_PAD)
        heading = fit(heading, inner, HEADING_SIZE, bold=True)
        self.add(
            f'<text class="cycle-heading" x="{left}" y="{fmt(y + 7 + HEADING_SIZE - 1)}" '
            f'font-size="{fmt(HEADING_SIZE)}">{escape(heading)}</text>'
        )
        base = y + 7 + HEADING_SIZE + 5 + TEXT_SIZE - 1
        self.add(f'<text class="cycle-text" font-size="{TEXT_SIZE}">')
        for index, line in enumerate(lines):
            self.add(f'<tspan x="{left}" y="{fmt(base + index * LINE)}">{escape(line)}</tspan>')
        self.add("</text></g>")
        return height

    def chip(self, x: float, y: float, label: str, css: str) -> float:
        """A pill with one line of (already fitted) text; returns its width."""
        width = chip_width(label)
        self.add(
            f'<g class="{css}"><rect x="{fmt(x)}" y="{fmt(y)}" width="{fmt(width)}" height="20" '
            f'rx="10"/><text x="{fmt(x + width / 2)}" y="{fmt(y + 14)}" text-anchor="middle" '
            f'font-size="{fmt(CHIP_SIZE)}">{escape(label)}</text></g>'
        )
        return width

    def arrow(self, points: list[tuple[float, float]], css: str, radius: float = 9) -> None:
        """A polyline with rounded corners and an arrowhead at its last point."""
        path = [f"M{fmt(points[0][0])} {fmt(points[0][1])}"]
        for index in range(1, len(points) - 1):
            (x0, y0), (x1, y1), (x2, y2) = points[index - 1 : index + 2]
            r1 = min(radius, (abs(x1 - x0) + abs(y1 - y0)) / 2)
            r2 = min(radius, (abs(x2 - x1) + abs(y2 - y1)) / 2)
            ax, ay = x1 - _sign(x1 - x0) * r1, y1 - _sign(y1 - y0) * r1
            bx, by = x1 + _sign(x2 - x1) * r2, y1 + _sign(y2 - y1) * r2
            path.append(f"L{fmt(ax)} {fmt(ay)} Q{fmt(x1)} {fmt(y1)} {fmt(bx)} {fmt(by)}")
        (px, py), (ex, ey) = points[-2], points[-1]
        dx, dy = _sign(ex - px), _sign(ey - py)
        head = 7.0
        # Stop the line at the base of the head, so the stroke does not blunt the tip.
        path.append(f"L{fmt(ex - dx * head)} {fmt(ey - dy * head)}")
        self.add(f'<path class="cycle-arrow {css}" d="{" ".join(path)}"/>')
        bx, by = ex - dx * head, ey - dy * head
        nx, ny = -dy * head * 0.6, dx * head * 0.6
        self.add(
            f'<path class="cycle-head {css}" d="M{fmt(ex)} {fmt(ey)} '
            f'L{fmt(bx + nx)} {fmt(by + ny)} L{fmt(bx - nx)} {fmt(by - ny)} Z"/>'
        )


def chip_width(label: str) -> float:
    return units(label) * CHIP_SIZE * EM * BOLD + 16


def _sign(value: float) -> float:
    return (value > 0) - (value < 0)
