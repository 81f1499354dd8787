"""Who may make the session brief and the reports of a case, built on the policy core.

Everything here is clinical: the brief and every report are for the case's
therapists only. A partner never receives a report from Dyade; a therapist who
wants a partner to have one hands it over themselves. The one thing written for
the partners, the closing summary, is given by the therapist's explicit action
and read through :mod:`dyade.sessions.access` (``given_summary``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from dyade.cases import policy
from dyade.cases.models import Case


def can_make_documents(user: Any, case: Case) -> bool:
    """The session brief and the reports: the case's therapists."""
    return policy.is_case_therapist(user, case)


def document_case(request: HttpRequest, pk: int, event: str) -> Case:
    """The case whose documents the signed-in therapist asks for; a refusal is logged."""
    if not policy.can_create_case(request.user):
        raise PermissionDenied
    case = policy.get_case(request, pk, event=event)  # a refusal is logged and ends here
    if not can_make_documents(request.user, case):  # pragma: no cover - same rule today
        raise Http404
    return case
