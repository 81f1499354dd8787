"""Sessions with check-ins for the progress tests: the CSI-4 before, the alliance check after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from dyade.accounts.models import User
from dyade.cases.models import Case, Partner
from dyade.questionnaires.models import Administration, Status
from dyade.sessions.models import Appointment

# CSI-4 answers (item 1: 0-6, items 2-4: 0-5) by the total they add up to.
CSI4_ANSWERS = {total: {"1": min(total, 6), "2": 0, "3": 0, "4": 0} for total in range(0, 7)}
for _total in range(7, 22):
    _rest = _total - 6
    CSI4_ANSWERS[_total] = {
        "1": 6,
        "2": min(_rest, 5),
        "3": min(max(_rest - 5, 0), 5),
        "4": max(_rest - 10, 0),
    }


def check_in(
    partner: Partner,
    appointment: Appointment,
    moment: str,
    answers: dict[str, object],
    when: dt.datetime,
) -> Administration:
    administration = Administration(
        case=partner.case,
        partner=partner,
        instrument="csi-4" if moment == "before" else "dyade-alliance",
        version="1",
        status=Status.SUBMITTED,
        submitted_at=when,
        assigned_at=when,
        appointment=appointment,
        moment=moment,
    )
    administration.set_answers(answers)
    administration.save()
    return administration


def alliance(value: int) -> dict[str, object]:
    return {"1": value, "2": value, "3": value, "4": value}


def add_sessions(
    case: Case,
    therapist: User,
    outcome: dict[str, Sequence[int | None]],
    alliance_scores: dict[str, Sequence[int | None]] | None = None,
    attendance: Sequence[str] | None = None,
) -> list[Appointment]:
    """One weekly session per score, ending last week; ``None`` is a missed check-in."""
    partners = {p.slot: p for p in case.partners.all()}
    count = max(len(values) for values in outcome.values())
    start = timezone.now() - dt.timedelta(days=7 * count)
    sessions = []
    for index in range(count):
        starts = start + dt.timedelta(days=7 * index)
        appointment = Appointment.objects.create(
            case=case,
            starts_at=starts,
            attendance=attendance[index] if attendance else "both",
            therapist=therapist,
            created_by=therapist,
        )
        sessions.append(appointment)
        for slot, values in outcome.items():
            if index < len(values) and values[index] is not None:
                check_in(
                    partners[slot],
                    appointment,
                    "before",
                    CSI4_ANSWERS[values[index]],
                    starts - dt.timedelta(hours=2),
                )
        for slot, values in (alliance_scores or {}).items():
            if index < len(values) and values[index] is not None:
                check_in(
                    partners[slot],
                    appointment,
                    "after",
                    alliance(values[index]),
                    starts + dt.timedelta(hours=1),
                )
    return sessions
