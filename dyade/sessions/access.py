"""Who may see observations, signals, the track and cycle maps, built on the policy core.

All clinical: a case's therapists only. The one exception is a cycle map version
that a therapist has published: both partners of the case see it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dyade.cases import policy
from dyade.cases.models import Case
from dyade.sessions.models import CycleVersion, Observation, SignalDecision, TrackChange


def can_use_guidance(user: Any, case: Case) -> bool:
    """Observations, signals and decisions, the track and draft cycle maps."""
    return policy.is_case_therapist(user, case)


def case_observations(user: Any, case: Case) -> QuerySet[Observation]:
    if not can_use_guidance(user, case):
        return Observation.objects.none()
    return Observation.objects.filter(case=case)


def case_track_changes(user: Any, case: Case) -> QuerySet[TrackChange]:
    if not can_use_guidance(user, case):
        return TrackChange.objects.none()
    return TrackChange.objects.filter(case=case)


def case_signal_decisions(user: Any, case: Case) -> QuerySet[SignalDecision]:
    if not can_use_guidance(user, case):
        return SignalDecision.objects.none()
    return SignalDecision.objects.filter(case=case)


def case_cycle_versions(user: Any, case: Case) -> QuerySet[CycleVersion]:
    """Every version for the case's therapists; only published ones for its partners."""
    if can_use_guidance(user, case):
        return CycleVersion.objects.filter(case=case)
    if policy.own_case_partner(user, case.pk) is not None:
        return CycleVersion.objects.filter(case=case, published_at__isnull=False)
    return CycleVersion.objects.none()


def published_cycle(user: Any) -> CycleVersion | None:
    """The newest published cycle map of a signed-in partner's own case."""
    mine = policy.own_partner(user)
    if mine is None:
        return None
    return case_cycle_versions(user, mine.case).order_by("-published_at", "-number").first()
