"""The therapist's caseload as a worklist: who needs attention, one page at a time.

Query string: ``status`` (open, closed or all; open by default), ``track`` (a track
name, or "none" for cases without one), ``q`` (a search in the case name) and the
page cursors ``older`` and ``newer``. The page's cost does not grow with the
caseload (``dyade/cases/caseload.py``, ``dyade/overview/worklist.py``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dyade.audit.services import record
from dyade.cases import caseload, policy
from dyade.cases.models import CaseStatus
from dyade.overview import worklist


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    state = caseload.status(request.GET.get("status"))
    track = worklist.track_filter(request.GET.get("track"))
    text = caseload.search(request.GET.get("q"))
    shown = caseload.page(
        request.user,
        before=caseload.cursor(request.GET.get("older")),
        after=caseload.cursor(request.GET.get("newer")),
        state=state,
        text=text,
        narrow=worklist.narrow_to(track),
    )
    lines = worklist.rows(request, shown.cases)
    filters = {k: v for k, v in (("status", state), ("track", track), ("q", text)) if v}
    if filters.get("status") == CaseStatus.OPEN:
        del filters["status"]
    detail = f"{len(lines)} cases" + (" search" if text else "")
    record(request, "case.list", detail=detail)  # one insert
    context = {
        "rows": lines,
        "cases": [row.case for row in lines],
        "page": shown,
        "state": state,
        "track": track,
        "q": text,
        "tracks": worklist.TRACKS,
        "no_track": worklist.NO_TRACK,
        "statuses": CaseStatus.choices,
        "query": urlencode(filters),
        "filtered": bool(filters),
    }
    return render(request, "cases/case_list.html", context)
