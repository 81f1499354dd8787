"""The case formulation on the therapist's pages: what holds from earlier sessions.

The pure fold lives in :mod:`dyade.clinic.formulation`; this module feeds it the
stored observations and the track, and puts each finding into words for the
guidance page and the observation form ("as before").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import formats
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from dyade.clinic import formulation as core
from dyade.clinic import snapshot
from dyade.sessions import case_snapshot, labels
from dyade.sessions.models import Observation, TrackChange

_STATES = {
    core.PRESENT: "present",
    core.GONE: "gone",
}


def of_case(
    observations: Sequence[Observation], track_changes: Sequence[TrackChange]
) -> core.Formulation:
    """The formulation of a case from all its observations and track changes."""
    data: dict[str, Any] = {
        "observations": [o.as_snapshot() for o in case_snapshot.in_order(observations)]
    }
    track = case_snapshot.track_of(track_changes)
    if track:
        data["track"] = track
    return core.formulation(snapshot.parse(data))


def _date(value: str | None) -> str:
    day = parse_date(value) if value else None
    return formats.date_format(day) if day is not None else ""


def _state(finding: core.Finding, names: dict[str, str]) -> str:
    if finding.field in ("destructive_claim_by", "partner_left_by"):
        return labels.value_text(finding.value, names)
    if finding.field == "track.switched_for":
        return labels.value_text(list(finding.value), names)
    return _("yes") if finding.present else _("no")


def rows(formulation: core.Formulation, names: dict[str, str]) -> list[dict[str, str]]:
    """Each finding that a session has noted: its label, state and when it was last confirmed."""
    return [
        {
            "label": _(finding.label),
            "state": _STATES[finding.state],
            "value": _state(finding, names),
            "date": _date(finding.date),
            "since": _date(finding.since),
        }
        for finding in formulation
        if finding.state != core.UNKNOWN
    ]


def as_before(formulation: core.Formulation, names: dict[str, str]) -> dict[str, str]:
    """For the observation form: per field, what "as before" keeps."""
    return {
        finding.field: _("As before: %(value)s (noted %(date)s).")
        % {"value": _state(finding, names), "date": _date(finding.date)}
        for finding in formulation
        if finding.state != core.UNKNOWN and finding.field != "track.switched_for"
    }
