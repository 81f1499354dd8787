"""'Since last session' starts after the last session held, else after the last observation.

Both the "since last session" screen and the session brief take the newest
session recorded as held (both partners, A alone or B alone). A planned or a
cancelled session does not count; only a case without any held session falls
back to the therapist's newest observation, and a case with neither shows the
last two weeks.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dyade.audit.models import AuditEvent
from dyade.cases.models import Case
from dyade.overview import since as since_words
from dyade.sessions.models import Appointment, Observation
from tests.conftest import World, client_for


def _at(days_ago: int, hour: int = 10) -> dt.datetime:
    """``hour`` o'clock local time, ``days_ago`` days before today."""
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _session(world: World, days_ago: int, attendance: str, case: Case | None = None) -> None:
    Appointment.objects.create(
        case=case or world.case,
        starts_at=_at(days_ago),
        attendance=attendance,
        created_by=world.therapist,
    )


def _observation(world: World, days_ago: int) -> None:
    Observation.objects.create(
        case=world.case,
        created_by=world.therapist,
        date=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def _since(world: World) -> dict[str, object]:
    response = client_for(world.therapist).get(reverse("cases:since", args=[world.case.pk]))
    assert response.status_code == 200
    return {
        "since": response.context["since"],
        "from_session": response.context["from_session"],
        "held": response.context["from_held_session"],
        "body": response.content.decode(),
    }


def _brief(world: World) -> dict[str, object]:
    response = client_for(world.therapist).get(reverse("cases:brief", args=[world.case.pk]))
    assert response.status_code == 200
    return {
        "since": response.context["since"],
        "last": response.context["last_session"],
        "held": response.context["from_held_session"],
    }


def _day(days_ago: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days_ago)


# --- the rule itself, without a database ---------------------------------------------


class _Row:
    def __init__(self, starts_at: dt.datetime, attendance: str) -> None:
        self.starts_at = starts_at
        self.attendance = attendance


def test_only_sessions_held_by_now_count() -> None:
    now = _at(0, 12)
    rows = [
        _Row(_at(9), "both"),
        _Row(_at(6), "A"),
        _Row(_at(4), "B"),
        _Row(_at(2), "cancelled"),
        _Row(_at(1), "planned"),
        _Row(_at(-3), "both"),  # recorded as held but still ahead: not counted
    ]
    assert since_words.held_starts(rows, now) == [_at(9), _at(6), _at(4)]


def test_a_held_session_wins_over_a_newer_observation() -> None:
    found = since_words.last_session([_at(5), _at(8)], [_day(2), _day(9)])
    assert found == since_words.LastSession(_day(5), True)
    when = since_words.period(found, _day(0))
    assert when.since == _day(4) and when.from_session and when.held


def test_without_a_held_session_the_newest_observation_is_used() -> None:
    found = since_words.last_session([], [_day(9), _day(3)])
    assert found == since_words.LastSession(_day(3), False)
    when = since_words.period(found, _day(0))
    assert when.since == _day(2) and when.from_session and not when.held


def test_with_neither_the_last_two_weeks_are_shown() -> None:
    when = since_words.period(since_words.last_session([], []), _day(0))
    assert when.since == _day(since_words.DEFAULT_DAYS - 1)
    assert not when.from_session and not when.held


def test_a_session_held_just_after_midnight_counts_on_its_local_day() -> None:
    early = timezone.make_aware(dt.datetime.combine(_day(3), dt.time(0, 30)))
    assert early.astimezone(dt.UTC).date() == _day(4)  # in UTC it is still the day before
    assert since_words.last_session([early], []).day == _day(3)


# --- the screen and the brief ---------------------------------------------------------


def test_the_screen_and_the_brief_start_after_the_last_held_session(world: World) -> None:
    _observation(world, 2)  # newer than the session: the session still decides
    _session(world, 9, "both")
    _session(world, 5, "A")
    screen = _since(world)
    assert screen["since"] == _day(4)
    assert screen["from_session"] is True and screen["held"] is True
    assert "the last session" in str(screen["body"]) or "de laatste sessie" in str(screen["body"])
    brief = _brief(world)
    assert brief["since"] == _day(4) and brief["last"] == _day(5) and brief["held"] is True


def test_with_only_observations_both_start_after_the_newest_one(world: World) -> None:
    _observation(world, 10)
    _observation(world, 6)
    screen = _since(world)
    assert screen["since"] == _day(5)
    assert screen["from_session"] is True and screen["held"] is False
    brief = _brief(world)
    assert brief["since"] == _day(5) and brief["last"] == _day(6) and brief["held"] is False


@pytest.mark.parametrize("attendance", ["planned", "cancelled"])
def test_a_planned_or_cancelled_session_does_not_count(world: World, attendance: str) -> None:
    _observation(world, 8)
    _session(world, 3, attendance)
    _session(world, 1, attendance)
    assert _since(world)["since"] == _day(7)
    brief = _brief(world)
    assert brief["since"] == _day(7) and brief["last"] == _day(8) and brief["held"] is False


def test_a_planned_or_cancelled_session_alone_leaves_the_last_two_weeks(world: World) -> None:
    _session(world, 3, "cancelled")
    _session(world, 2, "planned")
    screen = _since(world)
    assert screen["since"] == _day(since_words.DEFAULT_DAYS - 1)
    assert screen["from_session"] is False
    assert _brief(world)["last"] is None


def test_another_case_s_session_does_not_count(world: World) -> None:
    _observation(world, 8)
    _session(world, 2, "both", case=world.other_case)
    assert _since(world)["since"] == _day(7)
    assert _brief(world)["since"] == _day(7)


def test_the_screen_asks_as_many_queries_with_a_session_as_with_an_observation(
    world: World,
) -> None:
    url = reverse("cases:since", args=[world.case.pk])
    client = client_for(world.therapist)

    def count() -> int:
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    _observation(world, 6)
    observed = count()
    _session(world, 4, "both")
    assert count() == observed
    # The period read is the one the summary covers, and it is audited per partner.
    details = set(
        AuditEvent.objects.filter(event="diary.read", case_id=world.case.pk).values_list(
            "detail", flat=True
        )
    )
    assert f"since {_day(5).isoformat()}" in details and f"since {_day(3).isoformat()}" in details


def test_the_brief_with_a_held_session_stays_within_fifteen_queries(world: World) -> None:
    _session(world, 4, "both")
    _observation(world, 6)
    client = client_for(world.therapist)
    url = reverse("cases:brief", args=[world.case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured.captured_queries) <= 15
