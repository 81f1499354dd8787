"""Plausible demo diaries: pure Python, deterministic for a given seed.

Each couple shares a daily "climate" (a slow random walk) that both partners
feel, plus each partner's own level and noise, so partners correlate the way
dyadic diary data do. A therapy trend lets the couple improve slowly. Days are
sometimes skipped, as in real diaries.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    closeness: float
    feeling_seen: float
    stress: float
    desire: float
    trend: float = 0.0  # change in closeness and feeling seen over the whole period
    compliance: float = 0.9


@dataclass(frozen=True)
class DayValues:
    date: dt.date
    closeness: int
    feeling_seen: int
    stress: int
    desire: int
    sexual_contact: bool
    conflict: bool


def _clamp(value: float) -> int:
    return max(0, min(10, round(value)))


def couple_diaries(
    profiles: list[Profile],
    end: dt.date,
    days: int,
    rng: random.Random,
    conflict_rate: float = 0.2,
    contact_rate: float = 0.2,
) -> list[list[DayValues]]:
    """Return one list of days per partner (the same couple climate for all of them)."""
    climate = 0.0
    series: list[list[DayValues]] = [[] for _ in profiles]
    for index in range(days):
        day = end - dt.timedelta(days=days - 1 - index)
        progress = index / max(days - 1, 1)
        climate = 0.7 * climate + rng.gauss(0, 1.0)
        conflict = rng.random() < conflict_rate * (1.3 - 0.6 * progress) + max(0, -climate) * 0.08
        mean_desire = sum(p.desire for p in profiles) / len(profiles)
        contact = rng.random() < contact_rate * (0.5 + mean_desire / 10) * (
            0.6 if conflict else 1.1
        )
        for who, profile in enumerate(profiles):
            if rng.random() > profile.compliance:
                continue
            lift = profile.trend * progress
            dip = 1.8 if conflict else 0.0
            series[who].append(
                DayValues(
                    date=day,
                    closeness=_clamp(profile.closeness + lift + climate - dip + rng.gauss(0, 0.8)),
                    feeling_seen=_clamp(
                        profile.feeling_seen + lift + 0.8 * climate - dip + rng.gauss(0, 0.9)
                    ),
                    stress=_clamp(profile.stress - 0.5 * climate + dip / 2 + rng.gauss(0, 1.0)),
                    desire=_clamp(profile.desire + 0.4 * climate + rng.gauss(0, 1.0)),
                    sexual_contact=contact,
                    # Partners do not always agree that there was a conflict.
                    conflict=conflict if rng.random() > 0.1 else not conflict,
                )
            )
    return series
