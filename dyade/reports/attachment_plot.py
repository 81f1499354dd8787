"""The attachment plot: each partner as a point on anxiety (x) by avoidance (y).

Pure Python, no Django. Attachment is two dimensions, not four boxes (Fraley,
Waller & Brennan 2000), so the plot draws the scale midpoint as thin guides and
names the corners softly; it does not classify anyone. Points that fall on the
same spot are both drawn, slightly apart, so neither partner hides the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

SIZE = 320
MARGIN = 46


@dataclass(frozen=True)
class Point:
    label: str  # e.g. "A" -- short, drawn inside the marker
    name: str  # e.g. "Sanne (A)" -- for the title and the legend
    anxiety: float
    avoidance: float
    css_class: str  # colour from the stylesheet


@dataclass(frozen=True)
class Labels:
    title: str
    x_axis: str  # anxiety
    y_axis: str  # avoidance
    corners: tuple[str, str, str, str]  # low/low, high anx, high avoid, high/high


def render(points: list[Point], labels: Labels, low: float = 1, high: float = 7) -> str:
    """Return the plot as an ``<svg>`` element (escaped markup)."""
    span = high - low
    inner = SIZE - 2 * MARGIN

    def x(value: float) -> float:
        return MARGIN + (value - low) / span * inner

    def y(value: float) -> float:
        return SIZE - MARGIN - (value - low) / span * inner

    mid = (low + high) / 2
    near, far = MARGIN, SIZE - MARGIN
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" role="img" '
        f'class="attachment-plot" aria-label="{escape(labels.title)}">',
        f"<title>{escape(labels.title)}</title>",
        f'<rect x="{MARGIN}" y="{MARGIN}" width="{inner}" height="{inner}" class="plot-area"/>',
        f'<line x1="{x(mid):.1f}" y1="{near}" x2="{x(mid):.1f}" y2="{far}" class="guide"/>',
        f'<line x1="{near}" y1="{y(mid):.1f}" x2="{far}" y2="{y(mid):.1f}" class="guide"/>',
    ]
    secure, anxious, avoidant, fearful = (escape(text) for text in labels.corners)
    start = 'class="corner" font-size="10"'
    end = f'text-anchor="end" {start}'
    parts += [
        f'<text x="{near + 4}" y="{far - 6}" {start}>{secure}</text>',
        f'<text x="{far - 4}" y="{far - 6}" {end}>{anxious}</text>',
        f'<text x="{near + 4}" y="{near + 14}" {start}>{avoidant}</text>',
        f'<text x="{far - 4}" y="{near + 14}" {end}>{fearful}</text>',
    ]
    for value in range(int(low), int(high) + 1):
        parts.append(
            f'<text x="{x(value):.1f}" y="{SIZE - MARGIN + 14}" text-anchor="middle" '
            f'font-size="10" class="tick">{value}</text>'
        )
        parts.append(
            f'<text x="{MARGIN - 8}" y="{y(value) + 3:.1f}" text-anchor="end" '
            f'font-size="10" class="tick">{value}</text>'
        )
    parts += [
        f'<text x="{SIZE / 2}" y="{SIZE - 10}" text-anchor="middle" font-size="12" '
        f'class="axis-label">{escape(labels.x_axis)} →</text>',
        f'<text x="12" y="{SIZE / 2}" text-anchor="middle" font-size="12" class="axis-label" '
        f'transform="rotate(-90 12 {SIZE / 2})">{escape(labels.y_axis)} →</text>',
    ]
    seen: dict[tuple[float, float], int] = {}
    for point in points:
        key = (round(point.anxiety, 1), round(point.avoidance, 1))
        nudge = 7 * seen.get(key, 0)
        seen[key] = seen.get(key, 0) + 1
        cx, cy = x(point.anxiety) + nudge, y(point.avoidance) - nudge
        parts.append(
            f'<g class="{escape(point.css_class)}"><title>{escape(point.name)}: '
            f"{point.anxiety:.2f} / {point.avoidance:.2f}</title>"
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="11" class="marker"/>'
            f'<text x="{cx:.1f}" y="{cy + 4:.1f}" text-anchor="middle" font-size="12" '
            f'class="marker-label">{escape(point.label)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
