"""The pure rules of home exercises: the ladder, practice logs and guided timers."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyade.clinic import exercises as ex
from dyade.clinic.visibility import Visibility

T0 = dt.datetime(2026, 11, 21, 20, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def event(eid: str, kind: str, seconds: float, slot: str = "") -> ex.Event:
    return ex.Event(f"event-{eid:>03}", ex.EventKind(kind), at(seconds), slot)


# --- the ladder ---------------------------------------------------------------------


def test_ladder_moves_one_step_and_stops_at_both_ends() -> None:
    assert ex.move(1, +1, 5) == 2
    assert ex.move(5, -1, 5) == 4
    with pytest.raises(ex.LadderError, match="top"):
        ex.move(5, +1, 5)
    with pytest.raises(ex.LadderError, match="first"):
        ex.move(1, -1, 5)


@pytest.mark.parametrize(
    ("current", "direction", "steps"), [(0, 1, 5), (6, -1, 5), (2, 2, 5), (2, 0, 5), (1, 1, 0)]
)
def test_ladder_refuses_impossible_moves(current: int, direction: int, steps: int) -> None:
    with pytest.raises(ex.LadderError):
        ex.move(current, direction, steps)


@given(st.integers(1, 12), st.lists(st.sampled_from([1, -1]), max_size=40))
def test_a_couple_never_leaves_the_ladder(steps: int, moves: list[int]) -> None:
    current = 1
    for direction in moves:
        try:
            current = ex.move(current, direction, steps)
        except ex.LadderError:
            pass
        assert 1 <= current <= steps


# --- practice logs ---------------------------------------------------------------------


def test_a_full_log_is_cleaned() -> None:
    clean = ex.check_log(
        {
            "date": dt.date(2026, 11, 20),
            "role": "touched",
            "feeling": "bodily",
            "intensity": 4,
            "thoughts": ["taking-too-long", "doing-it-right", "doing-it-right"],
            "own_thought": "  mag ik dit wel fijn vinden?  ",
            "needed": "",
            "agreements_held": True,
        }
    )
    assert clean["role"] is ex.Role.TOUCHED
    assert clean["thoughts"] == ["doing-it-right", "taking-too-long"]
    assert clean["own_thought"] == "mag ik dit wel fijn vinden?"
    assert "needed" not in clean


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({}, "date"),
        ({"date": "2026-11-20"}, "date"),
        ({"date": dt.date(2026, 11, 20), "role": "watching"}, "role"),
        ({"date": dt.date(2026, 11, 20), "feeling": "bliss"}, "feeling"),
        ({"date": dt.date(2026, 11, 20), "intensity": 3}, "intensity"),
        ({"date": dt.date(2026, 11, 20), "feeling": "sexual", "intensity": 6}, "intensity"),
        ({"date": dt.date(2026, 11, 20), "feeling": "sexual", "intensity": True}, "intensity"),
        ({"date": dt.date(2026, 11, 20), "thoughts": ["anything"]}, "thoughts"),
        ({"date": dt.date(2026, 11, 20), "agreements_held": "yes"}, "agreements_held"),
        ({"date": dt.date(2026, 11, 20), "note": "x" * 2001}, "note"),
        ({"date": dt.date(2026, 11, 20), "mood": 3}, "unknown"),
    ],
)
def test_a_bad_log_is_refused_naming_the_field(values: dict[str, object], field: str) -> None:
    with pytest.raises(ex.LogError, match=field):
        ex.check_log(values)


def test_inner_experience_is_private_unless_the_author_shares_it() -> None:
    assert ex.log_field_visibility("role") is Visibility.SHARED
    assert ex.log_field_visibility("agreements_held") is Visibility.SHARED
    for name in ("feeling", "intensity", "thoughts", "own_thought", "needed", "note"):
        assert ex.log_field_visibility(name) is Visibility.PRIVATE
        assert ex.log_field_visibility(name, shared_by_author=True) is Visibility.SHARED
    assert ex.log_field_visibility("date", shared_by_author=True) is Visibility.SHARED


# --- guided timers ------------------------------------------------------------------------

# Hug till relaxed: 6 minutes, A loses balance twice, B once; the phone goes
# offline after the first break and sends everything again when it is back.
HUG = [
    event("1", "start", 0),
    event("2", "break", 60, "A"),
    event("3", "back", 90, "A"),
    event("4", "break", 150, "B"),
    event("5", "break", 200, "A"),
    event("6", "back", 215, "B"),
    event("7", "back", 260, "A"),
    event("8", "stop", 360),
]


def test_hug_till_relaxed_counts_each_partners_breaks() -> None:
    run = ex.run_of(HUG)
    assert run.seconds == 360
    assert [(b.slot, b.seconds) for b in run.breaks] == [("A", 30), ("B", 65), ("A", 60)]
    assert len(run.breaks_of("A")) == 2 and len(run.breaks_of("B")) == 1


def test_a_lost_connection_and_a_resend_count_every_event_once() -> None:
    sent_before_offline = HUG[:3]
    stored = ex.merge([], sent_before_offline)
    resent_after = HUG  # the phone sends its whole queue again, including the first three
    stored = ex.merge(stored, resent_after)
    stored = ex.merge(stored, resent_after[5:])  # and a late duplicate of the tail
    assert len(stored) == len(HUG)
    assert ex.run_of(stored) == ex.run_of(HUG)


def test_events_arriving_out_of_order_give_the_same_run() -> None:
    shuffled = [HUG[i] for i in (7, 2, 0, 5, 1, 4, 3, 6)]
    assert ex.run_of(ex.merge([], shuffled)) == ex.run_of(HUG)


def test_a_resend_with_changed_content_is_refused() -> None:
    changed = ex.Event(HUG[1].id, ex.EventKind.BREAK, at(61), "A")
    with pytest.raises(ex.TimerError, match="different content"):
        ex.merge(HUG, [changed])


def test_a_run_still_going_has_no_end_and_open_breaks_wait() -> None:
    run = ex.run_of(HUG[:5])
    assert run.end is None and run.seconds is None
    assert [(b.slot, b.seconds) for b in run.breaks] == [("A", 30)]


def test_a_break_open_at_the_stop_ends_there_and_double_taps_count_once() -> None:
    events = [
        event("1", "start", 0),
        event("2", "break", 100, "B"),
        event("3", "break", 101, "B"),  # a double tap
        event("4", "back", 50, "A"),  # A has no open break
        event("5", "stop", 180),
    ]
    run = ex.run_of(events)
    assert [(b.slot, b.seconds) for b in run.breaks] == [("B", 80)]


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([], "begins"),
        ([event("1", "break", 0, "A"), event("2", "start", 5)], "begins"),
        ([event("1", "start", 0), event("2", "start", 5)], "one start"),
        ([event("1", "start", 0), event("2", "stop", 5), event("3", "stop", 6)], "one stop"),
        ([event("1", "start", 0), event("2", "stop", 5), event("3", "break", 6, "A")], "after"),
        ([event("1", "start", 0), event("2", "stop", 3 * 3600)], "two hours"),
    ],
)
def test_impossible_runs_are_refused(events: list[ex.Event], message: str) -> None:
    with pytest.raises(ex.TimerError, match=message):
        ex.run_of(events)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id": "short", "kind": "start", "at": "2026-11-21T20:00:00Z"}, "id"),
        ({"id": "event-0001", "kind": "pause", "at": "2026-11-21T20:00:00Z"}, "kind"),
        ({"id": "event-0001", "kind": "start", "at": "yesterday"}, "time"),
        ({"id": "event-0001", "kind": "start", "at": "2026-11-21T20:00:00"}, "time zone"),
        ({"id": "event-0001", "kind": "start", "at": "2026-11-21T20:00:00Z", "slot": "C"}, "slot"),
    ],
)
def test_event_json_is_checked(data: dict[str, object], message: str) -> None:
    with pytest.raises(ex.TimerError, match=message):
        ex.parse_event(data)


def test_event_json_round_trip() -> None:
    for item in HUG:
        assert ex.parse_event(ex.event_json(item)) == item
