"""Who may see which psycho-education assignments, built on the policy core."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dyade.cases import policy
from dyade.cases.models import Case
from dyade.reading.models import ReadingAssignment


def own_readings(user: Any) -> QuerySet[ReadingAssignment]:
    """The pages given to a signed-in partner; nothing for anyone else."""
    partner = policy.own_partner(user)
    if partner is None:
        return ReadingAssignment.objects.none()
    return ReadingAssignment.objects.filter(partner=partner)


def case_readings(user: Any, case: Case) -> QuerySet[ReadingAssignment]:
    """The pages given in ``case``, for its therapists only."""
    if not policy.is_case_therapist(user, case):
        return ReadingAssignment.objects.none()
    return ReadingAssignment.objects.filter(partner__case=case).select_related("partner")
