"""A case's life after it was made: its form of work, closing, reopening, its therapists.

Each change runs in one transaction on the locked case row, writes its audit event
in that transaction and sets :attr:`Case.changed_at` (the retention terms of a
closed case run from there). The caller has checked with the policy core that the
request's user is one of the case's therapists. Sending a form again changes
nothing twice: closing a closed case, reopening an open one, adding a therapist who
is already there or handing over to oneself is answered with :class:`NoChange`.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from dyade.accounts.models import User
from dyade.audit.services import record
from dyade.cases.models import Case, CaseStatus, Outcome


class NoChange(Exception):
    """The case is already as asked (a form sent twice, or a stale page)."""


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def change_form(request: HttpRequest, case: Case, form: str) -> Case:
    with transaction.atomic():
        locked = _locked(case)
        if locked.form == form:
            raise NoChange
        before = locked.form
        locked.form = form
        locked.changed_at = timezone.now()
        locked.save(update_fields=["form", "changed_at"])
        record(request, "case_form.update", obj=locked, case=locked, detail=f"{before} {form}")
    return locked


def close(request: HttpRequest, case: Case, *, outcome: str, stopped_by: str, note: str) -> Case:
    """Close the case with an outcome (and who stopped, for a case stopped early)."""
    if outcome != Outcome.STOPPED_EARLY:
        stopped_by = ""
    with transaction.atomic():
        locked = _locked(case)
        if locked.status == CaseStatus.CLOSED:
            raise NoChange
        now = timezone.now()
        locked.status = CaseStatus.CLOSED
        locked.closed_at = now
        locked.outcome = outcome
        locked.stopped_by = stopped_by
        locked.closing_note = note
        locked.changed_at = now
        locked.save(
            update_fields=[
                "status",
                "closed_at",
                "outcome",
                "stopped_by",
                "closing_note",
                "changed_at",
            ]
        )
        record(request, "case_closing.create", obj=locked, case=locked, detail=outcome)
    return locked


def reopen(request: HttpRequest, case: Case) -> Case:
    """Open a closed case again (a couple returns); the last closing stays in the audit trail."""
    with transaction.atomic():
        locked = _locked(case)
        if locked.status == CaseStatus.OPEN:
            raise NoChange
        before = locked.outcome
        locked.status = CaseStatus.OPEN
        locked.closed_at = None
        locked.outcome = ""
        locked.stopped_by = ""
        locked.changed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at", "outcome", "stopped_by", "changed_at"])
        # The closing note stays: it belongs to the case's story, for its therapists.
        record(request, "case_closing.delete", obj=locked, case=locked, detail=f"was {before}")
    return locked


def add_therapist(request: HttpRequest, case: Case, colleague: User) -> Case:
    """Co-therapy: a colleague of the same practice joins the case."""
    with transaction.atomic():
        locked = _locked(case)
        if locked.therapists.filter(pk=colleague.pk).exists():
            raise NoChange
        locked.therapists.add(colleague)
        locked.changed_at = timezone.now()
        locked.save(update_fields=["changed_at"])
        record(
            request, "case_therapist.create", obj=locked, case=locked, detail=f"id {colleague.pk}"
        )
    return locked


def hand_over(request: HttpRequest, case: Case, colleague: User) -> Case:
    """The case passes from the request's therapist to ``colleague``; the first loses access."""
    leaving = request.user
    if colleague.pk == leaving.pk:
        raise NoChange
    with transaction.atomic():
        locked = _locked(case)
        locked.therapists.remove(leaving)
        locked.therapists.add(colleague)
        locked.changed_at = timezone.now()
        locked.save(update_fields=["changed_at"])
        record(
            request,
            "case_therapist.update",
            obj=locked,
            case=locked,
            detail=f"from id {leaving.pk} to id {colleague.pk}",
        )
    return locked
