"""The charts on a therapist's case page, built from policy-filtered diary views."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dyade.reports import svg

DEFAULT_DAYS = 60


def case_charts(
    partners: list[dict[str, Any]], today: dt.date, days: int = DEFAULT_DAYS
) -> list[dict[str, Any]]:
    """One chart per measure, each with a line per partner.

    ``partners`` holds, per partner, the ``partner`` and its ``entries`` as
    returned by the access policy (so only fields the viewer may see exist).
    """
    start = today - dt.timedelta(days=days - 1)
    charts = []
    for measure, title in (("closeness", _("Closeness")), ("desire", _("Sexual desire"))):
        series = [
            svg.Series(
                label=f"{item['partner'].name} ({item['partner'].slot})",
                points={
                    entry["date"]: float(entry[measure])
                    for entry in item["entries"]
                    if measure in entry and entry["date"] >= start
                },
                css_class=f"partner-{item['partner'].slot.lower()}",
            )
            for item in partners
        ]
        chart = svg.Chart(
            title=_("%(measure)s, last %(days)s days") % {"measure": title, "days": days},
            series=series,
            start=start,
            end=today,
            empty_text=_("No diary entries yet"),
        )
        charts.append({"title": chart.title, "svg": _safe(svg.render(chart))})
    return charts


def _safe(markup: str) -> SafeString:
    # svg.render escapes every piece of text it places in the markup.
    return mark_safe(markup)  # noqa: S308
