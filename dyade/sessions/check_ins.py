"""Session check-ins: the outcome measure before a session, the alliance check after it.

A check-in is a questionnaire (``questionnaires.Administration``) with the
session it belongs to (``appointment``) and its ``moment``. It is made when the
partner starts it, while its window is open (:mod:`dyade.clinic.check_ins`), so
nothing waits on a phone for a session that is far away or long past. It is
filled in with the questionnaire pages, and scored with the instrument's key.

Privacy: a check-in is the partner's own questionnaire. The questionnaires'
access module gives it to its author and the case's therapists only; the
other partner learns nothing of it: not that it exists, not when it was
filled in, not a count.

Which instruments: the case's :class:`~dyade.sessions.models.CheckInPlan`, or
the defaults below. The outcome measure is CSI-4 when Dyade ships it and the
practice can give it; the alliance check is Dyade's own ``dyade-alliance``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from dyade.audit.services import record
from dyade.cases.models import Case, Partner
from dyade.clinic import check_ins as rules
from dyade.clinic.instruments import Instrument
from dyade.clinic.scoring import score_key
from dyade.clinic.visibility import Visibility
from dyade.content import instrument as load_instrument
from dyade.db.once import create_once
from dyade.questionnaires import services as questionnaire_services
from dyade.questionnaires.models import Administration, Status
from dyade.sessions import access
from dyade.sessions.appointments import as_session
from dyade.sessions.models import Appointment, CheckInPlan

DEFAULT_OUTCOME = "csi-4"
DEFAULT_ALLIANCE = "dyade-alliance"
BEFORE = rules.Moment.BEFORE
AFTER = rules.Moment.AFTER


class NotOpen(Exception):
    """This check-in cannot be started now (outside its window, or not for this partner)."""


class Busy(Exception):
    """The partner has the same questionnaire open outside the check-in; finish that first."""


# --- which instruments -------------------------------------------------------------


def _shipped(instrument_id: str) -> Instrument | None:
    try:
        return load_instrument(instrument_id)
    except ValueError:
        return None


def outcome_offers(practice_id: int) -> list[Instrument]:
    """Scored instruments the practice can give whose answers the partner may see back."""
    return [
        offer.instrument
        for offer in questionnaire_services.offers(practice_id)
        if offer.available
        and offer.instrument.scored
        and offer.instrument.visibility != Visibility.CLINICAL
        and offer.instrument.id != DEFAULT_ALLIANCE
    ]


def alliance_offers(practice_id: int) -> list[Instrument]:
    found = _shipped(DEFAULT_ALLIANCE)
    return [found] if found is not None else []


def plan_of(case: Case) -> tuple[str, str]:
    """The instrument ids of the case's check-ins, (before, after); "" where switched off."""
    row = CheckInPlan.objects.filter(case=case).first()
    if row is not None:
        return row.outcome, row.alliance
    return (DEFAULT_OUTCOME if _usable(case.practice_id, DEFAULT_OUTCOME) else ""), DEFAULT_ALLIANCE


def _usable(practice_id: int, instrument_id: str) -> bool:
    """Whether the practice can give a shipped instrument (its texts, if only the key ships)."""
    found = _shipped(instrument_id)
    if found is None:
        return False
    if found.key_only:
        return bool(questionnaire_services.imported_texts(practice_id, found))
    return bool(found.titles)


def instrument_for(
    case: Case, moment: str, plan: tuple[str, str] | None = None
) -> Instrument | None:
    outcome, alliance = plan if plan is not None else plan_of(case)
    chosen = outcome if moment == BEFORE else alliance
    return _shipped(chosen) if chosen else None


def set_plan(request: HttpRequest, case: Case, outcome: str, alliance: str) -> CheckInPlan:
    """Store the case's choice of check-in instruments (audited)."""
    with transaction.atomic():
        row, _created = CheckInPlan.objects.update_or_create(
            case=case,
            defaults={
                "outcome": outcome,
                "alliance": alliance,
                "changed_by": request.user,
                "changed_at": timezone.now(),
            },
        )
        record(
            request,
            "check_in_plan.update",
            obj=row,
            case=case,
            detail=f"{outcome or 'off'} / {alliance or 'off'}",
        )
    return row


# --- what is due ---------------------------------------------------------------------


@dataclass
class Due:
    """A check-in a partner can fill in now: started already (``administration``) or not."""

    appointment: Appointment
    moment: str
    instrument: Instrument
    administration: Administration | None
    done: bool = False  # sent already

    @property
    def started(self) -> bool:
        return self.administration is not None


def _near(appointments: QuerySet[Appointment], now: dt.datetime) -> QuerySet[Appointment]:
    """Sessions whose check-in windows can hold ``now`` (lengths up to a day)."""
    earliest = now - rules.AFTER_CLOSES - dt.timedelta(days=1)
    return appointments.filter(starts_at__gte=earliest, starts_at__lte=now + rules.BEFORE_OPENS)


def due_for(partner: Partner, now: dt.datetime | None = None) -> list[Due]:
    """The check-ins ``partner`` can fill in at ``now`` that they have not sent yet.

    For each moment only the newest session whose window is open counts: once a
    newer session has come, an older one's check-in is no longer asked for.
    Reads only this partner's sessions and this partner's own check-ins.
    """
    now = now or timezone.now()
    case = partner.case
    slots = tuple(case.slots)
    appointments = list(_near(access.partner_appointments(partner), now))
    if not appointments:
        return []
    plan = plan_of(case)
    mine = {
        (a.appointment_id, a.moment): a
        for a in Administration.objects.filter(
            partner=partner, appointment__in=appointments
        ).exclude(moment="")
    }
    newest: dict[str, Due] = {}
    for appointment in appointments:
        for moment in rules.open_moments(as_session(appointment), partner.slot, slots, now):
            instrument = instrument_for(case, moment, plan)
            if instrument is None:
                continue
            existing = mine.get((appointment.pk, str(moment)))
            due = Due(appointment, str(moment), instrument, existing)
            if existing is not None and not existing.is_open:
                due.done = True
            shown = newest.get(str(moment))
            if shown is None or (shown.appointment.starts_at, shown.appointment.pk) < (
                appointment.starts_at,
                appointment.pk,
            ):
                newest[str(moment)] = due  # a newer session's check-in replaces an older one
    return [due for due in newest.values() if not due.done]


def to_remind(partner: Partner, reminder: dt.datetime, now: dt.datetime | None = None) -> list[Due]:
    """The check-ins due now that the partner's reminder at ``reminder`` is for.

    Each check-in is reminded once (:func:`dyade.clinic.check_ins.reminded_at`); the
    reminder reads only this partner's own sessions and check-ins, so it never
    depends on what the other partner did.
    """
    return [
        due
        for due in due_for(partner, now)
        if rules.reminded_at(as_session(due.appointment), rules.Moment(due.moment), reminder)
    ]


# --- starting one ---------------------------------------------------------------------


def _clear_stale(
    request: HttpRequest, partner: Partner, instrument: Instrument, appointment: Appointment
) -> None:
    """Drop the partner's unsent check-in of ``instrument`` for an earlier session.

    It never reached the therapist and a newer session has come since (or its
    window has closed); keeping it open would block this check-in, which asks
    the same questions. Its removal is audited. A questionnaire of the same
    instrument given outside a check-in is left alone (:class:`Busy`).
    """
    open_one = (
        Administration.objects.filter(partner=partner, instrument=instrument.id, status=Status.OPEN)
        .select_related("appointment")
        .first()
    )
    if open_one is None:
        return
    earlier = open_one.appointment
    if earlier is None or not open_one.moment:
        raise Busy
    if (earlier.starts_at, earlier.pk) >= (appointment.starts_at, appointment.pk):
        raise Busy  # a check-in for a later session: not this one's to drop
    record(
        request,
        "questionnaire.delete",
        obj=open_one,
        partner=partner,
        detail=f"check-in not sent in time, session {earlier.pk}",
    )
    open_one.delete()


def start(
    request: HttpRequest,
    partner: Partner,
    appointment: Appointment,
    moment: str,
    request_id: uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> tuple[Administration, bool]:
    """The partner's check-in for ``appointment`` at ``moment``: made now, or the one there is.

    Raises :class:`NotOpen` outside the window or for a partner the session is not
    for, :class:`Busy` when the same questionnaire is open outside a check-in.
    Sent twice at once, it makes one check-in: the pair (partner, session, moment)
    finds the one that won.
    """
    now = now or timezone.now()
    case = partner.case
    if appointment.case_id != partner.case_id:
        raise NotOpen
    slots = tuple(case.slots)
    if moment not in rules.open_moments(as_session(appointment), partner.slot, slots, now):
        raise NotOpen
    instrument = instrument_for(case, moment)
    if instrument is None:
        raise NotOpen

    def find() -> Administration | None:
        return Administration.objects.filter(
            partner=partner, appointment=appointment, moment=moment
        ).first()

    def create() -> Administration:
        _clear_stale(request, partner, instrument, appointment)
        administration = Administration.objects.create(
            case=case,
            partner=partner,
            instrument=instrument.id,
            version=instrument.version,
            assigned_by=appointment.therapist or appointment.created_by,
            request_id=request_id,
            appointment=appointment,
            moment=moment,
        )
        record(
            request,
            "questionnaire.create",
            obj=administration,
            partner=partner,
            detail=f"check-in {moment} session {appointment.pk}: {instrument.id}",
        )
        return administration

    return create_once(find, create)


# --- reading them (therapists, and F's progress page) --------------------------------


def score_of(administration: Administration) -> float | None:
    """The check-in's summary score: its ``total`` (or first) subscale; None if unscored."""
    if administration.is_open:
        return None
    instrument = administration.definition()
    if not instrument.scored:
        return None
    numbered = questionnaire_services.numbered_answers(instrument, administration.answers)
    try:
        scores = score_key(instrument, numbered)
    except ValueError:
        return None
    key = "total" if "total" in scores else instrument.subscales[0].id
    return scores.get(key)


@dataclass
class Point:
    """One sent check-in of one partner, for a chart or a table."""

    appointment: Appointment
    slot: str
    moment: str
    instrument: str
    score: float | None
    administration: Administration


def points(administrations: Iterable[Administration]) -> list[Point]:
    """Sent check-ins as points, by session time, from administrations already read.

    Pass what :func:`dyade.questionnaires.access.case_check_ins` returned for the
    viewer (a therapist of the case); the caller writes the audit event.
    """
    found = [
        Point(a.appointment, a.partner.slot, a.moment, a.instrument, score_of(a), a)
        for a in administrations
        if a.appointment is not None and a.moment and not a.is_open
    ]
    return sorted(found, key=lambda p: (p.appointment.starts_at, p.appointment.pk, p.slot))


def by_appointment(administrations: Iterable[Administration]) -> dict[int, list[Administration]]:
    """Check-ins grouped by the id of their session."""
    grouped: dict[int, list[Administration]] = {}
    for administration in administrations:
        if administration.appointment_id is not None and administration.moment:
            grouped.setdefault(administration.appointment_id, []).append(administration)
    return grouped


def status_rows(
    appointment: Appointment,
    partners: list[Partner],
    check_ins: list[Administration],
    plan: tuple[str, str] = (DEFAULT_OUTCOME, DEFAULT_ALLIANCE),
) -> list[dict[str, Any]]:
    """For the therapist: per partner and moment, is the check-in sent, open or not begun."""
    slots = tuple(p.slot for p in partners)
    who = rules.attendees(as_session(appointment), slots)
    rows = []
    for partner in partners:
        if partner.slot not in who:
            continue
        for moment, instrument_id in zip((BEFORE, AFTER), plan, strict=True):
            found = next(
                (c for c in check_ins if c.partner_id == partner.pk and c.moment == moment), None
            )
            if found is None and not instrument_id:
                continue  # this check-in is switched off for the case
            state = "none" if found is None else ("open" if found.is_open else "sent")
            rows.append(
                {
                    "partner": partner,
                    "moment": str(moment),
                    "administration": found,
                    "state": state,
                    "score": score_of(found) if found is not None else None,
                }
            )
    return rows
