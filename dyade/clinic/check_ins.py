"""Session check-ins: who checks in for a session, and when. Pure: no Django.

Before each session a partner fills in a short outcome measure; after it, an
alliance check. A check-in belongs to one session (an appointment) and one
moment, ``before`` or ``after``.

The windows below are Dyade's own judgement, not taken from a publication:
the feedback literature asks for the outcome measure "before the session" and
the alliance measure "at the end of it" (Duncan & Miller's ORS and SRS, used
in Anker, Duncan & Sparks 2009), and leaves the exact hours to the practice.

* ``before``: open from :data:`BEFORE_OPENS` ahead of the start until the end
  of the session (so it can still be filled in the room, at the start);
* ``after``: open from the start of the session (it can be filled in the room
  at the end) until :data:`AFTER_CLOSES` after its end.

Who checks in: the partners a session is planned for (both, or one partner
alone) until the therapist records who came; then those who came. Nobody
checks in for a session that did not take place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

BEFORE_OPENS = dt.timedelta(hours=48)
AFTER_CLOSES = dt.timedelta(days=7)


class Moment(StrEnum):
    BEFORE = "before"
    AFTER = "after"


PLANNED = "planned"
BOTH = "both"
CANCELLED = "cancelled"
SLOTS = ("A", "B")


@dataclass(frozen=True)
class Session:
    """What the rules need to know of one appointment."""

    starts_at: dt.datetime
    minutes: int
    attendance: str  # planned, both, A, B or cancelled
    planned_for: str = BOTH  # both, A or B

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.minutes)


def _for(who: str, slots: tuple[str, ...]) -> tuple[str, ...]:
    if who == BOTH:
        return slots
    return (who,) if who in SLOTS and who in slots else ()


def attendees(session: Session, slots: tuple[str, ...]) -> tuple[str, ...]:
    """The slots of the partners a session is (or was) for.

    ``slots`` are the case's partners: ``("A", "B")`` for a couple, ``("A",)``
    for an individual case. Until the therapist records the session, those it
    was planned for; then those who came; nobody for a cancelled one.

    >>> at = dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)
    >>> attendees(Session(at, 50, "planned", "B"), ("A", "B"))
    ('B',)
    >>> attendees(Session(at, 50, "A"), ("A", "B"))
    ('A',)
    >>> attendees(Session(at, 50, "cancelled"), ("A", "B"))
    ()
    """
    if session.attendance == PLANNED:
        return _for(session.planned_for, slots)
    if session.attendance == CANCELLED:
        return ()
    return _for(session.attendance, slots)


def window(session: Session, moment: Moment) -> tuple[dt.datetime, dt.datetime]:
    """From when until when a check-in at ``moment`` can be filled in (end excluded)."""
    if moment == Moment.BEFORE:
        return session.starts_at - BEFORE_OPENS, session.ends_at
    return session.starts_at, session.ends_at + AFTER_CLOSES


def is_open(session: Session, moment: Moment, now: dt.datetime) -> bool:
    """Whether the check-in at ``moment`` can be filled in at ``now`` (by someone)."""
    if session.attendance == CANCELLED:
        return False
    start, end = window(session, moment)
    return start <= now < end


def open_moments(
    session: Session, slot: str, slots: tuple[str, ...], now: dt.datetime
) -> list[Moment]:
    """The moments at which partner ``slot`` can check in for ``session`` at ``now``."""
    if slot not in attendees(session, slots):
        return []
    return [moment for moment in Moment if is_open(session, moment, now)]


def visible_to(session: Session, slot: str, slots: tuple[str, ...]) -> bool:
    """Whether partner ``slot`` is told that a session exists.

    Dyade's own privacy rule: a partner sees the joint sessions and their own
    sessions alone. A session with the other partner alone is not shown to
    them (that partner may tell them themselves); nor is a session that did
    not take place.
    """
    if session.attendance == CANCELLED:
        return False
    return slot in _for(session.planned_for, slots) or slot in attendees(session, slots)


REMIND_AHEAD = dt.timedelta(days=1)


def reminded_at(session: Session, moment: Moment, reminder: dt.datetime) -> bool:
    """Whether a partner's daily reminder at ``reminder`` is the one for this check-in.

    Dyade's own rule, so that each check-in gets one reminder at the partner's own
    time of day: ``before``, the last reminder time in the day before the session
    starts; ``after``, the first reminder time in the day after the session ends.

    >>> start = dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC)
    >>> s = Session(start, 50, "planned")
    >>> reminded_at(s, Moment.BEFORE, dt.datetime(2026, 12, 7, 20, 0, tzinfo=dt.UTC))
    True
    >>> reminded_at(s, Moment.AFTER, dt.datetime(2026, 12, 8, 20, 0, tzinfo=dt.UTC))
    True
    >>> reminded_at(s, Moment.AFTER, dt.datetime(2026, 12, 9, 20, 0, tzinfo=dt.UTC))
    False
    """
    if session.attendance == CANCELLED:
        return False
    if moment == Moment.BEFORE:
        return session.starts_at - REMIND_AHEAD <= reminder < session.starts_at
    return session.ends_at <= reminder < session.ends_at + REMIND_AHEAD
