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
characters per line (at most :data:`~dyade.reports.cycle_text.MAX_LINES`
lines, then an ellipsis; the full text stays in a ``<title>`` tooltip and in
the ``<desc>``).

This module lays the diagram out; :mod:`dyade.reports.cycle_text` measures and
wraps its text and :mod:`dyade.reports.cycle_canvas` draws the boxes, chips and
arrows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

from dyade.clinic.cycle import DOMAINS, CycleMap, Side
from dyade.reports.cycle_canvas import CARD_PAD, CHIP_SIZE, Canvas, chip_width, fmt
from dyade.reports.cycle_text import balanced, chars_for, fit

WIDTH = 360
GUTTER = 22  # room either side of the cards for the loop arrows
RAIL = 10  # x of the left loop arrow (the right one is mirrored)
INDENT = 9  # per layer deeper
READ_INSET = 40  # the reading boxes sit inside the loop

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
class _Half:
    """Where one partner's card ended up: for the loop arrows."""

    top: float
    bottom: float
    behaviour_y: float  # vertical middle of the behaviour box


def _card(
    canvas: Canvas,
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
        f'<rect class="cycle-card" x="{x0}" y="{fmt(top)}" width="{x1 - x0}" '
        f'height="{fmt(height)}" rx="12"/>'
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
        f'<text class="cycle-name" x="{x0 + CARD_PAD + 2}" y="{fmt(header_y + 22)}" '
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
    canvas = Canvas()
    title_lines = balanced(labels.title, chars_for(WIDTH - 2 * GUTTER, 17, bold=True), max_lines=2)
    for index, line in enumerate(title_lines):
        canvas.add(
            f'<text class="cycle-title" x="{WIDTH / 2}" y="{fmt(24 + index * 21)}" '
            f'text-anchor="middle" font-size="17">{escape(line)}</text>'
        )
    top = 24 + 21 * (len(title_lines) - 1) + 16
    enemy_lines = balanced(
        labels.enemy, chars_for(WIDTH - 2 * READ_INSET, 15, bold=True), max_lines=3
    )

    def enemy(y: float) -> float:
        for index, line in enumerate(enemy_lines):
            canvas.add(
                f'<text class="cycle-enemy" x="{WIDTH / 2}" y="{fmt(y + 15 + index * 19)}" '
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
    canvas: Canvas,
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
        f'viewBox="0 0 {WIDTH} {fmt(height)}" role="img" aria-label="{title}">'
        f"<title>{title}</title><desc>{desc}</desc>{''.join(canvas.parts)}</svg>"
    )
