"""Who may see sessions, observations, signals, the track and cycle maps, on the policy core.

All clinical: a case's therapists only, with three exceptions. A cycle map version
that a therapist has published is seen by both partners of the case, and so is a
closing summary a therapist has given them (until it is withdrawn). A session
(an appointment) is seen by the partners it is planned for or who came: both
partners see a joint session, a partner sees their own session alone, and a
session with the other partner alone is not shown to them
(:func:`dyade.clinic.check_ins.visible_to`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from dyade.cases import policy
from dyade.cases.models import Case, Partner
from dyade.sessions.models import (
    Appointment,
    Attendance,
    CycleVersion,
    Observation,
    PartnerSummary,
    PlannedFor,
    SignalDecision,
    TrackChange,
)


def can_use_guidance(user: Any, case: Case) -> bool:
    """Observations, signals and decisions, the track and draft cycle maps."""
    return policy.is_case_therapist(user, case)


def case_observations(user: Any, case: Case) -> QuerySet[Observation]:
    if not can_use_guidance(user, case):
        return Observation.objects.none()
    return Observation.objects.filter(case=case)


def case_track_changes(user: Any, case: Case) -> QuerySet[TrackChange]:
    if not can_use_guidance(user, case):
        return TrackChange.objects.none()
    return TrackChange.objects.filter(case=case)


def case_signal_decisions(user: Any, case: Case) -> QuerySet[SignalDecision]:
    if not can_use_guidance(user, case):
        return SignalDecision.objects.none()
    return SignalDecision.objects.filter(case=case)


def case_cycle_versions(user: Any, case: Case) -> QuerySet[CycleVersion]:
    """Every version for the case's therapists; only published ones for its partners."""
    if can_use_guidance(user, case):
        return CycleVersion.objects.filter(case=case)
    if policy.own_case_partner(user, case.pk) is not None:
        return CycleVersion.objects.filter(case=case, published_at__isnull=False)
    return CycleVersion.objects.none()


def published_cycle(user: Any) -> CycleVersion | None:
    """The newest published cycle map of a signed-in partner's own case."""
    mine = policy.own_partner(user)
    if mine is None:
        return None
    return case_cycle_versions(user, mine.case).order_by("-published_at", "-number").first()


def case_partner_summaries(user: Any, case: Case) -> QuerySet[PartnerSummary]:
    """Every closing summary of ``case``, given or withdrawn, for its therapists only."""
    if not can_use_guidance(user, case):
        return PartnerSummary.objects.none()
    return PartnerSummary.objects.filter(case=case)


def given_summary(user: Any) -> PartnerSummary | None:
    """The newest closing summary given to a signed-in partner's own case and not withdrawn."""
    mine = policy.own_partner(user)
    if mine is None:
        return None
    given = PartnerSummary.objects.filter(case_id=mine.case_id, withdrawn_at__isnull=True)
    return given.select_related("cycle_version").first()


# --- sessions (appointments) ---------------------------------------------------------


def can_plan_sessions(user: Any, case: Case) -> bool:
    """Planning, moving, cancelling and recording sessions: the case's therapists."""
    return policy.is_case_therapist(user, case)


def case_appointments(user: Any, case: Case) -> QuerySet[Appointment]:
    """Every session of ``case`` for its therapists; nothing for anyone else."""
    if not can_plan_sessions(user, case):
        return Appointment.objects.none()
    return Appointment.objects.filter(case=case)


def get_case_appointment(
    request: HttpRequest, case: Case, pk: int, event: str = "appointment.read"
) -> Appointment:
    """A session of ``case`` for one of its therapists; 404 (and a denied event) otherwise."""
    found = case_appointments(request.user, case).filter(pk=pk).first()
    if found is None:
        policy.refuse(request, event, f"appointment id {pk}", case=case)
    return found


def partner_appointments(partner: Partner) -> QuerySet[Appointment]:
    """The sessions ``partner`` is told about (see the module's docstring).

    Only for code that has already established who ``partner`` is (the partner's
    own pages go through :func:`own_appointments`; reminders run as Dyade).
    """
    told = Q(planned_for__in=[PlannedFor.BOTH, partner.slot])
    came = Q(attendance__in=[Attendance.BOTH, partner.slot])
    return (
        Appointment.objects.filter(case_id=partner.case_id)
        .filter(told | came)
        .exclude(attendance=Attendance.CANCELLED)
    )


def own_appointments(user: Any) -> QuerySet[Appointment]:
    """The sessions a signed-in partner is told about; nothing for anyone else."""
    mine = policy.own_partner(user)
    if mine is None:
        return Appointment.objects.none()
    return partner_appointments(mine)


def next_own_appointment(user: Any, now: dt.datetime) -> Appointment | None:
    """A signed-in partner's next session still planned (one under way counts)."""
    soon = own_appointments(user).filter(
        attendance=Attendance.PLANNED, starts_at__gte=now - dt.timedelta(hours=6)
    )
    for appointment in soon.order_by("starts_at", "pk")[:5]:
        if appointment.starts_at + dt.timedelta(minutes=appointment.minutes) > now:
            return appointment
    return None
