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


# --- questionnaires for the demo ------------------------------------------------

# Sent intakes, by partner e-mail: answers keyed by linkId of ``dyade-intake``.
# Sanne pursues in daily life and holds off around sex; Thomas withdraws in
# daily life and initiates sex: the flip of seed 002.
DEMO_INTAKES: dict[str, dict[str, object]] = {
    "sanne@partner.example": {
        "story.duration": "10-20",
        "story.reason": "We maken steeds dezelfde ruzie en praten bijna niet meer echt.",
        "story.hopes": "Dat ik me weer gezien voel, en dat we weer kunnen lachen samen.",
        "commitment.continue": "yes",
        "commitment.love": 7,
        "commitment.detachment": 2,
        "commitment.motivation": 9,
        "conflict.position": "pursue",
        "conflict.partner-position": "withdraw",
        "conflict.frequency": "weekly",
        "conflict.escalation": 6,
        "sex.position": "avoid",
        "sex.satisfaction": 3,
        "sex.desire": 3,
        "sex.frequency": "lt-monthly",
        "sex.frequency-wish": "monthly",
        "sex.motives": ["keep-peace", "closeness"],
        "sex.changed": "1-5",
        "balance.self": 5,
        "balance.calm": 3,
        "balance.grounded": 4,
        "balance.endurance": 6,
        "wellbeing.stress": 7,
        "wellbeing.exhaustion": 7,
        "safety.physical": "never",
        "safety.fear": "no",
    },
    "thomas@partner.example": {
        "story.duration": "10-20",
        "story.hopes": "Minder ruzie. Dat ze merkt dat ik echt mijn best doe.",
        "commitment.continue": "yes",
        "commitment.love": 8,
        "commitment.detachment": 3,
        "commitment.motivation": 7,
        "conflict.position": "withdraw",
        "conflict.partner-position": "pursue",
        "conflict.frequency": "weekly",
        "sex.position": "initiate",
        "sex.satisfaction": 4,
        "sex.desire": 8,
        "sex.frequency": "lt-monthly",
        "sex.frequency-wish": "several-weekly",
        "sex.motives": ["closeness", "pleasure", "reassurance"],
        "sex.rejection": "Dat ik niet goed genoeg ben.",
        "balance.self": 6,
        "balance.calm": 5,
        "balance.grounded": 3,
        "balance.endurance": 4,
        "wellbeing.stress": 5,
        "safety.physical": "never",
        "safety.fear": "no",
    },
    "daan@partner.example": {
        "story.hopes": "Weer tijd voor elkaar vinden, niet alleen naast elkaar leven.",
        "commitment.continue": "unsure",
        "commitment.love": 6,
        "commitment.detachment": 5,
        "conflict.position": "withdraw",
        "sex.position": "avoid",
        "sex.desire": 2,
        "wellbeing.stress": 9,
        "wellbeing.exhaustion": 9,
        "wellbeing.mood": "most-days",
        "health.medication": "yes",
        "safety.physical": "never",
        "safety.joint-sessions": "not-always",
    },
}

# Half-filled intakes (not sent): the partner resumes where they stopped.
DEMO_OPEN_INTAKES: dict[str, tuple[dict[str, object], int]] = {
    "yusuf@partner.example": (
        {"story.hopes": "Dat Daan weer lacht.", "commitment.continue": "yes", "commitment.love": 9},
        2,
    ),
}

# ECR-RS (partner) answers 1-7 for items 1-9; the demo practice imports
# placeholder item texts so that the scale can be shown without its licensed text.
DEMO_ECR_RS: dict[str, list[int]] = {
    "sanne@partner.example": [5, 5, 4, 5, 2, 3, 6, 6, 5],
    "thomas@partner.example": [3, 3, 3, 2, 5, 5, 3, 2, 2],
}


# --- session work of the demo (guidance issue) ------------------------------------
# Sanne and Thomas: EFT was started after the intake; the therapist has mapped
# their cycle (published to them) and noted two sessions. In the second one
# Thomas feels powerless, so a switch to differentiation is waiting.

DEMO_TRACKS: dict[str, list[dict[str, object]]] = {
    "Sanne & Thomas": [
        {
            "days_ago": 21,
            "track": "eft",
            "stage": 1,
            "signals": ["eft.indicated"],
            "reason": "Liefde en motivatie bij allebei; we beginnen met de-escaleren.",
        }
    ],
}
DEMO_OBSERVATIONS: dict[str, list[dict[str, object]]] = {
    "Sanne & Thomas": [
        {
            "days_ago": 14,
            "eft_stage": 1,
            "love_felt": True,
            "motivation_a": 8,
            "motivation_b": 6,
            "escalation": False,
            "note": "De ruzie over de jassen van de kinderen samen uitgeplozen.",
        },
        {
            "days_ago": 3,
            "eft_stage": 1,
            "love_felt": True,
            "powerlessness": True,
            "emotional_safety": False,
            "note": "Thomas zegt dat alleen Sanne zijn onrust kan wegnemen.",
        },
    ],
}
DEMO_CYCLES: dict[str, dict[str, object]] = {
    "Sanne & Thomas": {
        "A": {
            "daily": {
                "position": "pursue",
                "behaviour": "Ze zegt er iets van en blijft doorpraten als hij stilvalt.",
                "perceived_as": "Hij hoort: ik doe het weer niet goed.",
                "secondary_emotion": "Boosheid",
                "primary_emotion": "Eenzaamheid",
                "need": "Gezien worden: doe ik ertoe voor jou?",
            },
            "sex": {
                "position": "withdraw",
                "behaviour": "Ze draait zich om en zegt dat ze moe is.",
                "perceived_as": "Hij voelt: ze wil mij niet.",
                "secondary_emotion": "Irritatie",
                "primary_emotion": "",
                "need": "Eerst verbinding voelen, dan pas vrijen.",
            },
        },
        "B": {
            "daily": {
                "position": "withdraw",
                "behaviour": "Hij zwijgt en gaat achter zijn laptop zitten.",
                "perceived_as": "Zij voelt: ik ben hem niet belangrijk.",
                "secondary_emotion": "Verdoofd",
                "primary_emotion": "Schaamte, bang om te falen",
                "need": "",
            },
            "sex": {
                "position": "pursue",
                "behaviour": "Hij zoekt 's avonds laat toenadering in bed.",
                "perceived_as": "Zij voelt: het gaat om mijn lijf, niet om mij.",
                "secondary_emotion": "",
                "primary_emotion": "Afgewezen voelen",
                "need": "Via aanraking voelen dat hij gewild is.",
            },
        },
    },
}
DEMO_READINGS: dict[str, list[tuple[str, str]]] = {
    "Sanne & Thomas": [("A", "pursue-withdraw"), ("B", "pursue-withdraw"), ("B", "basic-needs")],
}
