"""Ending an exercise: done as planned, or withdrawn because it did not fit.

Either way the exercise becomes inactive: it leaves the partners' pages and their
reminders (which look for active exercises only), and stays on the therapist's
list with when and how it ended. The caller has checked with the policy core that
the request's user is one of the case's therapists.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from dyade.audit.services import record
from dyade.exercises.models import Assignment


class AlreadyEnded(Exception):
    """The exercise ended before (a form sent twice, or a stale page)."""


def end(request: HttpRequest, assignment: Assignment, *, withdrawn: bool, note: str) -> Assignment:
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if not locked.active or locked.ended_at is not None:
            raise AlreadyEnded
        locked.active = False
        locked.ended_at = timezone.now()
        locked.withdrawn = withdrawn
        locked.end_note = note
        locked.save(update_fields=["active", "ended_at", "withdrawn", "end_note"])
        record(
            request,
            "exercise.update",
            obj=locked,
            case=locked.case,
            detail="withdrawn" if withdrawn else "ended",
        )
    return locked
