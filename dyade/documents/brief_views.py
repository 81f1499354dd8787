"""The session brief of a case: one page for the therapist, printable on A4."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dyade.audit.services import record_many
from dyade.cases import policy
from dyade.documents import access, brief


@login_required
def session_brief(request: HttpRequest, pk: int) -> HttpResponse:
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    case = policy.get_case(request, pk, event="brief.read")  # a refusal is logged and ends here
    if not access.can_make_documents(request.user, case):  # pragma: no cover - same rule today
        raise Http404
    found = brief.build(request, case)
    record_many(found.events)  # one insert, before anything is shown
    return render(request, "documents/brief.html", found.context)
