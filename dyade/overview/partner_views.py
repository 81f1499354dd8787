"""The partner's home on the phone: the diary, what waits, and what the other partner shared."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from dyade.audit.services import record
from dyade.cases import policy
from dyade.cases.models import Partner
from dyade.clinic import diary as rules
from dyade.clinic.instruments import text_in
from dyade.diary import access as diary_access
from dyade.diary import notices as diary_notices
from dyade.overview import closed_copy
from dyade.questionnaires import access as questionnaires_access
from dyade.reading import access as reading_access
from dyade.research import access as research_access
from dyade.sessions import access as sessions_access
from dyade.sessions import check_ins as session_check_ins
from dyade.sessions.check_in_views import start_fields

HISTORY_DAYS = 14
STREAK_HORIZON = 366  # the streak is counted over at most a year of entries


@login_required
def home(request: HttpRequest) -> HttpResponse:
    partner = policy.partner_or_403(request, closed_ok=True)
    if not partner.case.is_open:
        return closed_home(request, partner)
    thanks = diary_notices.saved_notice(request.GET.get("saved"))
    if thanks is not None:
        messages.success(request, thanks)
    today = timezone.localdate()
    other = partner.other
    with transaction.atomic():
        mine = diary_access.visible_entries(request.user, partner, limit=STREAK_HORIZON)
        record(request, "diary.list", partner=partner, detail=f"{len(mine)} entries")
        shared: list[dict[str, object]] = []
        if other is not None:
            shared = diary_access.visible_entries(request.user, other, limit=HISTORY_DAYS)
            record(request, "diary.list", partner=other, detail="shared fields")
        waiting = list(
            questionnaires_access.own_administrations(request.user).filter(
                status="open", appointment=None
            )
        )
        if waiting:
            record(request, "questionnaire.list", partner=partner, detail=f"{len(waiting)} open")
        unread = list(reading_access.own_readings(request.user).filter(read_at__isnull=True))
        # The partner's own sessions and check-ins only: nothing of the other partner's.
        next_session = sessions_access.next_own_appointment(request.user, timezone.now())
        check_ins_due = session_check_ins.due_for(partner)
        record(
            request,
            "appointment.list",
            partner=partner,
            detail=f"next {1 if next_session else 0}, {len(check_ins_due)} check-ins",
        )
        if unread:
            record(request, "reading.list", partner=partner, detail=f"{len(unread)} unread")
    dates = {entry["date"] for entry in mine}
    context = {
        "partner": partner,
        "other": other,
        "today": today,
        "today_done": today in dates,
        "yesterday": today - dt.timedelta(days=1),
        "yesterday_done": today - dt.timedelta(days=1) in dates,
        "streak": rules.streak(dates, today),
        "recent": mine[:HISTORY_DAYS],
        "shared": shared,
        "questionnaires": [
            (administration, text_in(administration.definition().titles, get_language() or "nl"))
            for administration in waiting
        ],
        "unread": len(unread),
        "next_session": next_session,
        "check_ins_due": [(due, start_fields(due)) for due in check_ins_due],
        "studies": research_access.partner_studies(request.user).exists(),
    }
    return render(request, "diary/home.html", context)


def closed_home(request: HttpRequest, partner: Partner) -> HttpResponse:
    """The home of a partner whose case is closed: when, what was given to them, and where
    their own data still is.

    Of the case only what the therapist gave the partners is read: the closing summary
    written for them (not the internal outcome or closing note) and the cycle map last
    published to them; nothing of the other partner's data.
    """
    record(request, "case_closed.read", partner=partner, case=partner.case)
    context = {
        "partner": partner,
        "closed_at": partner.case.closed_at,
        "practice": partner.case.practice.name,
        **closed_copy.partner_copy(request, partner),
    }
    return render(request, "diary/closed_home.html", context)
