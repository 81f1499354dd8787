"""When a reminder is due. Pure: no Django.

A partner chooses a time of day for each reminder. A reminder is due once a
day, from that time on, and only for a few hours: a server that was down all
evening does not wake anyone at three in the morning with yesterday's nudge.
"""

from __future__ import annotations

import datetime as dt

TOPICS = ("exercises", "diary")
GRACE = dt.timedelta(hours=3)


def is_due(now: dt.datetime, at: dt.time, last_sent_on: dt.date | None) -> bool:
    """Whether a reminder for ``at`` (local time) should go out at ``now`` (local time).

    Due when ``at`` has passed today, no more than :data:`GRACE` ago, and it
    was not yet sent today.
    """
    today = now.date()
    if last_sent_on is not None and last_sent_on >= today:
        return False
    moment = dt.datetime.combine(today, at, tzinfo=now.tzinfo)
    return moment <= now < moment + GRACE
