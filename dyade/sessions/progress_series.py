"""The session check-ins of a case as series: the outcome before and the alliance after.

A check-in is a questionnaire administration tied to a session (an
appointment) with the moment ``before`` (an outcome measure, CSI-4 by default)
or ``after`` (the alliance check). This module turns the sent ones into one
row per session, in the order of the sessions, with each partner's score.

It reads no client data itself: the caller hands over the appointments and the
administrations it was allowed to read (through the access modules) and
writes the audit events. Where the measure's file ships no SD and reliability
for reliable change, the practice may have entered its own (``dyade.progress``
registers where they are read, :func:`provide_practice_values`); given the
case's ``practice_id``, the rows carry the measure with those values, marked as
:class:`PracticeChange`. Values in the file always win.

The score of an outcome measure is the subscale its key follows over sessions
(``change.subscale``); that of the alliance check its first subscale. A check-in
whose answers cannot be scored (too many items missing) has no score, and so
leaves a gap in the chart instead of a zero.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dyade.clinic import progress
from dyade.clinic.instrument_key import Change
from dyade.clinic.instruments import Instrument, Method
from dyade.clinic.scoring import score_key
from dyade.questionnaires.services import numbered_answers

ALLIANCE_RANGE = (0.0, 10.0)  # what the snapshot's alliance series holds
BEFORE = "before"
AFTER = "after"
CANCELLED = "cancelled"


# A practice's own values per instrument id: (SD, reliability, where they come from).
PracticeValues = Mapping[str, tuple[float, float, str]]
_providers: list[Callable[[int], PracticeValues]] = []


@dataclass(frozen=True)
class PracticeChange(Change):
    """A ``change`` whose SD and reliability the practice entered; ``source`` is theirs."""


def provide_practice_values(provider: Callable[[int], PracticeValues]) -> None:
    """Name where a practice's own values are read (``dyade.progress`` does, when it loads)."""
    _providers[:] = [provider]


def practice_values(practice_id: int) -> PracticeValues:
    return _providers[0](practice_id) if _providers else {}


def with_practice_values(instrument: Instrument, values: PracticeValues) -> Instrument:
    """``instrument`` with the practice's SD and reliability, where its file ships none.

    Values in the file win; a measure without a ``change`` part in its file is
    left alone (its direction and cut-off are not known).
    """
    change = instrument.change
    if change is None or change.computable or instrument.id not in values:
        return instrument
    sd, reliability, source = values[instrument.id]
    return dataclasses.replace(
        instrument,
        change=PracticeChange(
            subscale=change.subscale,
            direction=change.direction,
            cutoff=change.cutoff,
            sd=sd,
            reliability=reliability,
            source=source,
        ),
    )


@dataclass(frozen=True)
class Score:
    value: float
    instrument: Instrument


@dataclass
class SessionRow:
    """One session of the case and the partners' check-in scores for it."""

    number: int  # 1-based, counting the sessions shown
    appointment_id: int
    starts_at: dt.datetime
    attendance: str
    outcome: dict[str, Score] = field(default_factory=dict)  # slot -> score before
    alliance: dict[str, Score] = field(default_factory=dict)  # slot -> score after
    # (moment, slot) -> the sent check-in the scores come from (its answers, for the export)
    check_ins: dict[tuple[str, str], Any] = field(default_factory=dict)


def followed_subscale(instrument: Instrument) -> str | None:
    """The subscale that is followed over sessions: the key's own choice, else its first."""
    if instrument.change is not None:
        return instrument.change.subscale
    if instrument.subscales:
        return instrument.subscales[0].id
    return None


def score_of(administration: Any, instrument: Instrument | None = None) -> float | None:
    """The followed score of one sent check-in, or None when it cannot be scored."""
    instrument = instrument or administration.definition()
    subscale = followed_subscale(instrument)
    if subscale is None:
        return None
    try:
        scores = score_key(instrument, numbered_answers(instrument, administration.answers))
    except ValueError:  # stored answers that no longer fit the key are not drawn
        return None
    value = scores.get(subscale)
    return None if value is None else float(value)


def rows(
    appointments: Sequence[Any],
    check_ins: Iterable[Any],
    slot_of: dict[int, str],
    now: dt.datetime | None = None,
    practice_id: int | None = None,
    values: PracticeValues | None = None,
) -> list[SessionRow]:
    """One row per session that took place (or has a sent check-in), oldest first.

    ``appointments`` are the case's sessions; ``check_ins`` its administrations
    (anything not a sent check-in of one of these sessions is left out);
    ``slot_of`` maps a partner's id to their slot. A cancelled session, or one
    still to come without any check-in, gets no row. With two sent check-ins of
    one partner for one session and moment, the later one counts. With
    ``practice_id``, a measure whose file ships no values for reliable change
    takes the practice's own (read once, and only when such a measure is met;
    ``values`` are those values when the caller has read them already).
    """
    by_session: dict[int, dict[str, dict[str, Any]]] = {}
    for administration in check_ins:
        if administration.status != "submitted" or administration.moment not in (BEFORE, AFTER):
            continue
        if administration.appointment_id is None or administration.partner_id not in slot_of:
            continue
        moments = by_session.setdefault(administration.appointment_id, {BEFORE: {}, AFTER: {}})
        slot = slot_of[administration.partner_id]
        earlier = moments[administration.moment].get(slot)
        if earlier is None or (administration.submitted_at, administration.pk) > (
            earlier.submitted_at,
            earlier.pk,
        ):
            moments[administration.moment][slot] = administration
    found: list[SessionRow] = []
    definitions: dict[tuple[str, str], Instrument] = {}
    own: list[PracticeValues] = [] if values is None else [values]  # the practice's, once read
    for appointment in sorted(appointments, key=lambda a: (a.starts_at, a.pk)):
        moments = by_session.get(appointment.pk)
        if appointment.attendance == CANCELLED and not moments:
            continue
        if moments is None and now is not None and appointment.starts_at > now:
            continue
        row = SessionRow(
            len(found) + 1, appointment.pk, appointment.starts_at, appointment.attendance
        )
        for moment, target in ((BEFORE, row.outcome), (AFTER, row.alliance)):
            for slot, administration in (moments or {}).get(moment, {}).items():
                row.check_ins[(moment, slot)] = administration
                key = (administration.instrument, administration.version)
                if key not in definitions:
                    definition = administration.definition()
                    change = definition.change
                    if practice_id is not None and change is not None and not change.computable:
                        if not own:
                            own.append(practice_values(practice_id))
                        definition = with_practice_values(definition, own[0])
                    definitions[key] = definition
                value = score_of(administration, definitions[key])
                if value is not None:
                    target[slot] = Score(value, definitions[key])
        found.append(row)
    return found


def outcome_instrument(session_rows: Sequence[SessionRow], slot: str) -> Instrument | None:
    """The outcome measure a partner's line follows: the one of their first scored check-in.

    Scores of another measure (the therapist changed it later) are not drawn
    on the same line: they are on another scale.
    """
    for row in session_rows:
        if slot in row.outcome:
            return row.outcome[slot].instrument
    return None


def outcome_values(session_rows: Sequence[SessionRow], slot: str) -> list[tuple[int, float]]:
    """(session number, score) of a partner's outcome check-ins on their first measure."""
    instrument = outcome_instrument(session_rows, slot)
    if instrument is None:
        return []
    return [
        (row.number, row.outcome[slot].value)
        for row in session_rows
        if slot in row.outcome and row.outcome[slot].instrument.id == instrument.id
    ]


def alliance_values(session_rows: Sequence[SessionRow], slot: str) -> list[tuple[int, float]]:
    """(session number, score) of a partner's alliance check-ins."""
    return [(row.number, row.alliance[slot].value) for row in session_rows if slot in row.alliance]


def subscale_range(instrument: Instrument, subscale_id: str) -> tuple[float, float] | None:
    """The lowest and highest score a subscale can take, from its key."""
    subscale = next((s for s in instrument.subscales if s.id == subscale_id), None)
    if subscale is None:
        return None
    if subscale.of:
        parts = [subscale_range(instrument, other) for other in subscale.of]
        if any(part is None for part in parts):
            return None
        return (sum(p[0] for p in parts if p), sum(p[1] for p in parts if p))
    ranges = [instrument.item_range(number) for number in subscale.items]
    if any(low is None or high is None for low, high in ranges):
        return None
    lows = [float(low or 0) for low, _high in ranges]
    highs = [float(high or 0) for _low, high in ranges]
    if subscale.method == Method.MEAN:
        low, high = min(lows), max(highs)
    else:
        low, high = sum(lows), sum(highs)
    return low * subscale.weight, high * subscale.weight


def snapshot_progress(session_rows: Sequence[SessionRow], slots: Sequence[str]) -> dict[str, Any]:
    """Each partner's ``progress`` part of the guidance snapshot (``docs/guidance.md``).

    One entry per session, oldest first, the same sessions for both partners:
    the status after the session against the partner's first outcome score
    (:func:`dyade.clinic.progress.statuses`; ``None`` for the baseline, a missed
    check-in, or a measure without published values for reliable change) and
    the alliance check on 0-10. An alliance measure on another scale is left
    out. A partner without any check-in gets no part.
    """
    parts: dict[str, Any] = {}
    for slot in slots:
        instrument = outcome_instrument(session_rows, slot)
        by_number: dict[int, str | None] = {}
        if instrument is not None and instrument.change is not None:
            values = outcome_values(session_rows, slot)
            judged = progress.statuses([value for _n, value in values], instrument.change)
            by_number = {
                number: (str(status) if status is not None else None)
                for (number, _value), status in zip(values, judged, strict=True)
            }
        alliance: list[float | None] = []
        for row in session_rows:
            score = row.alliance.get(slot)
            alliance.append(
                score.value if score is not None and _on_alliance_scale(score) else None
            )
        if instrument is None and all(value is None for value in alliance):
            continue
        parts[slot] = {
            "statuses": [by_number.get(row.number) for row in session_rows],
            "alliance": alliance,
        }
    return parts


def _on_alliance_scale(score: Score) -> bool:
    subscale = followed_subscale(score.instrument)
    found = subscale_range(score.instrument, subscale) if subscale else None
    return found is not None and ALLIANCE_RANGE[0] <= found[0] and found[1] <= ALLIANCE_RANGE[1]
