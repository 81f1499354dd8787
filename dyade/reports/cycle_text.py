"""Measuring and wrapping the text of the cycle map (see :mod:`dyade.reports.cycle_svg`).

There is no font to measure in pure Python, so the width of a text is
estimated: characters per line are counted by width class (:func:`units`) and
a text is wrapped to at most :data:`MAX_LINES` lines, then cut with an
ellipsis.
"""

from __future__ import annotations

MAX_LINES = 5
ELLIPSIS = "…"

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
