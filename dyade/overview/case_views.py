"""The therapist's case page: each partner, the diary charts, questionnaires and guidance."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dyade.audit.services import record
from dyade.cases import policy, services
from dyade.clinic.snapshot import SnapshotError
from dyade.diary import access as diary_access
from dyade.questionnaires import access as questionnaires_access
from dyade.questionnaires import comparison
from dyade.reports.case_charts import case_charts
from dyade.sessions import services as session_services
from dyade.sessions import views as session_views


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    case = policy.get_case(request, pk)  # outside the transaction: a refusal stays logged
    with transaction.atomic():
        record(request, "case.read", obj=case, case=case)
        partners = []
        for partner in case.partners.all():
            entries = diary_access.visible_entries(request.user, partner)
            record(request, "diary.read", partner=partner, detail=f"{len(entries)} entries")
            partners.append(
                {
                    "partner": partner,
                    "status": services.partner_status(partner),
                    "entries": entries,
                    "last_date": entries[0]["date"] if entries else None,
                    "notes": [entry for entry in entries if entry.get("note")],
                }
            )
        administrations = list(questionnaires_access.case_administrations(request.user, case))
        record(request, "questionnaire.list", case=case, detail=f"{len(administrations)}")
        track_items = session_views.timeline(case, request.user)
        record(request, "track.list", case=case, detail=f"{len(track_items)}")
        try:
            open_signals = sum(1 for view in session_services.signals(request, case) if view.open)
        except SnapshotError:
            open_signals = 0
        record(request, "guidance.read", case=case, detail=f"{open_signals} open signals")
    context = {
        "case": case,
        "partners": partners,
        "questionnaires_open": sum(1 for a in administrations if a.is_open),
        "questionnaires_sent": sum(1 for a in administrations if not a.is_open),
        "safety_alert": comparison.needs_safety_attention(administrations),
        "charts": case_charts(partners, today=timezone.localdate()),
        "invite_request_id": uuid.uuid4(),
        "timeline": track_items,
        "current": track_items[-1]["change"] if track_items else None,
        "open_signals": open_signals,
    }
    return render(request, "cases/case_detail.html", context)
