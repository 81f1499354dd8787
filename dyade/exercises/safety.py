"""Whether touch and sexual exercises must wait for the therapist's explicit reason.

The rule is pure (:func:`dyade.clinic.guidance.sex_work_blocked`): any sign in a
partner's own safety screen, or a case on the safety track. This module reads
what the rule needs through the guidance snapshot (questionnaires, observations,
track; not the diary) for a therapist the policy already let into the case.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from dyade.cases.models import Case, Partner
from dyade.clinic import guidance, snapshot
from dyade.clinic.guidance import Reason
from dyade.sessions import case_snapshot


def safety_signs(case: Case, viewer: Any, partners: Sequence[Partner]) -> list[Reason]:
    """The reasons to hold back touch and sexual exercises in ``case`` (empty: none)."""
    loaded = case_snapshot.Loaded(partners=partners, diary={}, cycle_mapped=False)
    data = case_snapshot.build(case, viewer, timezone.localdate(), loaded)
    try:
        parsed = snapshot.parse(data)
    except snapshot.SnapshotError:
        # Stored answers the snapshot cannot read: do not assume the screen is clean.
        return [Reason("safety.unreadable", True)]
    return guidance.sex_work_blocked(parsed)
