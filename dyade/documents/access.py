"""Who may make the session brief and the reports of a case, built on the policy core.

Everything here is clinical: the brief and every report are for the case's
therapists only. A partner never receives a report from Dyade; a therapist who
wants a partner to have one hands it over themselves. The one thing written for
the partners, the closing summary, is given by the therapist's explicit action
and read through :mod:`dyade.sessions.access` (``given_summary``).
"""

from __future__ import annotations

from typing import Any

from dyade.cases import policy
from dyade.cases.models import Case


def can_make_documents(user: Any, case: Case) -> bool:
    """The session brief and the reports: the case's therapists."""
    return policy.is_case_therapist(user, case)
