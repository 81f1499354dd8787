"""The therapist's caseload as a worklist: who needs attention, one page at a time.

Query string: ``status`` (open, closed or all; open by default), ``track`` (a track
name, or "none" for cases without one), ``q`` (a search in the case name) and the
opaque page cursors ``older`` and ``newer``. The whole caseload is in the order of
what needs attention, as last stored (``dyade/overview/attention_page.py``); the
rows of the page are worked out now (``dyade/overview/worklist.py``), shown in that
fresh order, and written back where the stored order was out of date
(``dyade/overview/attention.py``). The page's cost does not grow with the caseload.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dyade.audit.services import record
from dyade.cases import caseload, policy
from dyade.cases.models import CaseStatus
from dyade.overview import attention, attention_page, worklist


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    state = caseload.status(request.GET.get("status"))
    track = worklist.track_filter(request.GET.get("track"))
    text = caseload.search(request.GET.get("q"))
    read_at = timezone.now()  # before the stored order and the data behind the rows
    shown = attention_page.page(
        request.user,
        older=attention_page.decode(request.user, request.GET.get("older")),
        newer=attention_page.decode(request.user, request.GET.get("newer")),
        state=state,
        text=text,
        track=worklist.stored_track(track),
    )
    lines = worklist.rows(request, shown.cases)
    # The page in the order worked out now (ties: newest assignment), then written back.
    keys = {
        row.case.pk: attention_page.Key(
            attention.rank_of(row), shown.states[row.case.pk].assignment_id
        )
        for row in lines
    }
    lines.sort(key=lambda row: (-keys[row.case.pk].rank, -keys[row.case.pk].assignment_id))
    attention.write_back(shown.states, lines, read_at)
    older, newer = shown.older(request.user), shown.newer(request.user, list(keys.values()))
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
        "older": urlencode({**filters, "older": older}) if older else "",
        "newer": urlencode({**filters, "newer": newer}) if newer else "",
    }
    return render(request, "cases/case_list.html", context)
