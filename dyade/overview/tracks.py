"""The case's current track, copied onto each of its states for the caseload's track filter.

The current track is the newest :class:`dyade.sessions.models.TrackChange` of the case
(by ``changed_at``, then id), as the case page's timeline and the worklist's column
read it. Filtering the caseload on that newest change in SQL made PostgreSQL guess
how many cases pass it, guess wrong, and work out the subquery for every assignment
of the therapist before cutting the page (docs/performance.md). A copy of the track's
name on :class:`dyade.overview.models.AttentionState`, in the index ``attention_track``
(therapist, track, rank, assignment), lets the page read one track in the order of
attention straight from the index, with statistics the planner can use.

The copy is written in the same transaction as what it copies: every save or delete
of a track change (``dyade/overview/freshness.py``, in the same UPDATE that marks the
case's states out of date) and every new state (a new
assignment, or one the page or the refresh adopts) take the case's current track.
:func:`sync` puts right any copy that differs (track changes written without Django's
signals, in bulk); the background refresh runs it. ``""`` means no track.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from dyade.overview.models import AttentionState
from dyade.sessions.models import TrackChange

NONE = ""


def current(case_field: str = "case_id") -> Any:
    """The current track's name of the case in ``case_field`` of the outer query ("" none)."""
    newest = (
        TrackChange.objects.filter(case_id=OuterRef(case_field))
        .order_by("-changed_at", "-pk")
        .values("track")[:1]
    )
    return Coalesce(Subquery(newest), Value(NONE))


def follow(case_ids: Iterable[int], *, mark: bool = False) -> int:
    """Copy the current track of each case onto its states; one UPDATE. With ``mark``
    the same statement marks them out of date (a track change changes what the case
    needs). Returns the rows."""
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    changes: dict[str, Any] = {"track": current()}
    if mark:
        changes["marks"] = F("marks") + 1
    return AttentionState.objects.filter(case_id__in=ids).update(**changes)


def sync() -> int:
    """Put right every state whose copy differs from its case's current track.

    One statement over all states (a subquery per state on the track changes' index),
    so it belongs to the background refresh, not to a page. Returns how many changed.
    """
    differs = ~Q(track=current())
    return AttentionState.objects.filter(differs).update(track=current())
