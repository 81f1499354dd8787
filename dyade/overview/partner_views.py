"""The partner's home on the phone: the diary, what waits, and what the other partner shared."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from dyade.audit.services import record
from dyade.cases import policy
from dyade.clinic import diary as rules
from dyade.clinic.instruments import text_in
from dyade.diary import access as diary_access
from dyade.questionnaires import access as questionnaires_access
from dyade.reading import access as reading_access
from dyade.research import access as research_access

HISTORY_DAYS = 14
STREAK_HORIZON = 366  # the streak is counted over at most a year of entries


@login_required
def home(request: HttpRequest) -> HttpResponse:
    partner = policy.partner_or_403(request)
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
            questionnaires_access.own_administrations(request.user).filter(status="open")
        )
        if waiting:
            record(request, "questionnaire.list", partner=partner, detail=f"{len(waiting)} open")
        unread = list(reading_access.own_readings(request.user).filter(read_at__isnull=True))
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
        "studies": research_access.partner_studies(request.user).exists(),
    }
    return render(request, "diary/home.html", context)
