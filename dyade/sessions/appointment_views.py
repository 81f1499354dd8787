"""The therapist's sessions of a case: plan, move, record who came, see the check-ins.

Only the case's therapists: another therapist's request answers 404 (and is
logged) like a case that does not exist; a partner gets 403. Every read and
write is audited; a planning form sent twice makes one session.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dyade.audit.services import Outcome, prepare, record, record_many
from dyade.cases import closed_guard, policy
from dyade.cases.models import Case
from dyade.clinic import check_ins as rules
from dyade.clinic.instruments import text_in
from dyade.db.once import RequestIdTaken
from dyade.i18n import language as _language
from dyade.questionnaires import access as questionnaires_access
from dyade.sessions import access, appointments, check_ins, room
from dyade.sessions.appointment_forms import (
    AppointmentForm,
    AttendanceForm,
    CheckInPlanForm,
    RoomForm,
)
from dyade.sessions.models import Appointment, Attendance


def _case(request: HttpRequest, pk: int, event: str) -> Case:
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    return policy.get_case(request, pk, event=event)


def _names(case: Case) -> dict[str, str]:
    return {p.slot: p.name for p in case.partners.all()}


def _therapists(case: Case) -> list[tuple[int, str]]:
    return [(t.pk, t.name or t.email) for t in case.therapists.order_by("name", "email")]


def _plan_form(request: HttpRequest, case: Case, data: Any = None) -> AppointmentForm:
    return AppointmentForm(
        data,
        names=_names(case),
        therapists=_therapists(case),
        initial={"request_id": uuid.uuid4(), "therapist": request.user.pk, "minutes": 50},
    )


def _check_in_form(case: Case, data: Any = None) -> CheckInPlanForm:
    language = _language()
    outcome, alliance = check_ins.plan_of(case)
    return CheckInPlanForm(
        data,
        outcomes=[
            (i.id, text_in(i.titles, language)) for i in check_ins.outcome_offers(case.practice_id)
        ],
        alliances=[
            (i.id, text_in(i.titles, language)) for i in check_ins.alliance_offers(case.practice_id)
        ],
        initial={"outcome": outcome, "alliance": alliance},
    )


def _sessions_context(
    request: HttpRequest,
    case: Case,
    form: AppointmentForm,
    plan_form: CheckInPlanForm | None = None,
) -> dict[str, Any]:
    listed = list(access.case_appointments(request.user, case).select_related("therapist"))
    found = list(questionnaires_access.case_check_ins(request.user, case))
    record_many(
        [
            prepare(request, "appointment.list", obj=case, case=case, detail=f"{len(listed)}"),
            prepare(request, "questionnaire.list", case=case, detail=f"{len(found)} check-ins"),
        ]
    )
    partners = list(case.partners.all())
    grouped = check_ins.by_appointment(found)
    plan = check_ins.plan_of(case)
    now = timezone.now()
    rows = [
        {
            "appointment": a,
            "past": appointments.as_session(a).ends_at <= now,
            "check_ins": check_ins.status_rows(a, partners, grouped.get(a.pk, []), plan),
        }
        for a in listed
    ]
    coming = [row for row in rows if not row["past"]]
    past = [row for row in rows if row["past"]]
    past.reverse()  # newest first
    outcome, alliance = plan
    return {
        "case": case,
        "coming": coming,
        "past": past,
        "form": form,
        "plan_form": plan_form or _check_in_form(case),
        "outcome_on": bool(outcome),
        "alliance_on": bool(alliance),
    }


@login_required
def sessions_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The list of sessions with their check-ins, and the form to plan the next one."""
    case = _case(
        request, pk, "appointment.create" if request.method == "POST" else "appointment.list"
    )
    if request.method == "POST":
        refused = closed_guard.refuse_if_closed(
            request, case, "appointment.create", "cases:sessions", case.pk
        )
        if refused is not None:
            return refused
    form = _plan_form(request, case, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            therapist = case.therapists.filter(pk=data["therapist"]).first()
            try:
                appointment, created = appointments.plan(
                    request,
                    case,
                    starts_at=data["starts_at"],
                    minutes=data["minutes"],
                    planned_for=data["planned_for"],
                    therapist=therapist,
                    request_id=data["request_id"] or None,
                )
            except RequestIdTaken:
                record(request, "appointment.create", case=case, outcome=Outcome.INVALID)
                messages.error(request, _("This form was already used. Please try again."))
                return redirect("cases:sessions", pk=case.pk)
            if created:
                messages.success(
                    request,
                    _("The session on %(when)s has been planned.")
                    % {
                        "when": formats.date_format(
                            timezone.localtime(appointment.starts_at), "DATETIME_FORMAT"
                        )
                    },
                )
            return redirect("cases:sessions", pk=case.pk)
        record(request, "appointment.create", case=case, outcome=Outcome.INVALID)
        status = 400
    return render(
        request, "sessions/sessions.html", _sessions_context(request, case, form), status=status
    )


@login_required
@require_POST
def check_in_plan(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "check_in_plan.update")
    refused = closed_guard.refuse_if_closed(
        request, case, "check_in_plan.update", "cases:sessions", case.pk
    )
    if refused is not None:
        return refused
    form = _check_in_form(case, request.POST)
    if not form.is_valid():
        record(request, "check_in_plan.update", case=case, outcome=Outcome.INVALID)
        context = _sessions_context(request, case, _plan_form(request, case), form)
        return render(request, "sessions/sessions.html", context, status=400)
    check_ins.set_plan(request, case, form.cleaned_data["outcome"], form.cleaned_data["alliance"])
    messages.success(request, _("The check-ins of this case have been saved."))
    return redirect("cases:sessions", pk=case.pk)


def _detail_context(
    request: HttpRequest, case: Case, appointment: Appointment, move_form: AppointmentForm | None
) -> dict[str, Any]:
    found = list(
        questionnaires_access.case_check_ins(request.user, case).filter(appointment=appointment)
    )
    record_many(
        [
            prepare(request, "appointment.read", obj=appointment, case=case),
            prepare(request, "questionnaire.list", case=case, detail=f"{len(found)} check-ins"),
        ]
    )
    partners = list(case.partners.all())
    names = {p.slot: p.name for p in partners}
    local = timezone.localtime(appointment.starts_at)
    if move_form is None and appointment.attendance == Attendance.PLANNED:
        move_form = AppointmentForm(
            names=names,
            therapists=_therapists(case),
            initial={
                "date": local.date(),
                "time": local.time().replace(second=0, microsecond=0),
                "minutes": appointment.minutes,
                "planned_for": appointment.planned_for,
                "therapist": appointment.therapist_id,
            },
        )
    rows = check_ins.status_rows(appointment, partners, found, check_ins.plan_of(case))
    now = timezone.now()
    session = appointments.as_session(appointment)
    for row in rows:
        row["room"] = row["state"] != "sent" and row["moment"] in rules.open_moments(
            session, row["partner"].slot, tuple(names), now
        )
    return {
        "case": case,
        "appointment": appointment,
        "move_form": move_form,
        "attendance_form": AttendanceForm(
            names=names, initial={"attendance": appointment.attendance}
        ),
        "check_ins": rows,
    }


@login_required
def session_detail(request: HttpRequest, pk: int, appointment_id: int) -> HttpResponse:
    """One session: move it while planned, record who came, its check-ins, the tablet."""
    event = "appointment.update" if request.method == "POST" else "appointment.read"
    case = _case(request, pk, event)
    appointment = access.get_case_appointment(request, case, appointment_id, event=event)
    names = _names(case)
    move_form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "attendance":
            form = AttendanceForm(request.POST, names=names)
            if form.is_valid():
                if appointments.set_attendance(
                    request, appointment, form.cleaned_data["attendance"]
                ):
                    messages.success(
                        request,
                        _("Saved: %(what)s.") % {"what": appointment.get_attendance_display()},
                    )
                return redirect("cases:session", pk=case.pk, appointment_id=appointment.pk)
        elif action == "move":
            refused = closed_guard.refuse_if_closed(
                request, case, "appointment.update", "cases:session", case.pk, appointment.pk
            )
            if refused is not None:
                return refused
            move_form = AppointmentForm(request.POST, names=names, therapists=_therapists(case))
            if move_form.is_valid():
                data = move_form.cleaned_data
                try:
                    appointments.move(
                        request,
                        appointment,
                        starts_at=data["starts_at"],
                        minutes=data["minutes"],
                        planned_for=data["planned_for"],
                        therapist=case.therapists.filter(pk=data["therapist"]).first(),
                    )
                except appointments.NotPlanned:
                    messages.error(request, _("Only a session that is still planned can be moved."))
                else:
                    messages.success(request, _("The session has been moved."))
                return redirect("cases:session", pk=case.pk, appointment_id=appointment.pk)
        record(request, "appointment.update", obj=appointment, case=case, outcome=Outcome.INVALID)
        messages.error(request, _("Please check the form."))
        context = _detail_context(request, case, appointment, move_form)
        return render(request, "sessions/session_detail.html", context, status=400)
    context = _detail_context(request, case, appointment, None)
    return render(request, "sessions/session_detail.html", context)


@login_required
@require_POST
def room_start(request: HttpRequest, pk: int, appointment_id: int) -> HttpResponse:
    """Hand this tablet to one partner for one check-in; the tablet locks to it."""
    case = _case(request, pk, "check_in_room.create")
    appointment = access.get_case_appointment(
        request, case, appointment_id, event="check_in_room.create"
    )
    refused = closed_guard.refuse_if_closed(
        request, case, "check_in_room.create", "cases:session", case.pk, appointment.pk
    )
    if refused is not None:
        return refused
    form = RoomForm(request.POST)
    partner = None
    if form.is_valid():
        partner = case.partners.filter(slot=form.cleaned_data["slot"]).first()
    if partner is None:
        record(request, "check_in_room.create", case=case, outcome=Outcome.INVALID)
        messages.error(request, _("Choose a partner and a moment."))
        return redirect("cases:session", pk=case.pk, appointment_id=appointment.pk)
    moment = form.cleaned_data["moment"]
    try:
        administration, _created = check_ins.start(request, partner, appointment, moment)
    except (check_ins.NotOpen, check_ins.Busy):
        record(request, "check_in_room.create", case=case, partner=partner, outcome=Outcome.INVALID)
        messages.error(request, _("This check-in cannot be filled in now."))
        return redirect("cases:session", pk=case.pk, appointment_id=appointment.pk)
    if not administration.is_open:
        messages.info(
            request, _("%(name)s has sent this check-in already.") % {"name": partner.name}
        )
        return redirect("cases:session", pk=case.pk, appointment_id=appointment.pk)
    record(
        request,
        "check_in_room.create",
        obj=administration,
        partner=partner,
        detail=f"session {appointment.pk} {moment}",
    )
    room.lock(request, administration.pk, case.pk, appointment.pk)
    return redirect("room:page")
