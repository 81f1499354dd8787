"""The demo diary generator and its optional items (no database)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from statistics import correlation, fmean

from dyade.clinic.diary import check_optional
from dyade.demo.diaries import DayValues, Profile, add_items, couple_diaries

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


# --- the optional items (add_items) ---------------------------------------------

CHOICES = {
    "contact_kind": {"affection", "touch", "intercourse", "other"},
    "initiator": {"me", "partner", "both"},
    "motive": {"closeness", "pleasure", "avoid-fight", "keep-peace", "other"},
}
EMPTY = {
    "contact_kind": "",
    "initiator": "",
    "bid_answer": "",
    "sexual_satisfaction": None,
    "motive": "",
    "perceived_desire": None,
    "perceived_mood": None,
}


def _couple(
    profiles: list[Profile], days: int = 300, seed: int = 11, contact_rate: float = 0.3
) -> tuple[list[list[DayValues]], list[list[DayValues]]]:
    series = couple_diaries(profiles, END, days, random.Random(seed), contact_rate=contact_rate)
    return series, add_items(series, profiles, random.Random(seed + 1))


def _by_date(days: list[DayValues]) -> dict[dt.date, DayValues]:
    return {d.date: d for d in days}


def test_items_pass_the_diary_rules_on_every_day() -> None:
    pursuer = Profile(5, 5, 5, 7, compliance=0.85, initiative=3.0, reads_desire=-1.5)
    avoider = Profile(4, 4, 7, 2, compliance=0.8, initiative=0.3, avoidance=0.6, reads_desire=2)
    for profiles in ([pursuer, avoider], [avoider]):
        _, filled = _couple(profiles)
        for days in filled:
            for day in days:
                items = day.items()
                assert set(items) == set(EMPTY)
                assert check_optional(items, day.sexual_contact) == {}, day
                if day.sexual_contact:
                    assert day.contact_kind in CHOICES["contact_kind"]
                    assert day.initiator in CHOICES["initiator"]
                    assert day.motive in CHOICES["motive"]
                    assert day.bid_answer == "accepted"
                    assert day.sexual_satisfaction is not None
                    assert 0 <= day.sexual_satisfaction <= 10
                else:
                    assert (day.contact_kind, day.initiator, day.motive) == ("", "", "")
                    assert day.sexual_satisfaction is None
                    assert day.bid_answer in {"no-bid", "loving-boundary", "declined"}
    # Over 300 days every answer to a bid turns up, and avoidance motives too.
    _, (first, second) = _couple([pursuer, avoider])
    answers = {d.bid_answer for d in first + second}
    assert answers == {"no-bid", "accepted", "loving-boundary", "declined"}
    assert {d.motive for d in second} >= {"avoid-fight", "keep-peace"}


def test_a_partner_alone_reads_nobody() -> None:
    _, (alone,) = _couple([Profile(5, 5, 5, 5)])
    assert all(d.perceived_desire is None and d.perceived_mood is None for d in alone)
    # the absent partner can still be the one who took the initiative
    assert {d.initiator for d in alone if d.sexual_contact} >= {"me", "partner"}


def test_partners_tell_the_same_story_of_a_day() -> None:
    profiles = [Profile(5, 5, 5, 6, compliance=0.9), Profile(5, 5, 5, 4, compliance=0.9)]
    _, (a_days, b_days) = _couple(profiles)
    a, b = _by_date(a_days), _by_date(b_days)
    pairs = []
    for date in sorted(set(a) & set(b)):
        assert a[date].bid_answer == b[date].bid_answer
        if a[date].sexual_contact:
            assert a[date].contact_kind == b[date].contact_kind
            pairs.append((a[date].initiator, b[date].initiator))
    assert len(pairs) > 30
    assert set(pairs) == {("me", "partner"), ("partner", "me"), ("both", "both")}


def test_the_partner_with_more_initiative_initiates_clearly_more() -> None:
    keen = Profile(5, 5, 5, 5, compliance=1.0, initiative=3.0)
    shy = Profile(5, 5, 5, 5, compliance=1.0, initiative=0.5)
    _, (keen_days, shy_days) = _couple([keen, shy], days=400)
    keen_me = sum(d.initiator == "me" for d in keen_days)
    shy_me = sum(d.initiator == "me" for d in shy_days)
    assert keen_me > 40
    assert keen_me >= 3 * shy_me  # expected about 6 to 1
    # With equal initiative neither partner stands out.
    _, (left, right) = _couple([shy, shy], days=400)
    left_me = sum(d.initiator == "me" for d in left)
    right_me = sum(d.initiator == "me" for d in right)
    assert 0.6 < left_me / right_me < 1.6


def test_perceived_desire_follows_the_other_partner_with_their_bias() -> None:
    reader = Profile(5, 5, 5, 5, compliance=0.85, reads_desire=1.5)
    underrater = Profile(5, 5, 5, 6, compliance=0.85, reads_desire=-1.0)
    _, (a_days, b_days) = _couple([reader, underrater], days=200, seed=5)
    a, b = _by_date(a_days), _by_date(b_days)
    both = sorted(set(a) & set(b))
    assert len(both) > 100
    for me, other, bias in ((a, b, 1.5), (b, a, -1.0)):
        read = [me[d].perceived_desire for d in both]
        truth = [other[d].desire for d in both]
        assert all(value is not None for value in read)
        assert correlation(read, truth) > 0.5  # type: ignore[arg-type]
        offset = fmean(r - t for r, t in zip(read, truth, strict=True))  # type: ignore[operator]
        assert abs(offset - bias) < 0.35
        # days the other partner did not write: nothing to read
        for date in set(me) - set(other):
            assert me[date].perceived_desire is None and me[date].perceived_mood is None
        assert all(me[d].perceived_mood is not None for d in both)
    assert set(a) != set(b)  # the check above had days to look at


def test_items_leave_the_core_diaries_as_they_were() -> None:
    profiles = [
        Profile(5, 5, 5, 5, initiative=4.0, avoidance=0.9, reads_desire=3),
        Profile(6, 4, 6, 3),
    ]
    series = couple_diaries(profiles, END, 5, random.Random(7))
    # The stream of couple_diaries itself, as it was before the items existed
    # (date, closeness, feeling seen, stress, desire, contact, conflict).
    expected = [
        [
            (17, 5, 5, 5, 5, True, False),
            (18, 3, 6, 7, 5, False, False),
            (19, 3, 5, 7, 4, True, False),
            (20, 3, 6, 6, 5, False, False),
            (21, 4, 3, 6, 6, False, False),
        ],
        [
            (17, 6, 5, 7, 3, True, False),
            (18, 6, 4, 7, 2, False, False),
            (19, 5, 3, 8, 2, True, False),
            (20, 4, 3, 6, 1, False, False),
            (21, 5, 3, 5, 5, False, False),
        ],
    ]

    def core(days: list[DayValues]) -> list[tuple[object, ...]]:
        return [
            (
                d.date.day,
                d.closeness,
                d.feeling_seen,
                d.stress,
                d.desire,
                d.sexual_contact,
                d.conflict,
            )
            for d in days
        ]

    assert [core(days) for days in series] == expected
    assert all(d.items() == EMPTY for days in series for d in days)
    longer = couple_diaries(profiles, END, 60, random.Random(3))
    before = [list(days) for days in longer]
    filled = add_items(longer, profiles, random.Random(4))
    assert longer == before  # the input is not changed
    assert [[replace(d, **EMPTY) for d in days] for days in filled] == before
    assert any(d.items() != EMPTY for days in filled for d in days)
    assert filled == add_items(longer, profiles, random.Random(4))  # same seed, same items
