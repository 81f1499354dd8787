"""The "since last session" summary, checked on small diaries worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from dyade.clinic import since
from dyade.clinic.since import Day, Trend, summarise

START = dt.date(2026, 11, 8)
UNTIL = dt.date(2026, 11, 14)  # 7 days; the 7 days before are the comparison


def day(offset: int, **values: object) -> Day:
    return Day(date=START + dt.timedelta(days=offset), **values)  # type: ignore[arg-type]


def test_trend_directions_need_a_point_of_change() -> None:
    assert Trend(6.0, 5.0).direction == "up"
    assert Trend(5.0, 6.0).direction == "down"
    assert Trend(5.5, 5.0).direction == "same"
    assert Trend(None, 5.0).direction == ""


def test_a_couple_whose_desire_diverges_and_who_misread_each_other() -> None:
    # A: desire 8 every day this week, 4 the week before; initiates 4 times; reads B as 7.
    # B: desire 3 every day; answers two bids with a loving boundary, one with no;
    #    had sex twice to keep the peace; reads A's desire as 8 (exactly right).
    a = [day(i, desire=8, closeness=5, stress=4, perceived_desire=7) for i in range(7)]
    a += [day(i - 7, desire=4, closeness=5, stress=4) for i in range(7)]
    a = [
        Day(**{**d.__dict__, "initiator": "me"})
        if d.date >= START and (d.date - START).days < 4
        else d
        for d in a
    ]
    b = [day(i, desire=3, closeness=5, stress=4, perceived_desire=8) for i in range(7)]
    b[0] = Day(**{**b[0].__dict__, "bid_answer": "loving-boundary"})
    b[1] = Day(**{**b[1].__dict__, "bid_answer": "loving-boundary"})
    b[2] = Day(**{**b[2].__dict__, "bid_answer": "declined", "motive": "keep-peace"})
    b[3] = Day(**{**b[3].__dict__, "motive": "keep-peace"})
    summary = summarise({"A": a, "B": b}, START, UNTIL)
    a_sum, b_sum = summary.partners["A"], summary.partners["B"]
    assert a_sum.days == 7 and b_sum.days == 7
    assert a_sum.trends["desire"] == Trend(8.0, 4.0)
    assert a_sum.trends["desire"].direction == "up"
    assert b_sum.trends["desire"].direction == ""  # no week before for B
    assert summary.gaps == {"desire": 5.0, "closeness": 0.0}
    assert a_sum.initiated == 4 and b_sum.initiated == 0
    assert summary.pursuer == "A"
    assert b_sum.answers == {"loving-boundary": 2, "declined": 1}
    assert a_sum.desire_bias == 4.0  # reads 7, B reports 3
    assert b_sum.desire_bias == 0.0  # reads 8, A reports 8
    assert (b_sum.approach, b_sum.avoidance) == (0, 2)
    keys = [key for key, _values in summary.sentences]
    assert "desire-up" in keys and "desire-gap" in keys and "pursues-sexually" in keys
    assert ("reads-desire-higher", {"slot": "A", "points": 4.0}) in summary.sentences
    assert not any(k == "reads-desire-higher" and v["slot"] == "B" for k, v in summary.sentences)
    assert ("avoidance-motives", {"slot": "B", "days": 2}) in summary.sentences


def test_too_few_days_say_nothing_but_that() -> None:
    summary = summarise({"A": [day(0, desire=9), day(1, desire=1)], "B": []}, START, UNTIL)
    assert summary.partners["A"].trends["desire"].now is None
    assert summary.gaps == {"desire": None, "closeness": None}
    assert summary.pursuer is None
    assert [key for key, _v in summary.sentences] == ["few-days", "few-days"]


def test_one_partner_case_has_no_gaps_and_no_pursuer() -> None:
    summary = summarise({"A": [day(i, closeness=i) for i in range(7)]}, START, UNTIL)
    assert summary.gaps == {} and summary.pursuer is None
    assert summary.partners["A"].trends["closeness"].now == 3.0


# --- the diary's initiative against the cycle map's positions around sex -----------


@pytest.mark.parametrize(
    ("pursuer", "positions", "expected"),
    [
        ("A", {"A": "pursue", "B": "withdraw"}, ("cycle-fits", "A")),
        ("B", {"A": "pursue", "B": "withdraw"}, ("cycle-differs", "B")),
        ("B", {"A": "pursue", "B": None}, ("cycle-differs", "B")),
        ("B", {"A": None, "B": "withdraw"}, ("cycle-differs", "B")),
        ("A", {"A": None, "B": None}, ("cycle-open", "A")),
        ("A", {"A": "mixed", "B": "none"}, ("cycle-open", "A")),
        (None, {"A": None, "B": "pursue"}, ("cycle-quiet", "B")),
        (None, {"A": "withdraw", "B": None}, None),
        (None, {"A": None, "B": None}, None),
    ],
)
def test_diary_initiative_is_held_against_the_cycle_map(
    pursuer: str | None, positions: dict[str, str | None], expected: tuple[str, str] | None
) -> None:
    found = since.against_cycle(pursuer, positions)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert (found[0], found[1]["slot"]) == expected
