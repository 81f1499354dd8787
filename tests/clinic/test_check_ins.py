"""dyade.clinic.check_ins without a database: who checks in, when, what a partner is told of,
and which daily reminder is a check-in's; every window tried on its boundaries."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest

from dyade.clinic import check_ins
from dyade.clinic.check_ins import Moment, Session

START = dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC)
COUPLE = ("A", "B")
MINUTE = dt.timedelta(minutes=1)
TINY = dt.timedelta(microseconds=1)


def at(attendance: str = "planned", planned_for: str = "both", minutes: int = 50) -> Session:
    return Session(START, minutes, attendance, planned_for)


def test_the_doctests_hold() -> None:
    assert doctest.testmod(check_ins).failed == 0


@pytest.mark.parametrize(
    ("attendance", "planned_for", "slots", "expected"),
    [
        ("planned", "both", COUPLE, ("A", "B")),
        ("planned", "A", COUPLE, ("A",)),
        ("planned", "B", COUPLE, ("B",)),
        ("both", "A", COUPLE, ("A", "B")),  # both came to a session planned with A alone
        ("A", "both", COUPLE, ("A",)),
        ("B", "both", COUPLE, ("B",)),
        ("cancelled", "both", COUPLE, ()),
        ("planned", "both", ("A",), ("A",)),  # an individual case
        ("planned", "B", ("A",), ()),  # a slot the case does not have
        ("B", "both", ("A",), ()),
        ("nonsense", "both", COUPLE, ()),
    ],
)
def test_who_checks_in(
    attendance: str, planned_for: str, slots: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    assert check_ins.attendees(at(attendance, planned_for), slots) == expected


def test_the_before_window_runs_from_48_hours_ahead_to_the_end_of_the_session() -> None:
    session = at(minutes=50)
    opens = START - dt.timedelta(hours=48)
    ends = START + dt.timedelta(minutes=50)
    assert check_ins.window(session, Moment.BEFORE) == (opens, ends)
    assert not check_ins.is_open(session, Moment.BEFORE, opens - TINY)
    assert check_ins.is_open(session, Moment.BEFORE, opens)
    assert check_ins.is_open(session, Moment.BEFORE, ends - TINY)
    assert not check_ins.is_open(session, Moment.BEFORE, ends)


def test_the_after_window_runs_from_the_start_to_a_week_after_the_end() -> None:
    session = at(minutes=90)
    ends = START + dt.timedelta(minutes=90)
    closes = ends + dt.timedelta(days=7)
    assert check_ins.window(session, Moment.AFTER) == (START, closes)
    assert not check_ins.is_open(session, Moment.AFTER, START - TINY)
    assert check_ins.is_open(session, Moment.AFTER, START)
    assert check_ins.is_open(session, Moment.AFTER, closes - TINY)
    assert not check_ins.is_open(session, Moment.AFTER, closes)


def test_nothing_is_open_for_a_session_that_did_not_take_place() -> None:
    session = at("cancelled")
    for moment in Moment:
        assert not check_ins.is_open(session, moment, START)
        assert not check_ins.reminded_at(session, moment, START - MINUTE)
        assert not check_ins.reminded_at(session, moment, START + dt.timedelta(hours=2))


def test_open_moments_are_only_for_those_the_session_is_for() -> None:
    alone = at(planned_for="A")
    during = START + dt.timedelta(minutes=10)
    assert check_ins.open_moments(alone, "A", COUPLE, during) == [Moment.BEFORE, Moment.AFTER]
    assert check_ins.open_moments(alone, "B", COUPLE, during) == []
    assert check_ins.open_moments(at(), "B", COUPLE, START - MINUTE) == [Moment.BEFORE]


@pytest.mark.parametrize(
    ("attendance", "planned_for", "a", "b"),
    [
        ("planned", "both", True, True),
        ("planned", "A", True, False),  # B is not told of A's session alone
        ("planned", "B", False, True),
        ("A", "both", True, True),  # B was told of it when it was planned
        ("A", "A", True, False),
        ("both", "A", True, True),
        ("cancelled", "both", False, False),
    ],
)
def test_what_each_partner_is_told_of(attendance: str, planned_for: str, a: bool, b: bool) -> None:
    session = at(attendance, planned_for)
    assert check_ins.visible_to(session, "A", COUPLE) is a
    assert check_ins.visible_to(session, "B", COUPLE) is b


def test_each_check_in_has_one_daily_reminder_at_the_partner_s_time() -> None:
    session = at(minutes=50)
    ends = START + dt.timedelta(minutes=50)
    day = dt.timedelta(days=1)
    # before: a reminder time in the day before the start
    assert check_ins.reminded_at(session, Moment.BEFORE, START - day)
    assert check_ins.reminded_at(session, Moment.BEFORE, START - TINY)
    assert not check_ins.reminded_at(session, Moment.BEFORE, START - day - TINY)
    assert not check_ins.reminded_at(session, Moment.BEFORE, START)
    # after: a reminder time in the day after the end
    assert check_ins.reminded_at(session, Moment.AFTER, ends)
    assert check_ins.reminded_at(session, Moment.AFTER, ends + day - TINY)
    assert not check_ins.reminded_at(session, Moment.AFTER, ends - TINY)
    assert not check_ins.reminded_at(session, Moment.AFTER, ends + day)
    # daily reminders 24 hours apart: exactly one of them falls in each day-long span
    for hour in range(24):
        times = [START.replace(hour=hour) + dt.timedelta(days=n) for n in range(-3, 4)]
        assert sum(check_ins.reminded_at(session, Moment.BEFORE, t) for t in times) == 1
        assert sum(check_ins.reminded_at(session, Moment.AFTER, t) for t in times) == 1
