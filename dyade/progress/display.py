"""Progress over sessions as the pages show it: charts, statuses and the session table.

Built from the rows of :mod:`dyade.sessions.progress_series` that the viewer
was allowed to read; the statuses and the band come from the pure core
(:mod:`dyade.clinic.progress`: Jacobson & Truax 1991).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy, npgettext
from django.utils.translation import gettext as _

from dyade.clinic import progress
from dyade.clinic.instrument_key import Direction
from dyade.clinic.instruments import Instrument, text_in
from dyade.reports import progress_chart
from dyade.sessions.progress_series import (
    PracticeChange,
    SessionRow,
    followed_subscale,
    outcome_instrument,
    outcome_values,
    subscale_range,
)

STATUS_LABELS: dict[str, Promise] = {
    progress.Status.RECOVERED: gettext_lazy("recovered"),
    progress.Status.IMPROVED: gettext_lazy("improved"),
    progress.Status.UNCHANGED: gettext_lazy("unchanged"),
    progress.Status.DETERIORATED: gettext_lazy("deteriorated"),
}
ALLIANCE_RANGE = (0.0, 10.0)
PHONE_WIDTH = 360  # the drawing's width on a partner's phone (its text then stays readable)
CARD_WIDTH = 520  # the drawing's width in one of two columns of the therapist's page


@dataclass
class Outcome:
    """One partner's outcome over the sessions, with a status after each."""

    slot: str
    label: str
    instrument: Instrument | None
    values: list[tuple[int, float]]  # (session number, score)
    statuses: dict[int, str | None] = field(default_factory=dict)  # session number -> status
    band: progress.Band | None = None
    chart: SafeString | None = None
    measure: str = ""  # the outcome measure's title in the reader's language

    @property
    def latest_status(self) -> str | None:
        known = [self.statuses[n] for n, _v in self.values if self.statuses.get(n)]
        return known[-1] if known else None

    @property
    def computable(self) -> bool:
        """Statuses can be given: an SD and reliability are known (shipped or the practice's)."""
        change = self.instrument.change if self.instrument is not None else None
        return change is not None and change.computable

    @property
    def practice_source(self) -> str:
        """Where the practice's own values come from, when the statuses rest on them."""
        change = self.instrument.change if self.instrument is not None else None
        return change.source if isinstance(change, PracticeChange) else ""

    @property
    def latest_label(self) -> str:
        status = self.latest_status
        return str(STATUS_LABELS[status]) if status else ""


def ticks(low: float, high: float) -> tuple[float, ...]:
    """Round tick values for an axis from ``low`` to ``high`` (at most six)."""
    span = high - low
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if span / step <= 5:
            break
    first = math.ceil(low / step) * step
    values = []
    value = first
    while value <= high + 1e-9:
        values.append(float(value))
        value += step
    return tuple(values)


def outcome_of(rows: Sequence[SessionRow], slot: str, label: str) -> Outcome:
    instrument = outcome_instrument(rows, slot)
    values = outcome_values(rows, slot)
    found = Outcome(slot, label, instrument, values)
    change = instrument.change if instrument is not None else None
    if change is None or not values:
        return found
    found.statuses = {
        number: (str(status) if status is not None else None)
        for (number, _value), status in zip(
            values, progress.statuses([v for _n, v in values], change), strict=True
        )
    }
    found.band = progress.reliable_band(values[0][1], change)
    return found


def instrument_title(instrument: Instrument | None) -> str:
    if instrument is None:
        return ""
    return text_in(instrument.titles, get_language() or "nl")


def lower_is_better(instrument: Instrument | None) -> bool:
    change = instrument.change if instrument is not None else None
    return change is not None and change.direction == Direction.LOWER_BETTER


def outcome_chart(
    outcome: Outcome,
    css_class: str,
    sessions: int,
    axis_label: str,
    title: str,
    width: int = progress_chart.WIDTH,
) -> SafeString:
    """The chart of one partner's outcome with the cut-off and the band around the first score."""
    instrument = outcome.instrument
    low, high = 0.0, 10.0
    cutoff = None
    higher_better = True
    if instrument is not None:
        subscale = followed_subscale(instrument)
        found = subscale_range(instrument, subscale) if subscale else None
        if found is not None:
            low, high = found
        if instrument.change is not None:
            cutoff = instrument.change.cutoff
            higher_better = instrument.change.direction == Direction.HIGHER_BETTER
    band = (outcome.band.low, outcome.band.high) if outcome.band is not None else None
    if higher_better:
        description = _("Higher scores are better.")
    else:
        description = _("Lower scores are better.")
    chart = progress_chart.Chart(
        title=title,
        lines=(
            progress_chart.Line(
                outcome.label,
                css_class,
                tuple(
                    progress_chart.Point(
                        number, value, f"status-{outcome.statuses.get(number) or 'none'}"
                    )
                    for number, value in outcome.values
                ),
            ),
        ),
        sessions=sessions,
        y_min=low,
        y_max=high,
        y_ticks=ticks(low, high),
        cutoff=cutoff,
        cutoff_label=_("clinical cut-off %(value)s") % {"value": localize(cutoff)}
        if cutoff is not None
        else "",
        band=band,
        band_label=_("within measurement error") if band else "",
        axis_label=axis_label,
        empty_text=_("No check-ins yet"),
        description=description,
        width=width,
    )
    return _safe(progress_chart.render(chart))


def alliance_chart(
    lines: Sequence[tuple[str, str, list[tuple[int, float]]]],
    sessions: int,
    title: str,
    width: int = progress_chart.WIDTH,
) -> SafeString:
    """One line per partner (label, css class, values) on the alliance check's 0-10 scale."""
    low, high = ALLIANCE_RANGE
    chart = progress_chart.Chart(
        title=title,
        lines=tuple(
            progress_chart.Line(
                label, css, tuple(progress_chart.Point(number, value) for number, value in values)
            )
            for label, css, values in lines
        ),
        sessions=sessions,
        y_min=low,
        y_max=high,
        y_ticks=(0.0, 5.0, 10.0),
        axis_label=npgettext("chart axis", "session", "sessions", sessions),
        empty_text=_("No check-ins yet"),
        width=width,
    )
    return _safe(progress_chart.render(chart))


def table(
    rows: Sequence[SessionRow], outcomes: Sequence[Outcome], slots: Sequence[str]
) -> list[dict[str, Any]]:
    """One line per session: date, attendance, and per partner score, status and alliance."""
    by_slot = {outcome.slot: outcome for outcome in outcomes}
    lines = []
    for row in rows:
        cells = []
        for slot in slots:
            outcome = by_slot.get(slot)
            score = row.outcome.get(slot)
            status = outcome.statuses.get(row.number) if outcome is not None else None
            alliance = row.alliance.get(slot)
            cells.append(
                {
                    "slot": slot,
                    "score": score.value if score is not None else None,
                    "status": status or "",
                    "status_label": str(STATUS_LABELS[status]) if status else "",
                    "alliance": alliance.value if alliance is not None else None,
                }
            )
        lines.append({"row": row, "cells": cells})
    return lines


def _safe(markup: str) -> SafeString:
    # progress_chart.render escapes every piece of text it places in the markup.
    return mark_safe(markup)  # noqa: S308
