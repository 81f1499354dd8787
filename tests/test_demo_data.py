"""The demo diary generator (no database)."""

from __future__ import annotations

import datetime as dt
import random

from dyade.cases.demo import Profile, couple_diaries

END = dt.date(2026, 11, 21)


def test_values_stay_on_the_scale_and_days_are_unique() -> None:
    series = couple_diaries(
        [Profile(9, 9, 1, 9, trend=3), Profile(1, 1, 9, 1)], END, 60, random.Random(1)
    )
    for days in series:
        assert len({d.date for d in days}) == len(days)
        assert all(
            0 <= v <= 10 for d in days for v in (d.closeness, d.feeling_seen, d.stress, d.desire)
        )
        assert all(END - dt.timedelta(days=59) <= d.date <= END for d in days)


def test_the_same_seed_gives_the_same_diaries() -> None:
    profiles = [Profile(5, 5, 5, 5), Profile(5, 5, 5, 5)]
    assert couple_diaries(profiles, END, 30, random.Random(7)) == couple_diaries(
        profiles, END, 30, random.Random(7)
    )


def test_a_desire_discrepancy_shows_in_the_data() -> None:
    high, low = couple_diaries(
        [Profile(6, 6, 4, 8), Profile(6, 6, 5, 2)], END, 60, random.Random(3)
    )
    assert sum(d.desire for d in high) / len(high) - sum(d.desire for d in low) / len(low) > 4
