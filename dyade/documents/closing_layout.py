"""Where the cycle map goes in the partners' closing-summary PDF, and how large it is drawn.

The words come first: the outcome, the therapist's text and the exercises flow from
page 1 on. The map's two drawings (daily life, around sex) stand side by side after
them. A drawing is far taller than wide, so at full width the pair needs most of an A4
page; left to itself the printer moved the whole block to page 2 and left page 1 nearly
empty. Instead the PDF is laid out twice. The first time the drawings have no height,
which shows where the words end and how much the map's heading and captions take. The
map then goes below the words, scaled to the room left, when it can still be read
there; otherwise it starts on the next page, as large as a page allows. A drawing is
never split over two pages.

Dyade's own judgement: a drawing is readable on paper when its body text (14 units of
its 360-unit width, ``cycle_canvas.TEXT_SIZE``) prints at 6.5 pt or more (its box headings,
11.5 units, are then 5.3 pt), so at least 59 mm wide. It is drawn at most 85 mm wide, the
two side by side on the 178 mm between the margins. Each drawing carries its own title, so
the PDF gives it no caption below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from dyade.documents import pdf

TEMPLATE = "documents/closing_partner_pdf.html"
PX_PER_MM = 96 / 25.4  # WeasyPrint places boxes in CSS pixels
MIN_WIDTH_MM = 59.0
MAX_WIDTH_MM = 85.0
SLACK_MM = 4.0  # rounding, and the margin a heading keeps at the top of a new page
_VIEW_BOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')


@dataclass(frozen=True)
class Placement:
    """One map section: each drawing's width and height in mm, and whether it starts a page."""

    width_mm: float
    heights_mm: tuple[float, ...]
    new_page: bool


def ratio(svg: str) -> float:
    """A drawing's height over its width, from its viewBox."""
    found = _VIEW_BOX.search(svg)
    if found is None:
        raise ValueError("a cycle map drawing without a viewBox")
    return float(found.group(2)) / float(found.group(1))


def place(ratios: list[float], room_mm: float | None, page_room_mm: float) -> Placement:
    """Drawings of height/width ``ratios`` side by side: below the words when ``room_mm``
    (the height left on the words' last page; None when nothing is left) holds them at a
    readable width, else on a page of their own with ``page_room_mm`` for them."""
    tallest = max(ratios)
    if room_mm is not None and room_mm / tallest >= MIN_WIDTH_MM:
        width, new_page = min(MAX_WIDTH_MM, room_mm / tallest), False
    else:
        width, new_page = min(MAX_WIDTH_MM, page_room_mm / tallest), True
    width = round(width, 1)
    return Placement(width, tuple(round(width * r, 1) for r in ratios), new_page)


def sections(copy: dict[str, Any]) -> list[dict[str, Any]]:
    """The map sections of a partner's copy, in order: the map the summary holds, and the
    last published map when it is another one."""
    found = []
    body = copy.get("summary_body")
    if body and body["cycle_diagrams"]:
        found.append(
            {"id": "summary-cycle", "heading": _("The pattern you worked on"), "shared": None}
            | {"diagrams": body["cycle_diagrams"]}
        )
    if copy.get("cycle_diagrams"):
        found.append(
            {"id": "my-cycle", "heading": _("Our pattern"), "shared": copy["cycle"].published_at}
            | {"diagrams": copy["cycle_diagrams"]}
        )
    return found


def _mm(page: Any, anchor: str) -> float:
    return float(page.anchors[anchor][1]) / PX_PER_MM


def _where(document: Any, anchor: str) -> tuple[int, float]:
    """The page index and the height in mm from the page's top of ``anchor``."""
    for index, page in enumerate(document.pages):
        if anchor in page.anchors:
            return index, _mm(page, anchor)
    raise LookupError(anchor)


def render(context: dict[str, Any]) -> bytes:
    """The PDF of a partner's copy (``closed_copy.partner_copy`` with the page's names),
    its cycle maps placed as described above."""
    maps = sections(context)
    styles = (pdf.CYCLE_SVG_STYLE,)
    if maps:
        probe = pdf.laid_out(TEMPLATE, {**context, "maps": maps, "probe": True}, styles)
        top, _side, bottom = pdf.MARGINS_MM
        content_mm = pdf.PAGE_MM[1] - top - bottom
        words_page, start = _where(probe, "map-start")
        map_page, end = _where(probe, "map-end")
        extras = end - start if map_page == words_page else end - top
        room = pdf.PAGE_MM[1] - bottom - end - SLACK_MM if map_page == words_page else None
        page_room = content_mm - extras - SLACK_MM
        for number, section in enumerate(maps):
            ratios = [ratio(str(diagram["svg"])) for diagram in section["diagrams"]]
            placed = place(ratios, room if number == 0 else None, page_room)
            section["width_mm"] = placed.width_mm
            section["new_page"] = placed.new_page
            section["drawings"] = list(zip(section["diagrams"], placed.heights_mm, strict=True))
    return pdf.render(TEMPLATE, {**context, "maps": maps}, styles)
