"""When a reminder is due (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from dyade.clinic.reminders import GRACE, is_due

AMS = dt.timezone(dt.timedelta(hours=1))
AT = dt.time(20, 30)


def local(hour: int, minute: int = 0, day: int = 21) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=AMS)


@pytest.mark.parametrize(
    ("now", "last", "due"),
    [
        (local(20, 29), None, False),  # not yet
        (local(20, 30), None, True),  # on the minute
        (local(21, 15), dt.date(2026, 11, 20), True),  # sent yesterday: due again today
        (local(21, 15), dt.date(2026, 11, 21), False),  # already sent today
        (local(23, 29), None, True),  # within the grace period
        (local(23, 30), None, False),  # three hours late: skip, not at night
        (local(3, 0, day=22), None, False),  # the next night
    ],
)
def test_is_due(now: dt.datetime, last: dt.date | None, due: bool) -> None:
    assert is_due(now, AT, last) is due


def test_grace_is_a_few_hours() -> None:
    assert dt.timedelta(hours=1) <= GRACE <= dt.timedelta(hours=6)
