"""What both diaries say since the last session, in plain words: one function for every page.

The "since last session" screen and the session brief both show it. The caller
reads the diary (through the diary's access module), the case's sessions and
observations and the newest cycle map, writes the audit events, and hands them
here; nothing here reads the database.

The last session is the newest one recorded as held (both partners, A alone or
B alone); a planned or cancelled session does not count. Only a case without
any held session falls back to the date of the therapist's newest observation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dyade.cases.models import Partner
from dyade.clinic import cycle as cycle_core
from dyade.clinic import since as rules
from dyade.sessions.models import Attendance

DEFAULT_DAYS = 14
HELD = (Attendance.BOTH, Attendance.A, Attendance.B)  # a session that took place

MESSAGES = {
    "few-days": lambda v: (
        ngettext(
            "%(name)s wrote on only %(days)s day; too few to say much.",
            "%(name)s wrote on only %(days)s days; too few to say much.",
            v["days"],
        )
        % v
    ),
    "closeness-up": lambda v: (
        _("%(name)s felt closer than the weeks before (%(before)s → %(now)s).") % v
    ),
    "closeness-down": lambda v: (
        _("%(name)s felt less close than the weeks before (%(before)s → %(now)s).") % v
    ),
    "desire-up": lambda v: _("%(name)s felt more desire than before (%(before)s → %(now)s).") % v,
    "desire-down": lambda v: _("%(name)s felt less desire than before (%(before)s → %(now)s).") % v,
    "stress-up": lambda v: _("%(name)s felt more stress than before (%(before)s → %(now)s).") % v,
    "stress-down": lambda v: _("%(name)s felt less stress than before (%(before)s → %(now)s).") % v,
    "reads-desire-higher": lambda v: (
        _(
            "%(name)s reads the partner's desire as higher than the partner reports "
            "(by %(points)s on average)."
        )
        % v
    ),
    "reads-desire-lower": lambda v: (
        _(
            "%(name)s reads the partner's desire as lower than the partner reports "
            "(by %(points)s on average)."
        )
        % v
    ),
    "avoidance-motives": lambda v: (
        ngettext(
            "%(name)s mostly had sex to avoid a fight or keep the peace (%(days)s day).",
            "%(name)s mostly had sex to avoid a fight or keep the peace (%(days)s days).",
            v["days"],
        )
        % v
    ),
    "desire-gap": lambda v: _("Their desire differs by %(points)s points on an average day.") % v,
    "closeness-gap": lambda v: (
        _("How close they feel differs by %(points)s points on an average day.") % v
    ),
    "pursues-sexually": lambda v: (
        _("%(name)s takes the initiative for sex clearly more often.") % v
    ),
    "cycle-fits": lambda v: _("This fits the cycle map, where %(name)s pursues around sex.") % v,
    "cycle-differs": lambda v: (
        _(
            "The cycle map does not have %(name)s pursuing around sex: the positions may "
            "have turned, or the map needs another look together."
        )
        % v
    ),
    "cycle-open": lambda v: (
        _(
            "The cycle map has no positions around sex yet; the diary suggests %(name)s "
            "pursues there."
        )
        % v
    ),
    "cycle-quiet": lambda v: (
        _(
            "On the cycle map %(name)s pursues around sex, but the diary shows no clear "
            "initiator in this period."
        )
        % v
    ),
}


def _days(entries: list[dict[str, Any]]) -> list[rules.Day]:
    return [
        rules.Day(
            date=entry["date"],
            closeness=entry.get("closeness"),
            desire=entry.get("desire"),
            stress=entry.get("stress"),
            sexual_contact=entry.get("sexual_contact"),
            conflict=entry.get("conflict"),
            initiator=entry.get("initiator", ""),
            bid_answer=entry.get("bid_answer", ""),
            motive=entry.get("motive", ""),
            perceived_desire=entry.get("perceived_desire"),
        )
        for entry in entries
    ]


def _words(key: str, values: dict[str, Any], names: dict[str, str]) -> str:
    shown = {k: formats.localize(v) if isinstance(v, float) else v for k, v in values.items()}
    if "slot" in values:
        shown["name"] = names.get(values["slot"], values["slot"])
    return str(MESSAGES[key](shown))


@dataclass(frozen=True)
class LastSession:
    """The day of the last session, and whether it is a held session or an observation."""

    day: dt.date | None
    held: bool


def held_starts(appointments: Iterable[Any], now: dt.datetime) -> list[dt.datetime]:
    """When each of ``appointments`` recorded as held began, if it began by ``now``."""
    return [a.starts_at for a in appointments if a.attendance in HELD and a.starts_at <= now]


def last_session(held: Iterable[dt.datetime], observed: Iterable[dt.date]) -> LastSession:
    """The day (local time) of the newest held session, given when each began; without
    one, the newest observation day; without either, no day."""
    days = [timezone.localtime(starts_at).date() for starts_at in held]
    if days:
        return LastSession(max(days), True)
    return LastSession(max(observed, default=None), False)


@dataclass(frozen=True)
class Period:
    """The days summarised (``since`` to ``until``) and the first day to read for the trends."""

    since: dt.date
    until: dt.date
    read_from: dt.date
    from_session: bool  # it starts the day after the last session (or observation)
    held: bool = False  # that day is a held session, not an observation


def period(last: dt.date | LastSession | None, until: dt.date) -> Period:
    """Since the day after the last session, or the last two weeks without one."""
    found = last if isinstance(last, LastSession) else LastSession(last, False)
    from_session = found.day is not None and found.day < until
    since = (
        found.day + dt.timedelta(days=1)  # type: ignore[operator]
        if from_session
        else until - dt.timedelta(days=DEFAULT_DAYS - 1)
    )
    # summarise() holds the period against one as long just before it.
    read_from = since - dt.timedelta(days=(until - since).days + 1)
    return Period(since, until, read_from, from_session, from_session and found.held)


def summary(
    partners: list[Partner],
    window: dict[int, list[dict[str, Any]]],
    when: Period,
    cycle_map: cycle_core.CycleMap,
) -> dict[str, Any]:
    """The summary of ``window`` (entries per partner id) over ``when``, in words.

    ``cycle_map`` is the case's newest map (an empty one when there is none):
    who takes the initiative for sex is held against its positions.
    """
    diaries = {partner.slot: _days(window.get(partner.pk, [])) for partner in partners}
    found = rules.summarise(diaries, when.since, when.until)
    names = {p.slot: p.name for p in partners}
    cycle_line = None
    if len(partners) == 2:
        positions = {
            p.slot: (
                position.value if (position := cycle_map.side(p.slot, "sex").position) else None
            )
            for p in partners
        }
        against = rules.against_cycle(found.pursuer, positions)
        if against is not None:
            cycle_line = _words(against[0], dict(against[1]), names)
    return {
        "summary": found,
        "since": when.since,
        "until": when.until,
        "from_session": when.from_session,
        "from_held_session": when.held,
        "lines": [_words(key, dict(values), names) for key, values in found.sentences],
        "cycle_line": cycle_line,
        "partners": [(p, found.partners[p.slot]) for p in partners],
    }
