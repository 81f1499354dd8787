"""A report as an A4 PDF, made by WeasyPrint from the same template as its preview page.

Every page carries the practice's name and the word "confidential" at the top
and "page n of m" at the bottom, in the report's language. WeasyPrint needs
Pango from the operating system (Debian: ``make system-deps``). The PDF is made
from the HTML and Dyade's own style sheets only: nothing is fetched from
elsewhere, so a report never reaches out to the network.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

STATIC = Path(settings.BASE_DIR) / "dyade" / "static" / "dyade"
STYLE_SHEET = STATIC / "report.css"
SVG_STYLE = STATIC / "report_svg.css"
_SVG_OPEN = re.compile(r"(<svg\b[^>]*>)")
PAGE_MM = (210.0, 297.0)  # A4: width, height
MARGINS_MM = (20.0, 16.0, 18.0)  # top, left and right, bottom


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: every character but letters and digits escaped."""
    escaped = "".join(ch if ch.isascii() and ch.isalnum() else f"\\{ord(ch):06x}" for ch in text)
    return f'"{escaped}"'


def page_css(practice: str) -> str:
    """The running header and footer of every page, in the active language."""
    page = _("page %(number)s of %(total)s")
    before, _sep, rest = page.partition("%(number)s")
    middle, _sep, after = rest.partition("%(total)s")
    return (
        f"@page {{ size: A4; margin: {MARGINS_MM[0]}mm {MARGINS_MM[1]}mm {MARGINS_MM[2]}mm;"
        f" @top-left {{ content: {css_string(practice)}; }}"
        f" @top-right {{ content: {css_string(_('Confidential').upper())}; }}"
        f" @bottom-right {{ content: {css_string(before)} counter(page) {css_string(middle)}"
        f" counter(pages) {css_string(after)}; }} }}"
    )


CYCLE_SVG_STYLE = STATIC / "cycle_svg_print.css"


def with_svg_style(html: str, extra: tuple[Path, ...] = ()) -> str:
    """``html`` with the charts' styles (and ``extra`` sheets) inside each SVG, where
    WeasyPrint looks for them."""
    rules = "".join(sheet.read_text(encoding="utf-8") for sheet in (SVG_STYLE, *extra))
    style = f"<style>{rules}</style>"
    return _SVG_OPEN.sub(lambda found: found.group(1) + style, html)


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"a report fetches nothing: {url}")


def laid_out(template: str, context: dict[str, Any], svg_styles: tuple[Path, ...] = ()) -> Any:
    """``template`` (a whole HTML page) with ``context`` laid out on pages, not yet a PDF:
    a WeasyPrint document whose pages tell where each element with an id landed.
    ``svg_styles`` are further style sheets for its SVGs (the cycle map's)."""
    import weasyprint  # loads Pango: only when a report is made

    html = with_svg_style(render_to_string(template, context), svg_styles)
    sheets = [
        weasyprint.CSS(filename=str(STYLE_SHEET)),
        weasyprint.CSS(string=page_css(context["practice_name"])),
    ]
    document = weasyprint.HTML(string=html, url_fetcher=_no_fetch, base_url=str(STATIC))
    return document.render(stylesheets=sheets)


def render(template: str, context: dict[str, Any], svg_styles: tuple[Path, ...] = ()) -> bytes:
    """The PDF of ``template`` (a whole HTML page) with ``context``; ``svg_styles`` are
    further style sheets for its SVGs (the cycle map's)."""
    return bytes(laid_out(template, context, svg_styles).write_pdf())
