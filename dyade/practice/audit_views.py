"""The practice admin's view of the audit trail (reading it is audited too)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dyade.accounts.models import Role
from dyade.audit.models import Outcome
from dyade.audit.services import record
from dyade.practice import access

PAGE_SIZE = 50


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not access.can_view_audit(request.user):
        raise PermissionDenied
    events = access.audit_events_for(request.user)
    filters = {
        "user": request.GET.get("user", "").strip(),
        "case": request.GET.get("case", "").strip(),
        "outcome": request.GET.get("outcome", "").strip(),
        "date": request.GET.get("date", "").strip(),
    }
    if filters["user"]:
        events = events.filter(user_label__icontains=filters["user"])
    if filters["case"].isdigit():
        events = events.filter(case_id=int(filters["case"]))
    if filters["outcome"] in Outcome.values:
        events = events.filter(outcome=filters["outcome"])
    try:
        day = dt.date.fromisoformat(filters["date"]) if filters["date"] else None
    except ValueError:
        day = None
    if day is not None:
        events = events.filter(time__date=day)
    with transaction.atomic():
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
        events_shown = list(page.object_list)
        record(request, "audit.read", detail=f"page {page.number}, {len(events_shown)} events")
    # Each role in the reader's language (the stored code if it is no longer known).
    roles = dict(Role.choices)
    rows = [(event, roles.get(event.role, event.role)) for event in events_shown]
    context = {"page": page, "rows": rows, "filters": filters, "outcomes": Outcome.choices}
    return render(request, "audit/audit_log.html", context)
