"""The therapist's intake overview of a case: scores side by side, the plot, what differs.

Built only from administrations that the access policy handed out for a
therapist of the case, and only from sent ones: a partner's answers reach the
therapist when the partner sends them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dyade.cases.models import Partner
from dyade.clinic import intake
from dyade.clinic.instruments import Instrument, Kind, text_in
from dyade.questionnaires import services
from dyade.questionnaires.models import Administration, Status
from dyade.reports import attachment_plot

INTAKE_ID = "dyade-intake"


@dataclass
class ScoreRow:
    instrument: Instrument
    subscale: str
    values: dict[str, float | None]  # slot -> score
    flags: dict[str, list[str]] = field(default_factory=dict)


def latest_sent(administrations: list[Administration]) -> dict[tuple[str, str], Administration]:
    """The newest sent administration per (partner slot, instrument)."""
    latest: dict[tuple[str, str], Administration] = {}
    for administration in administrations:
        if administration.status != Status.SUBMITTED:
            continue
        key = (administration.partner.slot, administration.instrument)
        current = latest.get(key)
        if current is None or (administration.submitted_at or 0) > (current.submitted_at or 0):  # type: ignore[operator]
            latest[key] = administration
    return latest


def build(
    partners: list[Partner], administrations: list[Administration], language: str
) -> dict[str, Any]:
    latest = latest_sent(administrations)
    slots = [partner.slot for partner in partners]
    rows: list[ScoreRow] = []
    plots: list[dict[str, Any]] = []
    instruments: dict[str, Instrument] = {}
    for (_slot, instrument_id), administration in sorted(latest.items()):
        instruments.setdefault(instrument_id, administration.definition())
    for instrument_id, instrument in sorted(instruments.items()):
        if instrument.kind != Kind.VALIDATED or not instrument.scored:
            continue
        per_slot: dict[str, tuple[dict[str, float | None], list[str]]] = {}
        for slot in slots:
            administration = latest.get((slot, instrument_id))
            result = services.scores_of(administration) if administration else None
            if result is not None:
                per_slot[slot] = result
        for subscale in instrument.subscales:
            rows.append(
                ScoreRow(
                    instrument,
                    subscale.id,
                    {slot: per_slot[slot][0].get(subscale.id) for slot in per_slot},
                    {slot: per_slot[slot][1] for slot in per_slot},
                )
            )
        if instrument.plot:
            points = []
            x_id, y_id = instrument.plot
            for partner in partners:
                if partner.slot not in per_slot:
                    continue
                scores = per_slot[partner.slot][0]
                if scores.get(x_id) is None or scores.get(y_id) is None:
                    continue
                points.append(
                    attachment_plot.Point(
                        label=partner.slot,
                        name=f"{partner.name} ({partner.slot})",
                        anxiety=float(scores[x_id] or 0),
                        avoidance=float(scores[y_id] or 0),
                        css_class=f"partner-{partner.slot.lower()}",
                    )
                )
            if points:
                title = text_in(instrument.titles, language)
                plots.append({"title": title, "svg": _plot(points, title, instrument)})
    summaries = {
        slot: intake.summarise(latest[(slot, INTAKE_ID)].answers)
        for slot in slots
        if (slot, INTAKE_ID) in latest
    }
    findings = []
    if len(summaries) == 2 and len(slots) == 2:
        findings = intake.discrepancies(summaries[slots[0]], summaries[slots[1]])
    safety = {slot: summary.safety for slot, summary in summaries.items() if summary.safety}
    return {
        "score_rows": rows,
        "plots": plots,
        "summaries": summaries,
        "findings": findings,
        "safety": safety,
        # The same rule as needs_safety_attention: a raised published cut-off (HITS > 10).
        "hits_positive": {slot for row in rows for slot, raised in row.flags.items() if raised},
    }


def _plot(points: list[attachment_plot.Point], title: str, instrument: Instrument) -> SafeString:
    labels = attachment_plot.Labels(
        title=_("Attachment: %(instrument)s") % {"instrument": title},
        x_axis=_("anxiety"),
        y_axis=_("avoidance"),
        corners=(_("low / low"), _("more anxious"), _("more avoidant"), _("both high")),
    )
    low = float(instrument.response_min or 1)
    high = float(instrument.response_max or 7)
    return mark_safe(attachment_plot.render(points, labels, low, high))  # noqa: S308 -- escaped in render


def needs_safety_attention(administrations: list[Administration]) -> bool:
    """Whether any sent safety answer or a positive violence screen is on the case."""
    for (_slot, instrument_id), administration in latest_sent(administrations).items():
        if instrument_id == INTAKE_ID and intake.safety_flags(administration.answers):
            return True
        result = services.scores_of(administration)
        if result is not None and result[1]:
            return True
    return False
