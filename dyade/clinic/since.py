""" "Since last session": a short dyadic summary of both partners' diaries. Pure, no Django.

For the therapist's two-minute read before a session: how each partner's
closeness, desire and stress moved compared with the period before, how far
apart they are, the pattern of bids for sex and their answers (who pursues,
who withdraws), how accurately each reads the other's desire (the directional
bias of Truth and Bias, West & Kenny 2011, in its simplest descriptive form),
and approach versus avoidance motives (Dewitte 2019, seed 003).

Everything is descriptive: means and counts of what the partners entered, with
a minimum number of days before anything is said. The models with standard
errors live in :mod:`dyade.clinic.dyadic`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from statistics import fmean

MIN_DAYS = 3  # fewer days than this and a mean says nothing worth reading
CHANGE = 1.0  # points on 0-10 before a change counts as up or down
GAP = 2.0  # mean points of difference between partners worth naming
BIAS = 1.5  # mean points by which a partner misreads the other's desire
APPROACH = frozenset({"closeness", "pleasure"})
AVOIDANCE = frozenset({"avoid-fight", "keep-peace"})
SCALES = ("closeness", "desire", "stress")


@dataclass(frozen=True)
class Day:
    """One partner's diary of one day (only the fields the summary reads)."""

    date: dt.date
    closeness: int | None = None
    desire: int | None = None
    stress: int | None = None
    sexual_contact: bool | None = None
    conflict: bool | None = None
    initiator: str = ""  # "me", "partner", "both"
    bid_answer: str = ""  # "no-bid", "accepted", "loving-boundary", "declined"
    motive: str = ""
    perceived_desire: int | None = None


@dataclass(frozen=True)
class Trend:
    now: float | None
    before: float | None

    @property
    def direction(self) -> str:
        """ "up", "down", "same", or "" when either period has too few days."""
        if self.now is None or self.before is None:
            return ""
        if self.now - self.before >= CHANGE:
            return "up"
        if self.before - self.now >= CHANGE:
            return "down"
        return "same"


@dataclass(frozen=True)
class PartnerSummary:
    days: int
    trends: Mapping[str, Trend]
    conflict_days: int
    initiated: int  # days this partner says they took the initiative (alone or both)
    answers: Mapping[str, int]  # their reports of how a bid was answered
    approach: int
    avoidance: int
    desire_bias: float | None  # mean(perceived partner desire - partner's own desire)
    read_days: int


@dataclass(frozen=True)
class Summary:
    since: dt.date
    until: dt.date
    partners: Mapping[str, PartnerSummary]
    gaps: Mapping[str, float | None]  # mean |A - B| on days both wrote, per scale
    pursuer: str | None  # the slot that initiates clearly more often, if any
    sentences: tuple[tuple[str, Mapping[str, object]], ...] = field(default=())


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(fmean(present), 2) if len(present) >= MIN_DAYS else None


def _partner(days: list[Day], before: list[Day], other: Mapping[dt.date, Day]) -> PartnerSummary:
    trends = {
        name: Trend(_mean(getattr(d, name) for d in days), _mean(getattr(d, name) for d in before))
        for name in SCALES
    }
    answers: dict[str, int] = {}
    for day in days:
        if day.bid_answer and day.bid_answer != "no-bid":
            answers[day.bid_answer] = answers.get(day.bid_answer, 0) + 1
    misreads = [
        day.perceived_desire - other[day.date].desire  # type: ignore[operator]
        for day in days
        if day.perceived_desire is not None
        and day.date in other
        and other[day.date].desire is not None
    ]
    return PartnerSummary(
        days=len(days),
        trends=trends,
        conflict_days=sum(1 for d in days if d.conflict),
        initiated=sum(1 for d in days if d.initiator in ("me", "both")),
        answers=answers,
        approach=sum(1 for d in days if d.motive in APPROACH),
        avoidance=sum(1 for d in days if d.motive in AVOIDANCE),
        desire_bias=round(fmean(misreads), 2) if len(misreads) >= MIN_DAYS else None,
        read_days=len(misreads),
    )


def summarise(diaries: Mapping[str, Iterable[Day]], since: dt.date, until: dt.date) -> Summary:
    """Summarise the days from ``since`` to ``until`` (inclusive) for each partner.

    The period before, of the same length, gives the trends.
    """
    length = (until - since).days + 1
    before_start = since - dt.timedelta(days=length)
    now: dict[str, list[Day]] = {}
    before: dict[str, list[Day]] = {}
    for slot, days in diaries.items():
        listed = list(days)
        now[slot] = sorted((d for d in listed if since <= d.date <= until), key=lambda d: d.date)
        before[slot] = [d for d in listed if before_start <= d.date < since]
    by_date = {slot: {d.date: d for d in days} for slot, days in now.items()}
    slots = sorted(now)
    partners = {}
    for slot in slots:
        other_slot = next((s for s in slots if s != slot), None)
        other = by_date[other_slot] if other_slot else {}
        partners[slot] = _partner(now[slot], before[slot], other)
    gaps: dict[str, float | None] = {}
    if len(slots) == 2:
        a, b = by_date[slots[0]], by_date[slots[1]]
        shared = sorted(set(a) & set(b))
        for name in ("desire", "closeness"):
            diffs = [
                abs(getattr(a[d], name) - getattr(b[d], name))
                for d in shared
                if getattr(a[d], name) is not None and getattr(b[d], name) is not None
            ]
            gaps[name] = round(fmean(diffs), 2) if len(diffs) >= MIN_DAYS else None
    pursuer = None
    if len(slots) == 2:
        first, second = (partners[s].initiated for s in slots)
        if first >= 2 * max(second, 1):
            pursuer = slots[0]
        elif second >= 2 * max(first, 1):
            pursuer = slots[1]
    summary = Summary(since, until, partners, gaps, pursuer)
    return Summary(since, until, partners, gaps, pursuer, tuple(sentences(summary)))


def sentences(summary: Summary) -> list[tuple[str, dict[str, object]]]:
    """Plain-language findings as (message id, values); the web layer words them."""
    found: list[tuple[str, dict[str, object]]] = []
    for slot, partner in summary.partners.items():
        if partner.days < MIN_DAYS:
            found.append(("few-days", {"slot": slot, "days": partner.days}))
            continue
        for name, trend in partner.trends.items():
            if trend.direction in ("up", "down"):
                found.append(
                    (
                        f"{name}-{trend.direction}",
                        {"slot": slot, "now": trend.now, "before": trend.before},
                    )
                )
        if partner.desire_bias is not None and abs(partner.desire_bias) >= BIAS:
            key = "reads-desire-higher" if partner.desire_bias > 0 else "reads-desire-lower"
            found.append((key, {"slot": slot, "points": abs(partner.desire_bias)}))
        if partner.avoidance > partner.approach and partner.avoidance >= 2:
            found.append(("avoidance-motives", {"slot": slot, "days": partner.avoidance}))
    for name, gap in summary.gaps.items():
        if gap is not None and gap >= GAP:
            found.append((f"{name}-gap", {"points": gap}))
    if summary.pursuer is not None:
        found.append(("pursues-sexually", {"slot": summary.pursuer}))
    return found


def against_cycle(
    pursuer: str | None, sex_positions: Mapping[str, str | None]
) -> tuple[str, dict[str, object]] | None:
    """Compare the diary's pattern of initiative with the cycle map's positions around sex.

    ``sex_positions`` maps each slot to its position around sex on the latest
    cycle map ("pursue", "withdraw", "mixed", "none" or None). The result is a
    message id and its values, or None when there is nothing to say:

    - ``cycle-fits``: the partner who initiates in the diary pursues on the map;
    - ``cycle-differs``: the diary's initiator withdraws on the map, or the map
      has the other partner pursuing (the positions may have turned, or the map
      may be wrong: worth checking in session);
    - ``cycle-open``: the diary shows an initiator and the map has no pursuer
      or withdrawer around sex yet;
    - ``cycle-quiet``: the map has a pursuer around sex and the diary shows no
      clear initiator in this period.
    """
    pursuers = sorted(slot for slot, position in sex_positions.items() if position == "pursue")
    withdrawers = {slot for slot, position in sex_positions.items() if position == "withdraw"}
    if pursuer is None:
        if pursuers:
            return ("cycle-quiet", {"slot": pursuers[0]})
        return None
    if pursuer in pursuers:
        return ("cycle-fits", {"slot": pursuer})
    if pursuer in withdrawers or pursuers:
        return ("cycle-differs", {"slot": pursuer})
    return ("cycle-open", {"slot": pursuer})
