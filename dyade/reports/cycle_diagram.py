"""The cycle map diagrams with their words in the page's language (Django side of cycle_svg)."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from dyade.clinic.cycle import CycleMap
from dyade.reports import cycle_svg


def labels(domain: str) -> cycle_svg.CycleLabels:
    return cycle_svg.CycleLabels(
        title=_("The cycle in daily life") if domain == "daily" else _("The cycle around sex"),
        enemy=_("The pattern is the enemy, not the partner"),
        position={"pursue": _("pursues"), "withdraw": _("withdraws")},
        layers={
            "behaviour": _("What I do"),
            "perceived_as": _("How it comes across"),
            "secondary_emotion": _("What I show"),
            "primary_emotion": _("What I feel underneath"),
            "need": _("What I long for or fear"),
        },
        empty=_("still to be found"),
        flip=_("flips around sex"),
        unknown_position=_("position not yet clear"),
        reads=_("How {name} reads it"),
    )


def both(cycle_map: CycleMap, names: dict[str, str]) -> list[dict[str, Any]]:
    """The daily-life and the sex diagram, as safe SVG markup with a caption."""
    result = []
    for domain in ("daily", "sex"):
        svg = cycle_svg.render(cycle_map, domain, names, labels(domain))
        caption = _("In daily life") if domain == "daily" else _("Around sex")
        result.append({"domain": domain, "svg": mark_safe(svg), "caption": caption})  # noqa: S308 - escaped by cycle_svg
    return result
