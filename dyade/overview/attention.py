"""The stored order by attention: marked out of date, written back, refreshed in batches.

Three ways keep :class:`dyade.overview.models.AttentionState` close to what the
worklist would show now:

- **a write** that can change what a case needs bumps its states' ``marks`` in
  the same transaction (one UPDATE; ``dyade/overview/freshness.py`` says which);
- **the caseload page** works out the rows it shows anyway and writes back, in one
  statement, each whose number changed or that was out of date
  (:func:`write_back`);
- **the background refresh** (:func:`dyade.overview.refresh.refresh`, the task in
  ``dyade/overview/tasks.py`` and ``manage.py refresh_attention``) works out every
  state that is out of date or was worked out before today (the diary week and
  the window the guidance reads move with the calendar), a batch at a time.

A state is read before the data behind it, and keeps the ``marks`` it had then as
``computed_marks``: a write that lands in between leaves it out of date, never
the other way round. Working the order out reads client data as the therapist's
worklist does, with the policy core's proof that the therapist is the case's
(``policy.assignments_for``); it is not a person reading, so it writes no audit
event, and it stores only the number (docs/privacy.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, prefetch_related_objects
from django.utils import timezone

from dyade.accounts.models import User
from dyade.cases import policy
from dyade.cases.models import Case, Partner
from dyade.clinic import attention_order
from dyade.db import direct
from dyade.overview import worklist
from dyade.overview.models import AttentionState

BATCH = 200
_WRITTEN = ["rank", "computed_marks", "computed_at"]


def _assignments() -> Any:
    return Case.therapists.through.objects


# --- marking out of date -------------------------------------------------------------


def mark_cases(case_ids: Iterable[int]) -> None:
    ids = list(case_ids)
    if len(ids) == 1:
        # One case (every diary submit): a statement written once. Through the ORM,
        # building this UPDATE cost more CPU than the rest of the submit's write.
        direct.execute(connection, _MARK_ONE, ids).close()
        return
    AttentionState.objects.filter(case_id__in=ids).update(marks=F("marks") + 1)


_MARK_ONE = (
    f'UPDATE "{AttentionState._meta.db_table}" SET "marks" = "marks" + 1 '  # noqa: S608
    'WHERE "case_id" = %s'
)


def mark_partner(partner_id: int) -> None:
    cases = Partner.objects.filter(pk=partner_id).values("case_id")
    AttentionState.objects.filter(case_id__in=cases).update(marks=F("marks") + 1)


def mark_therapist(user_id: int) -> None:
    """Everything a therapist sees: their own profile feeds the guidance of each case."""
    AttentionState.objects.filter(therapist_id=user_id).update(marks=F("marks") + 1)


def mark_practice(practice_id: int) -> None:
    """Every case of a practice: its own values for reliable change feed each one."""
    cases = Case.objects.filter(practice_id=practice_id).values("pk")
    AttentionState.objects.filter(case_id__in=cases).update(marks=F("marks") + 1)


# --- states that follow the assignments ----------------------------------------------


def add(pairs: Iterable[tuple[int, int]]) -> list[int]:
    """States for the new assignments ``(case id, therapist id)``; the cases' ids."""
    pairs = set(pairs)
    if not pairs:
        return []
    cases = {case_id for case_id, _user in pairs}
    users = {user_id for _case, user_id in pairs}
    found = _assignments().filter(case_id__in=cases, user_id__in=users)
    AttentionState.objects.bulk_create(
        [
            AttentionState(case_id=case_id, therapist_id=user_id, assignment_id=pk)
            for pk, case_id, user_id in found.values_list("pk", "case_id", "user_id")
            if (case_id, user_id) in pairs
        ],
        ignore_conflicts=True,
    )
    return sorted(cases)


def remove(pairs: Iterable[tuple[int, int]]) -> None:
    """Drop the states of assignments that ended (a handover, a co-therapist leaving)."""
    wanted = Q()
    for case_id, user_id in set(pairs):
        wanted |= Q(case_id=case_id, therapist_id=user_id)
    if wanted:
        AttentionState.objects.filter(wanted).delete()


def follow_assignments() -> tuple[int, int]:
    """Create the states missing for assignments (made without Django's signals, or
    before the order was stored) and drop states whose assignment is gone.

    Returns how many were created and dropped; costs a pass over every assignment,
    so it belongs to the background refresh, not to a page.
    """
    missing = (
        _assignments()
        .filter(~Exists(AttentionState.objects.filter(assignment_id=OuterRef("pk"))))
        .values_list("pk", "case_id", "user_id", "case__status")
    )
    made = 0
    batch: list[AttentionState] = []
    for pk, case_id, user_id, status in missing.iterator(chunk_size=1000):
        rank = attention_order.UNKNOWN if status == "open" else attention_order.CLOSED
        batch.append(
            AttentionState(case_id=case_id, therapist_id=user_id, assignment_id=pk, rank=rank)
        )
        if len(batch) == 1000:
            made += len(AttentionState.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    made += len(AttentionState.objects.bulk_create(batch, ignore_conflicts=True))
    backed = _assignments().filter(
        pk=OuterRef("assignment_id"), case_id=OuterRef("case_id"), user_id=OuterRef("therapist_id")
    )
    dropped, _ = AttentionState.objects.filter(~Exists(backed)).delete()
    return made, dropped


# --- working the order out -------------------------------------------------------------


def rank_of(row: worklist.Row) -> int:
    return attention_order.stored(row.attention, is_open=row.case.is_open)


def start_of_today() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))


def write_back(
    states: Mapping[int, AttentionState], rows: Sequence[worklist.Row], read_at: dt.datetime
) -> int:
    """Store the number of each row whose state (by case id) differs, is out of date or
    was worked out before today; one statement. Returns how many were written."""
    today = start_of_today()
    changed = []
    for row in rows:
        state = states.get(row.case.pk)
        if state is None:
            continue
        rank = rank_of(row)
        if rank != state.rank or state.is_stale or state.computed_at < today:  # type: ignore[operator]
            state.rank = rank
            state.computed_marks = state.marks
            state.computed_at = read_at
            changed.append(state)
    if changed:
        AttentionState.objects.bulk_update(changed, _WRITTEN)
    return len(changed)


def due(everything: bool = False) -> Any:
    """States out of date or worked out before today (all of them with ``everything``)."""
    states = AttentionState.objects.all()
    if everything:
        return states
    return states.filter(
        Q(computed_at__isnull=True)
        | Q(computed_at__lt=start_of_today())
        | ~Q(marks=F("computed_marks"))
    )


def refresh_states(states: Sequence[AttentionState], read_at: dt.datetime) -> int:
    """Work out ``states`` again, per therapist as that therapist's worklist would."""
    by_therapist: dict[int, list[AttentionState]] = defaultdict(list)
    for state in states:
        by_therapist[state.therapist_id].append(state)
    users = User.objects.in_bulk(list(by_therapist))
    written = 0
    for user_id, own in by_therapist.items():
        user = users.get(user_id)
        if user is None:
            continue
        found = list(
            policy.assignments_for(user)
            .filter(case_id__in=[state.case_id for state in own])
            .select_related("case")
        )
        cases = policy.assigned_cases(user, found)  # nothing for an account that lost its role
        prefetch_related_objects(cases, "partners")
        rows = worklist.rows_for(user, cases)
        written += write_back({state.case_id: state for state in own}, rows, read_at)
    return written
