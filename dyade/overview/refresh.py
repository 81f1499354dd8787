"""Working the stored order by attention out: in the background, and for new assignments.

Two callers:

- **the background refresh** (``manage.py refresh_attention`` and its task,
  :func:`run`): it follows the assignments (states made for those without one,
  dropped for those that ended), puts right the copies of the current track
  (:func:`dyade.overview.tracks.sync`) and works out every state that is due, a
  batch at a time;
- **a new assignment** (a new case, a handover, a co-therapist; :func:`work_out`,
  after the transaction that made it commits): its state gets the number the
  refresh would give it before the therapist's next page is shown, instead of
  waiting below every open case worked out already.

Only states of therapists who could open the case are worked out: an active
therapist account of the case's practice, with the assignment the state is for
(:func:`for_able`, the policy core's ``assignments_for`` rule written as a filter on
the states). A deactivated therapist's states are not read at all until the account
is active again; then they are due as before (worked out before today), so the first
refresh after that works them out. The working out itself is
:func:`dyade.overview.attention.refresh_states`, as the page's own write-back is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from dyade.accounts.models import Role
from dyade.cases.models import Case
from dyade.overview import attention, tracks
from dyade.overview.models import AttentionState

BATCH = attention.BATCH


def for_able(states: Any) -> Any:
    """``states`` narrowed to those of a therapist who could open the case now."""
    assigned = Case.therapists.through.objects.filter(
        pk=OuterRef("assignment_id"), case_id=OuterRef("case_id"), user_id=OuterRef("therapist_id")
    )
    return states.filter(
        Exists(assigned),
        therapist__is_active=True,
        therapist__role=Role.THERAPIST,
        therapist__practice_id=F("case__practice_id"),
    )


def refresh(*, everything: bool = False, case_ids: Sequence[int] = (), batch: int = BATCH) -> int:
    """Work out every due state of an able therapist (or those of ``case_ids``), ``batch``
    at a time, each state once per call. Returns how many numbers were written."""
    chosen = (
        attention.due(everything)
        if not case_ids
        else AttentionState.objects.filter(case_id__in=list(case_ids))
    )
    chosen = for_able(chosen)
    written = 0
    last = 0
    while True:
        read_at = timezone.now()  # before the states and the data they are worked out from
        states = list(chosen.filter(pk__gt=last).order_by("pk")[:batch])
        if not states:
            return written
        last = states[-1].pk
        written += attention.refresh_states(states, read_at)


def run(*, everything: bool = False) -> tuple[int, int, int]:
    """The whole background refresh; returns states created, dropped and worked out."""
    made, dropped = attention.follow_assignments()
    tracks.sync()
    return made, dropped, refresh(everything=everything)


def work_out(pairs: Iterable[tuple[int, int]]) -> int:
    """Work out the states of the assignments ``(case id, therapist id)`` now."""
    wanted = Q()
    for case_id, user_id in set(pairs):
        wanted |= Q(case_id=case_id, therapist_id=user_id)
    if not wanted:
        return 0
    read_at = timezone.now()
    return attention.refresh_states(list(for_able(AttentionState.objects.filter(wanted))), read_at)
