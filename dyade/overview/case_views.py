"""The therapist's case page: each partner, the diary charts, questionnaires and guidance.

The page reads a bounded window of the diary (the days of the charts, with the
notes of those days, which it shows), so its cost does not grow with the
diary; the totals per partner are counted in the database. What it read is
handed to the guidance snapshot instead of being read again, and the audit
events of the request are written together, in one statement.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dyade.audit.services import prepare, record_many
from dyade.cases import policy, services
from dyade.clinic.snapshot import SnapshotError
from dyade.diary import access as diary_access
from dyade.questionnaires import access as questionnaires_access
from dyade.questionnaires import comparison
from dyade.reports.case_charts import DEFAULT_DAYS, case_charts
from dyade.sessions import access as sessions_access
from dyade.sessions import display as session_display
from dyade.sessions import services as session_services
from dyade.sessions.appointments import next_planned
from dyade.sessions.case_snapshot import Loaded

CHART_DAYS = DEFAULT_DAYS  # the window the page reads: the charts' days and their notes


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    case = policy.get_case(request, pk)  # a refusal is logged and ends here
    user = request.user
    today = timezone.localdate()
    first_day = today - dt.timedelta(days=CHART_DAYS - 1)
    partner_list = diary_access.partners_with_totals(user, case)
    # Only a partner who has not joined yet has invitations to show.
    prefetch_related_objects([p for p in partner_list if p.user_id is None], "invitations")
    window = diary_access.visible_window(user, partner_list, first_day, today)
    administrations = list(questionnaires_access.case_administrations(user, case))
    appointments = list(sessions_access.case_appointments(user, case))
    track_items = session_display.timeline(case, user)
    loaded = Loaded(
        partners=partner_list,
        administrations=administrations,
        diary=window,
        track_changes=[item["change"] for item in track_items],
        appointments=appointments,
    )
    # The page shows only how many signals are open: the decisions' texts stay unread.
    decisions = list(
        sessions_access.case_signal_decisions(user, case).defer("reasons_json", "reason")
    )
    try:
        views = session_services.signals(request, case, loaded, decisions)
        open_signals = sum(1 for view in views if view.open)
    except SnapshotError:
        open_signals = 0
    partners = []
    events = [prepare(request, "case.read", obj=case, case=case)]
    for partner in partner_list:
        entries = window[partner.pk]
        events.append(
            prepare(
                request,
                "diary.read",
                case=case,
                partner=partner,
                detail=f"{len(entries)} entries since {first_day.isoformat()}",
            )
        )
        partners.append(
            {
                "partner": partner,
                "status": services.partner_status(partner),
                "invite_request_id": uuid.uuid4(),  # one per form: each link is its own request
                "entries": entries,
                "count": partner.diary_count,  # type: ignore[attr-defined]
                "last_date": partner.diary_last,  # type: ignore[attr-defined]
                "notes": [entry for entry in entries if entry.get("note")],
            }
        )
    events += [
        prepare(request, "questionnaire.list", case=case, detail=f"{len(administrations)}"),
        prepare(request, "track.list", case=case, detail=f"{len(track_items)}"),
        prepare(request, "appointment.list", case=case, detail=f"{len(appointments)}"),
        prepare(request, "guidance.read", case=case, detail=f"{open_signals} open signals"),
    ]
    record_many(events)  # before anything is shown
    context = {
        "case": case,
        "partners": partners,
        "notes_days": CHART_DAYS,
        "questionnaires_open": sum(1 for a in administrations if a.is_open),
        "questionnaires_sent": sum(1 for a in administrations if not a.is_open),
        "safety_alert": comparison.needs_safety_attention(administrations),
        "charts": case_charts(partners, today=today, days=CHART_DAYS),
        "timeline": track_items,
        "current": track_items[-1]["change"] if track_items else None,
        "open_signals": open_signals,
        "next_session": next_planned(appointments, timezone.now()),
        "session_count": len(appointments),
    }
    return render(request, "cases/case_detail.html", context)
