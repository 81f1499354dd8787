"""Planning and recording a case's sessions; each change audited in its own transaction.

The caller has checked with :mod:`dyade.sessions.access` that the request's user
is one of the case's therapists. A planning form sent twice (a double click, a
resend) makes one session: :func:`dyade.db.once.create_once_by_request_id` on its request id.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from dyade.audit.services import record
from dyade.cases.models import Case
from dyade.clinic import check_ins as rules
from dyade.db.once import create_once_by_request_id
from dyade.sessions.models import Appointment, Attendance

HELD = (Attendance.BOTH, Attendance.A, Attendance.B)


class NotPlanned(Exception):
    """Only a session still planned can be moved."""


def as_session(appointment: Appointment) -> rules.Session:
    """The appointment as the pure rules see it."""
    return rules.Session(
        appointment.starts_at,
        appointment.minutes,
        appointment.attendance,
        appointment.planned_for,
    )


def plan(
    request: HttpRequest,
    case: Case,
    *,
    starts_at: dt.datetime,
    minutes: int,
    planned_for: str,
    therapist: Any,
    request_id: uuid.UUID | None,
) -> tuple[Appointment, bool]:
    """Plan a session of ``case``; ``(session, created)``, the first one on a resend."""

    def create() -> Appointment:
        appointment = Appointment.objects.create(
            case=case,
            starts_at=starts_at,
            minutes=minutes,
            planned_for=planned_for,
            therapist=therapist,
            created_by=request.user,
            request_id=request_id,
        )
        record(
            request,
            "appointment.create",
            obj=appointment,
            case=case,
            detail=f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M} {minutes} min {planned_for}",
        )
        return appointment

    return create_once_by_request_id(Appointment, request_id, create, case=case)


def move(
    request: HttpRequest,
    appointment: Appointment,
    *,
    starts_at: dt.datetime,
    minutes: int,
    planned_for: str,
    therapist: Any,
) -> Appointment:
    """Change the time, length, who it is for or the therapist of a planned session."""
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.attendance != Attendance.PLANNED:
            raise NotPlanned
        locked.starts_at = starts_at
        locked.minutes = minutes
        locked.planned_for = planned_for
        locked.therapist = therapist
        locked.save(update_fields=["starts_at", "minutes", "planned_for", "therapist"])
        record(
            request,
            "appointment.update",
            obj=locked,
            case=locked.case,
            detail=f"moved to {timezone.localtime(starts_at):%Y-%m-%d %H:%M} "
            f"{minutes} min {planned_for}",
        )
    return locked


def set_attendance(request: HttpRequest, appointment: Appointment, attendance: str) -> bool:
    """Record who came (or that it did not take place); False if nothing changed."""
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.attendance == attendance:
            return False
        before = locked.attendance
        locked.attendance = attendance
        locked.save(update_fields=["attendance"])
        record(
            request,
            "appointment.update",
            obj=locked,
            case=locked.case,
            detail=f"attendance {before} -> {attendance}",
        )
    appointment.attendance = attendance
    return True


def next_planned(appointments: list[Appointment], now: dt.datetime) -> Appointment | None:
    """The first session still planned that has not ended by ``now``."""
    coming = [
        a
        for a in appointments
        if a.attendance == Attendance.PLANNED and as_session(a).ends_at > now
    ]
    return min(coming, key=lambda a: (a.starts_at, a.pk), default=None)


def preselected(appointments: list[Appointment], now: dt.datetime) -> Appointment | None:
    """The session a form about "this session" starts on: today's, else the latest held.

    Today's session (not cancelled) wins, the one closest to ``now`` if there are
    several; otherwise the latest session recorded as held before ``now``.
    """
    today = timezone.localtime(now).date()
    todays = [
        a
        for a in appointments
        if timezone.localtime(a.starts_at).date() == today and a.attendance != Attendance.CANCELLED
    ]
    if todays:
        return min(todays, key=lambda a: abs((a.starts_at - now).total_seconds()))
    held = [a for a in appointments if a.attendance in HELD and a.starts_at <= now]
    return max(held, key=lambda a: (a.starts_at, a.pk), default=None)
