"""The negative interaction cycle as a printable SVG: one domain, both partners in a loop.

Pure Python, no Django: a diagram is a function of a :class:`CycleMap`, one
domain ("daily" or "sex"), the partners' display names and translated labels.

Phone first, so the halves are stacked rather than set side by side::

      title
      +-- A ------------------------+
      | name, position (+ flip)     |      <- outside: what the other sees
      | behaviour --------------------+
      |  secondary emotion          |  |
      |   primary emotion           |  |
      |    need / fear              |  |   <- inside: the deepest layer
      +-------------^---------------+  |
    +-> | how A reads B's behaviour |  |
    |     the pattern is the enemy     |
    |   | how B reads A's behaviour | <+
    |   +-------------v-------------+
    |   +-- B (mirrored) -----------+
    |   |    need / fear            |
    |   |   ...                     |
    +---- behaviour                 |
        | name, position (+ flip)   |
        +---------------------------+

A's behaviour runs down the right-hand side to B's reading of it, B's
behaviour runs up the left-hand side to A's reading, so the two arrows close
the loop around the label in the middle. Partner A is drawn with solid lines
and B with dashed ones, so a black-and-white print keeps them apart; the layer
headings name every box. Empty layers show a soft placeholder, so the
therapist sees what is still to be found. Text is wrapped by an estimate of
characters per line (at most :data:`MAX_LINES` lines, then an ellipsis; the
full text stays in a ``<title>`` tooltip and in the ``<desc>``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape

from dyade.clinic.cycle import DOMAINS, CycleMap, Side

WIDTH = 360
GUTTER = 22  # room either side of the cards for the loop arrows
RAIL = 10  # x of the left loop arrow (the right one is mirrored)
CARD_PAD = 8
INDENT = 9  # per layer deeper
READ_INSET = 40  # the reading boxes sit inside the loop
MAX_LINES = 5
ELLIPSIS = "…"

TEXT_SIZE = 14
HEADING_SIZE = 11.5
LINE = 17.5
CHIP_SIZE = 12.0

# The layers of a side, from the surface to the deep; "perceived_as" lives with the reader.
STACK = ("behaviour", "secondary_emotion", "primary_emotion", "need")


@dataclass(frozen=True)
class CycleLabels:
    """The translated words of the diagram (the web layer passes them in)."""

    title: str  # e.g. "Cycle in daily life"
    enemy: str  # "The pattern is the enemy, not the partner"
    position: Mapping[str, str]  # Position value ("pursue", "withdraw", ...) -> text
    layers: Mapping[str, str]  # layer name (cycle.LAYERS) -> heading
    empty: str  # placeholder for a layer still to be found
    flip: str  # marker: this partner's position around sex is the reverse of daily life
    unknown_position: str  # when no position is set (yet)
    # Heading of a reading box; "{name}" becomes the reader's name. Empty: the
    # "perceived_as" heading of ``layers`` is used.
    reads: str = ""
    slots: tuple[str, ...] = ("A", "B")  # the order the partners are drawn in


# Characters per line are counted by width class, so that a line in capitals
# (or full of m and w) still fits: an ordinary lowercase letter counts 1.
# Measured on DejaVu Sans, a wide fallback font, so other system fonts fit too.
_NARROW = frozenset(" fijlrtI.,;:'!|()[]/-")
_WIDE = frozenset("mwMW@%…")
EM = 0.62  # em width of an ordinary lowercase letter (DejaVu Sans)
BOLD = 1.1  # bold text is this much wider


def units(text: str) -> float:
    """The width of ``text`` in ordinary letters."""
    total = 0.0
    for char in text:
        if char in _NARROW:
            total += 0.55
        elif char in _WIDE:
            total += 1.55
        elif char.isupper() or char.isdigit() or char in "&<>#?=+~":
            total += 1.2
        else:
            total += 1.0
    return total


def chars_for(width: float, size: float, bold: bool = False) -> float:
    """How many ordinary letters fit ``width`` at font ``size``."""
    return width / (size * EM * (BOLD if bold else 1.0))


def _cut(text: str, chars: float) -> str:
    """The longest start of ``text`` that fits ``chars`` (at least one character)."""
    end = 1
    while end < len(text) and units(text[: end + 1]) <= chars:
        end += 1
    return text[:end]


def wrap(text: str, chars: float, max_lines: int = MAX_LINES) -> tuple[list[str], bool]:
    """Break ``text`` into lines of at most ``chars`` letters (see :func:`units`).

    Words longer than a line are cut. More than ``max_lines`` lines: the last
    one ends in an ellipsis, and the second value is True.
    """
    chars = max(chars, 2.0)
    lines: list[str] = []
    current = ""
    for word in text.split():
        while units(word) > chars:
            if current:
                lines.append(current)
                current = ""
            head = _cut(word, chars)
            lines.append(head)
            word = word[len(head) :]
        candidate = f"{current} {word}" if current else word
        if units(candidate) <= chars:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines, False
    kept = lines[:max_lines]
    last = kept[-1]
    room = chars - units(ELLIPSIS)
    if units(last) > room:
        cut = _cut(last, room)
        space = cut.rfind(" ")
        last = cut[:space] if space > len(cut) // 2 else cut
    kept[-1] = last.rstrip(" ,.;:-") + ELLIPSIS
    return kept, True


def balanced(text: str, chars: float, max_lines: int) -> list[str]:
    """Like :func:`wrap`, but with lines of even length (for centred labels)."""
    lines, cut = wrap(text, chars, max_lines)
    if cut or len(lines) < 2:
        return lines
    narrower = chars - 0.5
    while narrower > 2:
        candidate, cut = wrap(text, narrower, max_lines)
        if cut or len(candidate) > len(lines):
            break
        lines = candidate
        narrower -= 0.5
    return lines


def fit(text: str, width: float, size: float, bold: bool = False) -> str:
    """One line of ``text`` that fits ``width`` at font ``size`` (ellipsis when cut)."""
    lines, _ = wrap(text, chars_for(width, size, bold), max_lines=1)
    return lines[0] if lines else ""


def _f(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _layer(side: Side, layer: str) -> str:
    texts = {
        "behaviour": side.behaviour,
        "perceived_as": side.perceived_as,
        "secondary_emotion": side.secondary_emotion,
        "primary_emotion": side.primary_emotion,
        "need": side.need,
    }
    return texts[layer]


@dataclass
class _Canvas:
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
            f'<rect class="cycle-box" x="{_f(x)}" y="{_f(y)}" width="{_f(width)}" '
            f'height="{_f(height)}" rx="6"/>'
        )
        left = _f(x + CARD_PAD)
        heading = fit(heading, inner, HEADING_SIZE, bold=True)
        self.add(
            f'<text class="cycle-heading" x="{left}" y="{_f(y + 7 + HEADING_SIZE - 1)}" '
            f'font-size="{_f(HEADING_SIZE)}">{escape(heading)}</text>'
        )
        base = y + 7 + HEADING_SIZE + 5 + TEXT_SIZE - 1
        self.add(f'<text class="cycle-text" font-size="{TEXT_SIZE}">')
        for index, line in enumerate(lines):
            self.add(f'<tspan x="{left}" y="{_f(base + index * LINE)}">{escape(line)}</tspan>')
        self.add("</text></g>")
        return height

    def chip(self, x: float, y: float, label: str, css: str) -> float:
        """A pill with one line of (already fitted) text; returns its width."""
        width = chip_width(label)
        self.add(
            f'<g class="{css}"><rect x="{_f(x)}" y="{_f(y)}" width="{_f(width)}" height="20" '
            f'rx="10"/><text x="{_f(x + width / 2)}" y="{_f(y + 14)}" text-anchor="middle" '
            f'font-size="{_f(CHIP_SIZE)}">{escape(label)}</text></g>'
        )
        return width

    def arrow(self, points: list[tuple[float, float]], css: str, radius: float = 9) -> None:
        """A polyline with rounded corners and an arrowhead at its last point."""
        path = [f"M{_f(points[0][0])} {_f(points[0][1])}"]
        for index in range(1, len(points) - 1):
            (x0, y0), (x1, y1), (x2, y2) = points[index - 1 : index + 2]
            r1 = min(radius, (abs(x1 - x0) + abs(y1 - y0)) / 2)
            r2 = min(radius, (abs(x2 - x1) + abs(y2 - y1)) / 2)
            ax, ay = x1 - _sign(x1 - x0) * r1, y1 - _sign(y1 - y0) * r1
            bx, by = x1 + _sign(x2 - x1) * r2, y1 + _sign(y2 - y1) * r2
            path.append(f"L{_f(ax)} {_f(ay)} Q{_f(x1)} {_f(y1)} {_f(bx)} {_f(by)}")
        (px, py), (ex, ey) = points[-2], points[-1]
        dx, dy = _sign(ex - px), _sign(ey - py)
        head = 7.0
        # Stop the line at the base of the head, so the stroke does not blunt the tip.
        path.append(f"L{_f(ex - dx * head)} {_f(ey - dy * head)}")
        self.add(f'<path class="cycle-arrow {css}" d="{" ".join(path)}"/>')
        bx, by = ex - dx * head, ey - dy * head
        nx, ny = -dy * head * 0.6, dx * head * 0.6
        self.add(
            f'<path class="cycle-head {css}" d="M{_f(ex)} {_f(ey)} L{_f(bx + nx)} {_f(by + ny)} '
            f'L{_f(bx - nx)} {_f(by - ny)} Z"/>'
        )


def chip_width(label: str) -> float:
    return units(label) * CHIP_SIZE * EM * BOLD + 16


def _sign(value: float) -> float:
    return (value > 0) - (value < 0)


@dataclass
class _Half:
    """Where one partner's card ended up: for the loop arrows."""

    top: float
    bottom: float
    behaviour_y: float  # vertical middle of the behaviour box


def _card(
    canvas: _Canvas,
    cycle: CycleMap,
    slot: str,
    domain: str,
    name: str,
    labels: CycleLabels,
    top: float,
    *,
    mirrored: bool,
    reading: str | None = None,
) -> tuple[float, _Half]:
    """One partner's card; returns its height and where its parts are.

    ``mirrored`` puts the deepest layer at the top and the name at the bottom,
    so that for both partners the outside of the diagram is the surface.
    ``reading`` (single-partner case only) adds how the other reads the
    behaviour as a box of its own, under the behaviour.
    """
    side = cycle.side(slot, domain)
    css = f"partner-{slot.lower()}"
    x0, x1 = GUTTER, WIDTH - GUTTER
    inner = x1 - x0 - 2 * CARD_PAD
    gap = 6.0
    position = labels.position.get(side.position.value, "") if side.position else ""
    chip = fit(position or labels.unknown_position, inner / 2 - 16, CHIP_SIZE, bold=True)
    flip = fit(f"⇅ {labels.flip}", inner - 16, CHIP_SIZE, bold=True) if labels.flip else ""
    flips = domain == "sex" and slot in cycle.flips() and bool(flip)
    # The flip marker goes next to the position, or on a row of its own when it does not fit.
    flip_row = flips and chip_width(chip) + 6 + chip_width(flip) > inner
    header_h = 80.0 if flip_row else 56.0
    layers: list[tuple[str, str, str, int]] = []  # (css, heading, text, depth)
    for depth, layer in enumerate(STACK):
        heading = labels.layers.get(layer, layer)
        layers.append((f"cycle-depth-{depth}", heading, _layer(side, layer), depth))
        if layer == "behaviour" and reading is not None:
            heading = labels.layers.get("perceived_as", "perceived_as")
            layers.append(("cycle-reading", heading, reading, 0))
    if mirrored:
        layers.reverse()

    def width_at(depth: int) -> float:
        return inner - 2 * INDENT * depth

    heights = [
        canvas.box(0, 0, width_at(depth), heading, text, labels.empty, layer_css, dry=True)
        for layer_css, heading, text, depth in layers
    ]
    stack_h = sum(heights) + gap * (len(layers) - 1)
    height = header_h + stack_h + CARD_PAD
    canvas.add(f'<g class="cycle-half {css}">')
    canvas.add(
        f'<rect class="cycle-card" x="{x0}" y="{_f(top)}" width="{x1 - x0}" height="{_f(height)}" '
        f'rx="12"/>'
    )
    header_y = top + CARD_PAD + stack_h if mirrored else top
    y = top + CARD_PAD if mirrored else top + header_h
    behaviour_y = 0.0
    for (layer_css, heading, text, depth), box_h in zip(layers, heights, strict=True):
        canvas.box(
            x0 + CARD_PAD + INDENT * depth,
            y,
            width_at(depth),
            heading,
            text,
            labels.empty,
            layer_css,
        )
        if layer_css == "cycle-depth-0":
            behaviour_y = y + box_h / 2
        y += box_h + gap
    # The header: the name, then the position (and the flip marker around sex).
    canvas.add(
        f'<text class="cycle-name" x="{x0 + CARD_PAD + 2}" y="{_f(header_y + 22)}" '
        f'font-size="15">{escape(fit(name, inner, 15, bold=True))}</text>'
    )
    chip_css = "cycle-chip" if position else "cycle-chip cycle-unknown"
    used = canvas.chip(x0 + CARD_PAD, header_y + 30, chip, chip_css)
    if flips:
        fx, fy = (
            (x0 + CARD_PAD, header_y + 54)
            if flip_row
            else (x0 + CARD_PAD + used + 6, header_y + 30)
        )
        canvas.chip(fx, fy, flip, "cycle-flip")
    canvas.add("</g>")
    return height, _Half(top, top + height, behaviour_y)


def _slots(cycle: CycleMap, names: Mapping[str, str], labels: CycleLabels) -> list[str]:
    slots = [slot for slot in labels.slots if slot in names]
    if not slots:
        slots = [slot for slot in labels.slots if slot in cycle.partners]
    return slots[:2] or list(labels.slots[:1])


def _description(
    cycle: CycleMap, domain: str, slots: list[str], names: Mapping[str, str], labels: CycleLabels
) -> str:
    """The whole map as plain sentences, for screen readers and cut-off texts."""
    sentences = []
    for slot in slots:
        side = cycle.side(slot, domain)
        position = labels.position.get(side.position.value, "") if side.position else ""
        sentences.append(f"{names.get(slot, slot)}: {position or labels.unknown_position}.")
        if domain == "sex" and slot in cycle.flips():
            sentences.append(f"{labels.flip}.")
        for layer in ("behaviour", "perceived_as", *STACK[1:]):
            text = _layer(side, layer)
            if text:
                sentences.append(f"{labels.layers.get(layer, layer)}: {text}")
    sentences.append(labels.enemy)
    return " ".join(sentences)


def render(cycle: CycleMap, domain: str, names: Mapping[str, str], labels: CycleLabels) -> str:
    """Return one domain of ``cycle`` as an ``<svg>`` element (a string of escaped markup).

    ``names`` maps the slots of the case ("A", "B") to display names; a case
    with one name (individual therapy) draws that partner only, without loop.
    """
    if domain not in DOMAINS:
        raise ValueError(f"domain must be one of {', '.join(DOMAINS)}")
    slots = _slots(cycle, names, labels)
    canvas = _Canvas()
    title_lines = balanced(labels.title, chars_for(WIDTH - 2 * GUTTER, 17, bold=True), max_lines=2)
    for index, line in enumerate(title_lines):
        canvas.add(
            f'<text class="cycle-title" x="{WIDTH / 2}" y="{_f(24 + index * 21)}" '
            f'text-anchor="middle" font-size="17">{escape(line)}</text>'
        )
    top = 24 + 21 * (len(title_lines) - 1) + 16
    enemy_lines = balanced(
        labels.enemy, chars_for(WIDTH - 2 * READ_INSET, 15, bold=True), max_lines=3
    )

    def enemy(y: float) -> float:
        for index, line in enumerate(enemy_lines):
            canvas.add(
                f'<text class="cycle-enemy" x="{WIDTH / 2}" y="{_f(y + 15 + index * 19)}" '
                f'text-anchor="middle" font-size="15">{escape(line)}</text>'
            )
        return 19 * len(enemy_lines)

    if len(slots) == 1:
        slot = slots[0]
        side = cycle.side(slot, domain)
        name = names.get(slot, slot)
        height, _ = _card(
            canvas,
            cycle,
            slot,
            domain,
            name,
            labels,
            top,
            mirrored=False,
            reading=side.perceived_as,
        )
        bottom = top + height + 16
        bottom += enemy(bottom) + 10
        return _svg(canvas, bottom, cycle, domain, slots, names, labels)

    a, b = slots
    name_a, name_b = names.get(a, a), names.get(b, b)
    _, half_a = _card(canvas, cycle, a, domain, name_a, labels, top, mirrored=False)
    y = half_a.bottom + 22
    # How A reads B's behaviour: entered from the left, it points up into A.
    read_x, read_w = READ_INSET, WIDTH - 2 * READ_INSET

    def reading(reader: str, author: str, y: float) -> float:
        heading = labels.reads.replace("{name}", names.get(reader, reader)) if labels.reads else ""
        heading = heading or labels.layers.get("perceived_as", "perceived_as")
        text = cycle.side(author, domain).perceived_as
        css = f"cycle-reading partner-{reader.lower()}"
        return canvas.box(read_x, y, read_w, heading, text, labels.empty, css)

    read_a_top = y
    read_a_h = reading(a, b, y)
    y += read_a_h + 12
    y += enemy(y) + 12
    read_b_top = y
    read_b_h = reading(b, a, y)
    y += read_b_h + 22
    _, half_b = _card(canvas, cycle, b, domain, name_b, labels, y, mirrored=True)
    bottom = half_b.bottom + 12

    # The loop: each behaviour to the other's reading, each reading into its reader.
    right = WIDTH - RAIL
    behaviour_x_a = WIDTH - GUTTER - CARD_PAD
    canvas.arrow(
        [
            (behaviour_x_a, half_a.behaviour_y),
            (right, half_a.behaviour_y),
            (right, read_b_top + read_b_h / 2),
            (read_x + read_w, read_b_top + read_b_h / 2),
        ],
        f"partner-{a.lower()}",
    )
    canvas.arrow(
        [
            (GUTTER + CARD_PAD, half_b.behaviour_y),
            (RAIL, half_b.behaviour_y),
            (RAIL, read_a_top + read_a_h / 2),
            (read_x, read_a_top + read_a_h / 2),
        ],
        f"partner-{b.lower()}",
    )
    canvas.arrow([(WIDTH / 2, read_a_top), (WIDTH / 2, half_a.bottom)], f"partner-{a.lower()}")
    canvas.arrow(
        [(WIDTH / 2, read_b_top + read_b_h), (WIDTH / 2, half_b.top)], f"partner-{b.lower()}"
    )
    return _svg(canvas, bottom, cycle, domain, slots, names, labels)


def _svg(
    canvas: _Canvas,
    height: float,
    cycle: CycleMap,
    domain: str,
    slots: list[str],
    names: Mapping[str, str],
    labels: CycleLabels,
) -> str:
    title = escape(labels.title)
    desc = escape(_description(cycle, domain, slots, names, labels))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cycle-map cycle-{escape(domain)}" '
        f'viewBox="0 0 {WIDTH} {_f(height)}" role="img" aria-label="{title}">'
        f"<title>{title}</title><desc>{desc}</desc>{''.join(canvas.parts)}</svg>"
    )
