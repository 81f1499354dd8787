"""Which writes make the stored order by attention out of date, and the receivers that say so.

What a case needs (``dyade/overview/worklist.py``) is worked out from its
questionnaires (safety answers, those waiting, session check-ins), four weeks of
diary, observations, signal decisions, the track, whether a cycle map exists, its
sessions, its partners (whether they joined), its status, and the therapist's own
profile and the practice's values for reliable change. A save or delete of any of
these bumps ``marks`` of the states concerned in the same transaction (one
UPDATE). The diary submit updates its row without ``save()`` and sends
:data:`dyade.cases.changes.case_data_changed` instead.

A new assignment (a new case, a handover, a co-therapist) gets its state at once,
with the case's current track, and the state is worked out as soon as the
transaction that made it commits (:func:`dyade.overview.refresh.work_out`), so the
case takes its place on the therapist's next page. After the commit, not inside it:
the new case's partners, invitations and first records are written in the same
transaction after the assignment, and a number worked out before them would be
out of date at once; and a failure there cannot undo the case (it is logged, and
the state waits, never worked out, for the background refresh). An assignment
that ends takes its state with it. A track change also copies the case's current
track onto its states (``dyade/overview/tracks.py``). Connected in
:meth:`dyade.overview.apps.OverviewConfig.ready`.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from dyade.cases.changes import case_data_changed
from dyade.cases.models import Case, Partner
from dyade.diary.models import DiaryEntry
from dyade.overview import attention, refresh, tracks
from dyade.overview.models import AttentionState
from dyade.progress.models import ChangeValues
from dyade.questionnaires.models import Administration
from dyade.reflection.models import TherapistProfile
from dyade.sessions.models import (
    Appointment,
    CycleVersion,
    Observation,
    SignalDecision,
    TrackChange,
)

# Rows that carry their case's id.
BY_CASE: tuple[type[models.Model], ...] = (
    Partner,
    Administration,
    Appointment,
    Observation,
    SignalDecision,
    CycleVersion,
)  # and TrackChange: marked with its track copied, in one UPDATE (_track)


def _by_case(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        attention.mark_cases([instance.case_id])


def _case(sender: Any, instance: Case, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # closed, reopened, its form changed
        attention.mark_cases([instance.pk])


def _diary(sender: Any, instance: DiaryEntry, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    if DiaryEntry.partner.is_cached(instance):
        attention.mark_cases([instance.partner.case_id])
    else:
        attention.mark_partner(instance.partner_id)


def _profile(sender: Any, instance: TherapistProfile, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        attention.mark_therapist(instance.user_id)


def _practice_values(sender: Any, instance: ChangeValues, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        attention.mark_practice(instance.practice_id)


def _changed(
    sender: Any, case_id: int | None = None, partner_id: int | None = None, **kwargs: Any
) -> None:
    if case_id is not None:
        attention.mark_cases([case_id])
    elif partner_id is not None:
        attention.mark_partner(partner_id)


def _track(sender: Any, instance: TrackChange, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        tracks.follow([instance.case_id], mark=True)


def _assignments(
    sender: Any,
    instance: Any,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    """Case.therapists changed: ``instance`` is the case, or the user when ``reverse``."""
    if action == "post_clear":
        field = "therapist" if reverse else "case"
        AttentionState.objects.filter(**{field: instance}).delete()
        return
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    pairs = [(other, instance.pk) if reverse else (instance.pk, other) for other in pk_set]
    if action == "post_remove":
        attention.remove(pairs)
        return
    tracks.follow(attention.add(pairs))
    transaction.on_commit(lambda: refresh.work_out(pairs), robust=True)


def connect() -> None:
    """Connect every receiver (once: each has a dispatch id)."""
    for model in BY_CASE:
        for signal in (post_save, post_delete):
            signal.connect(_by_case, sender=model, dispatch_uid=f"attention-{model.__name__}")
    post_save.connect(_case, sender=Case, dispatch_uid="attention-case")
    for signal in (post_save, post_delete):
        signal.connect(_track, sender=TrackChange, dispatch_uid="attention-track")
    for signal in (post_save, post_delete):
        signal.connect(_diary, sender=DiaryEntry, dispatch_uid="attention-diary")
        signal.connect(_profile, sender=TherapistProfile, dispatch_uid="attention-profile")
        signal.connect(_practice_values, sender=ChangeValues, dispatch_uid="attention-values")
    m2m_changed.connect(
        _assignments, sender=Case.therapists.through, dispatch_uid="attention-assignments"
    )
    case_data_changed.connect(_changed, dispatch_uid="attention-changed")
