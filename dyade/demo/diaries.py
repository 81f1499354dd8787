"""Plausible demo diaries: pure Python, deterministic for a given seed.

Each couple shares a daily "climate" (a slow random walk) that both partners
feel, plus each partner's own level and noise, so partners correlate the way
dyadic diary data do. A therapy trend lets the couple improve slowly. Days are
sometimes skipped, as in real diaries.

The optional items (kind of contact, who took the initiative, how a bid for
sex was answered, satisfaction, motive, and how each partner reads the other's
desire and mood) are added afterwards by :func:`add_items`, with a random
generator of their own, so the core ratings stay exactly what
:func:`couple_diaries` made. On a day with contact both partners report the
same kind and the same initiative, each from their own point of view; who
initiates follows each partner's ``initiative``, and ``avoidance`` is the chance
that a partner has sex to avoid a fight or keep the peace. On some days without
contact one partner made a bid that was turned down, with a loving boundary
more often as therapy goes on; both report the same answer. Each partner reads
the other's desire as it was that day plus their own ``reads_desire`` and
some noise, and only on days they both wrote.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Profile:
    closeness: float
    feeling_seen: float
    stress: float
    desire: float
    trend: float = 0.0  # change in closeness and feeling seen over the whole period
    compliance: float = 0.9
    initiative: float = 1.0  # relative tendency to initiate sex (weights, not chances)
    avoidance: float = 0.2  # chance that sex is to avoid a fight or keep the peace
    reads_desire: float = 0.0  # how much higher this partner reads the other's desire


@dataclass(frozen=True)
class DayValues:
    date: dt.date
    closeness: int
    feeling_seen: int
    stress: int
    desire: int
    sexual_contact: bool
    conflict: bool
    # Optional items ("" or None when not answered), filled in by add_items.
    contact_kind: str = ""
    initiator: str = ""
    bid_answer: str = ""
    sexual_satisfaction: int | None = None
    motive: str = ""
    perceived_desire: int | None = None
    perceived_mood: int | None = None

    def items(self) -> dict[str, object]:
        """The optional items by field name, as the diary stores them."""
        return {name: getattr(self, name) for name in OPTIONAL_ITEMS}


OPTIONAL_ITEMS = (
    "contact_kind",
    "initiator",
    "bid_answer",
    "sexual_satisfaction",
    "motive",
    "perceived_desire",
    "perceived_mood",
)


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


# The kinds of contact and how often each comes up (weights).
CONTACT_KINDS = ("affection", "touch", "intercourse", "other")
KIND_WEIGHTS = (3, 3, 5, 1)


def _motive(profile: Profile, day: DayValues, rng: random.Random) -> str:
    if rng.random() < profile.avoidance:
        return "avoid-fight" if rng.random() < (0.7 if day.conflict else 0.3) else "keep-peace"
    if rng.random() < 0.05:
        return "other"
    return "pleasure" if rng.random() < 0.2 + 0.05 * day.desire else "closeness"


def add_items(
    series: list[list[DayValues]],
    profiles: list[Profile],
    rng: random.Random,
    bid_rate: float = 0.15,
    both_rate: float = 0.15,
) -> list[list[DayValues]]:
    """Return ``series`` (from :func:`couple_diaries`) with the optional items filled in.

    ``series`` itself is not changed and no core rating is touched. On a day
    with contact the couple agrees on the kind and on who initiated: "both"
    with chance ``both_rate``, otherwise one partner, drawn by ``initiative``
    (for a single partner the absent one weighs 1.0); each reports it as "me"
    or "partner". Satisfaction and motive are each partner's own. On a day
    without contact a bid was turned down with chance ``bid_rate``, else
    "no-bid". Perceived desire and mood exist only on days both partners wrote.
    """
    if len(series) != len(profiles):
        raise ValueError("one profile per partner")
    by_date = [{day.date: day for day in days} for days in series]
    dates = sorted(set().union(*by_date))
    if not dates:
        return [list(days) for days in series]
    span = max((dates[-1] - dates[0]).days, 1)
    weights = [p.initiative for p in profiles] + ([1.0] if len(profiles) == 1 else [])
    filled: list[dict[dt.date, DayValues]] = [dict(entries) for entries in by_date]
    for date in dates:
        written = {who: entries[date] for who, entries in enumerate(by_date) if date in entries}
        progress = (date - dates[0]).days / span
        if any(day.sexual_contact for day in written.values()):
            kind = rng.choices(CONTACT_KINDS, KIND_WEIGHTS)[0]
            initiator = (
                None if rng.random() < both_rate else rng.choices(range(len(weights)), weights)[0]
            )
            for who, day in written.items():
                if not day.sexual_contact:
                    continue
                motive = _motive(profiles[who], day, rng)
                avoiding = motive in ("avoid-fight", "keep-peace")
                satisfaction = _clamp(
                    1.5
                    + 0.35 * day.desire
                    + 0.3 * day.closeness
                    - (2.0 if avoiding else 0.0)
                    + rng.gauss(0, 1.2)
                )
                filled[who][date] = replace(
                    day,
                    contact_kind=kind,
                    initiator="both"
                    if initiator is None
                    else ("me" if initiator == who else "partner"),
                    bid_answer="accepted",
                    sexual_satisfaction=satisfaction,
                    motive=motive,
                )
        else:
            answer = "no-bid"
            if rng.random() < bid_rate:
                # In therapy a plain "no" slowly turns into a loving boundary.
                answer = "loving-boundary" if rng.random() < 0.3 + 0.4 * progress else "declined"
            for who in written:
                filled[who][date] = replace(filled[who][date], bid_answer=answer)
        if len(profiles) == 2 and len(written) == 2:
            for who, other in ((0, 1), (1, 0)):
                seen = written[other]
                mood = 5 + 0.5 * (seen.closeness - 5) - 0.3 * (seen.stress - 5)
                mood -= 1.0 if written[who].conflict else 0.0
                filled[who][date] = replace(
                    filled[who][date],
                    perceived_desire=_clamp(
                        seen.desire + profiles[who].reads_desire + rng.gauss(0, 1.0)
                    ),
                    perceived_mood=_clamp(mood + rng.gauss(0, 1.0)),
                )
    return [
        [entries[day.date] for day in days] for entries, days in zip(filled, series, strict=True)
    ]
