"""Home exercises: the sensate focus ladder, practice logs and guided timers.

Pure: no Django. The seeds rebuild sex step by step at home and debrief it in
the session (000, 002; Masters & Johnson 1970 for sensate focus; Schnarch 2009
for hug till relaxed). This module holds the rules the web layer applies:

* the **ladder**: a couple stands on one step; the therapist moves them one
  step up or down, never past either end;
* the **log** of one practice by one partner: which position, what they felt
  on the range aversion -> neutral -> bodily enjoyment -> sexual enjoyment and
  how strongly, the thoughts that came up, what they needed, whether the
  agreements held; each field with its visibility;
* the **timer** of a guided exercise: events recorded on the phone (start,
  "lost balance", "back", stop), each with an id made on the phone, so a log
  sent twice after a lost connection is counted once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dyade.clinic.visibility import Visibility

# --- the ladder ---------------------------------------------------------------------


class LadderError(ValueError):
    """A move the ladder does not allow; the message says why."""


def move(current: int, direction: int, steps: int) -> int:
    """The step after moving ``direction`` (+1 up, -1 down) from ``current``.

    Steps are numbered 1..steps. The therapist moves one step at a time, so a
    couple never skips a rung; the ends are firm.
    """
    if steps < 1:
        raise LadderError("a ladder has at least one step")
    if not 1 <= current <= steps:
        raise LadderError(f"step {current} is not on a ladder of {steps} steps")
    if direction not in (1, -1):
        raise LadderError("move one step up (+1) or down (-1) at a time")
    target = current + direction
    if target > steps:
        raise LadderError("this is already the top step")
    if target < 1:
        raise LadderError("this is already the first step")
    return target


# --- one practice, logged by one partner -----------------------------------------------


class Role(StrEnum):
    TOUCHING = "touching"
    TOUCHED = "touched"
    BOTH = "both"


class Feeling(StrEnum):
    """The range used in the debrief (seed 002), from pulling away to sexual enjoyment."""

    AVERSION = "aversion"
    NEUTRAL = "neutral"
    BODILY = "bodily"
    SEXUAL = "sexual"


FEELING_ORDER = tuple(Feeling)
INTENSITY_MIN, INTENSITY_MAX = 1, 5
# Thoughts the seeds name ("am I doing it right?", "is this taking too long?"),
# offered as ticks; the partner can add their own in words.
THOUGHTS = ("doing-it-right", "taking-too-long", "partner-bored", "must-lead-to-sex")
TEXT_MAX = 2000


@dataclass(frozen=True)
class LogField:
    name: str
    visibility: Visibility
    author_may_share: bool = False


# Who sees each field of a practice log. What happened (the date, the position,
# whether the agreements held) is shared: both partners were there. What went on
# inside (feelings, thoughts, needs, the note) stays between the author and the
# therapist unless the author chooses to share it.
LOG_FIELDS: tuple[LogField, ...] = (
    LogField("date", Visibility.SHARED),
    LogField("role", Visibility.SHARED),
    LogField("agreements_held", Visibility.SHARED),
    LogField("feeling", Visibility.PRIVATE, author_may_share=True),
    LogField("intensity", Visibility.PRIVATE, author_may_share=True),
    LogField("thoughts", Visibility.PRIVATE, author_may_share=True),
    LogField("own_thought", Visibility.PRIVATE, author_may_share=True),
    LogField("needed", Visibility.PRIVATE, author_may_share=True),
    LogField("note", Visibility.PRIVATE, author_may_share=True),
)
LOG_FIELDS_BY_NAME = {item.name: item for item in LOG_FIELDS}


def log_field_visibility(name: str, shared_by_author: bool = False) -> Visibility:
    item = LOG_FIELDS_BY_NAME[name]
    if item.author_may_share and shared_by_author:
        return Visibility.SHARED
    return item.visibility


class LogError(ValueError):
    """A practice log that cannot be stored; the message names the field."""


def check_log(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one partner's log of one practice; return the cleaned values.

    Only ``date`` is required; a partner may log as much or as little as they
    like. A feeling needs no intensity, but an intensity needs a feeling.
    """
    unknown = set(values) - set(LOG_FIELDS_BY_NAME)
    if unknown:
        raise LogError(f"unknown field(s): {', '.join(sorted(unknown))}")
    date = values.get("date")
    if not isinstance(date, dt.date):
        raise LogError("date: the day of the practice is needed")
    clean: dict[str, Any] = {"date": date}
    role = values.get("role")
    if role not in (None, ""):
        try:
            clean["role"] = Role(role)
        except ValueError:
            raise LogError("role: touching, being touched or both") from None
    feeling = values.get("feeling")
    if feeling not in (None, ""):
        try:
            clean["feeling"] = Feeling(feeling)
        except ValueError:
            raise LogError("feeling: one of aversion, neutral, bodily, sexual") from None
    intensity = values.get("intensity")
    if intensity is not None:
        if isinstance(intensity, bool) or not isinstance(intensity, int):
            raise LogError("intensity: a whole number")
        if not INTENSITY_MIN <= intensity <= INTENSITY_MAX:
            raise LogError(f"intensity: from {INTENSITY_MIN} to {INTENSITY_MAX}")
        if "feeling" not in clean:
            raise LogError("intensity: say first which feeling it was")
        clean["intensity"] = intensity
    thoughts = values.get("thoughts") or []
    if not isinstance(thoughts, list | tuple) or any(t not in THOUGHTS for t in thoughts):
        raise LogError("thoughts: only the offered thoughts can be ticked")
    if thoughts:
        clean["thoughts"] = sorted(set(thoughts), key=THOUGHTS.index)
    held = values.get("agreements_held")
    if held is not None:
        if not isinstance(held, bool):
            raise LogError("agreements_held: yes or no")
        clean["agreements_held"] = held
    for name in ("own_thought", "needed", "note"):
        text = values.get(name)
        if text in (None, ""):
            continue
        if not isinstance(text, str):
            raise LogError(f"{name}: text")
        text = text.strip()
        if len(text) > TEXT_MAX:
            raise LogError(f"{name}: at most {TEXT_MAX} characters")
        if text:
            clean[name] = text
    return clean


# --- guided timers --------------------------------------------------------------------


class EventKind(StrEnum):
    START = "start"
    BREAK = "break"  # "lost balance, restoring myself"
    BACK = "back"  # "back"
    STOP = "stop"


class TimerError(ValueError):
    """Timer events that do not make one run of an exercise."""


MAX_RUN = dt.timedelta(hours=2)  # anything longer is a forgotten phone, not a practice
MAX_EVENTS = 200
# A phone's clock may be wrong, but not by centuries: times outside these years are
# refused, so that no conversion to another time zone runs off the calendar.
EARLIEST_YEAR, LATEST_YEAR = 1970, 2999


@dataclass(frozen=True)
class Event:
    id: str  # made on the phone: a resend carries the same id
    kind: EventKind
    at: dt.datetime  # the phone's clock, timezone-aware
    slot: str = ""  # who tapped it: "A" or "B" (one phone may serve both)


@dataclass(frozen=True)
class Break:
    slot: str
    start: dt.datetime
    end: dt.datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True)
class Run:
    """One run of a guided exercise, worked out from its events."""

    start: dt.datetime
    end: dt.datetime | None  # None while it is still running
    breaks: tuple[Break, ...]

    @property
    def seconds(self) -> float | None:
        return None if self.end is None else (self.end - self.start).total_seconds()

    def breaks_of(self, slot: str) -> list[Break]:
        return [item for item in self.breaks if item.slot == slot]


def parse_event(data: Mapping[str, Any]) -> Event:
    """One event from the phone's JSON; raise :class:`TimerError` on anything malformed."""
    if not isinstance(data, Mapping):
        raise TimerError("an event is an object")
    event_id = data.get("id")
    if (
        not isinstance(event_id, str)
        or not 8 <= len(event_id) <= 64
        or not (event_id.isascii() and event_id.isprintable())
    ):
        raise TimerError("event id: 8 to 64 printable characters")
    try:
        kind = EventKind(str(data.get("kind")))
    except ValueError:
        raise TimerError("event kind: start, break, back or stop") from None
    raw_at = data.get("at")
    if not isinstance(raw_at, str):
        raise TimerError("event time: an ISO 8601 text")
    try:
        at = dt.datetime.fromisoformat(raw_at.replace("Z", "+00:00"))
    except ValueError:
        raise TimerError("event time: an ISO 8601 text") from None
    if at.tzinfo is None:
        raise TimerError("event time: with its time zone")
    try:  # year 1 at +14:00 lies before the first day a datetime can hold in UTC
        in_utc = at.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        in_utc = None
    if in_utc is None or not EARLIEST_YEAR <= in_utc.year <= LATEST_YEAR:
        raise TimerError(f"event time: between {EARLIEST_YEAR} and {LATEST_YEAR}")
    slot = data.get("slot") or ""
    if slot not in ("", "A", "B"):
        raise TimerError("event slot: A or B")
    return Event(event_id, kind, at, slot)


def merge(existing: Iterable[Event], incoming: Iterable[Event]) -> list[Event]:
    """All events once each, by id, in time order; a resent event changes nothing.

    The same id with different content is refused: a phone never changes an
    event it made, so that is a bug or tampering, not a resend.
    """
    by_id: dict[str, Event] = {}
    for event in [*existing, *incoming]:
        known = by_id.get(event.id)
        if known is not None and known != event:
            raise TimerError(f"event {event.id} was sent twice with different content")
        by_id[event.id] = event
    if len(by_id) > MAX_EVENTS:
        raise TimerError(f"at most {MAX_EVENTS} events in one run")
    return sorted(by_id.values(), key=lambda event: (event.at, event.id))


def run_of(events: Iterable[Event]) -> Run:
    """Work out the run: when it started and stopped, and each partner's balance breaks.

    Rules: one start, first; at most one stop, last; each partner's "back"
    closes their own open break, and a break still open at the stop ends there.
    A second "break" by the same partner while one is open is ignored (a double
    tap), as is a "back" with no open break.
    """
    ordered = sorted(events, key=lambda event: (event.at, event.id))
    if not ordered or ordered[0].kind != EventKind.START:
        raise TimerError("a run begins with its start")
    if sum(1 for event in ordered if event.kind == EventKind.START) > 1:
        raise TimerError("a run has one start")
    stops = [event for event in ordered if event.kind == EventKind.STOP]
    if len(stops) > 1:
        raise TimerError("a run has one stop")
    if stops and ordered[-1].kind != EventKind.STOP:
        raise TimerError("nothing can happen after the stop")
    start = ordered[0].at
    end = stops[0].at if stops else None
    if end is not None and end - start > MAX_RUN:
        raise TimerError("a run of more than two hours cannot be right")
    open_breaks: dict[str, dt.datetime] = {}
    breaks: list[Break] = []
    for event in ordered[1:]:
        if event.kind == EventKind.BREAK and event.slot not in open_breaks:
            open_breaks[event.slot] = event.at
        elif event.kind == EventKind.BACK and event.slot in open_breaks:
            breaks.append(Break(event.slot, open_breaks.pop(event.slot), event.at))
    if end is not None:
        for slot, began in open_breaks.items():
            breaks.append(Break(slot, began, end))
    breaks.sort(key=lambda item: (item.start, item.slot))
    return Run(start=start, end=end, breaks=tuple(breaks))


def event_json(event: Event) -> dict[str, str]:
    return {
        "id": event.id,
        "kind": event.kind.value,
        "at": event.at.isoformat(),
        "slot": event.slot,
    }
