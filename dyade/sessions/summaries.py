"""Giving the partners their closing summary, and taking it back.

A summary is given by the therapist's explicit action, never by closing the case.
What it holds is fixed when it is given (see :class:`PartnerSummary`); the audit
event names the parts. Giving a new one takes back the one given before, so the
partners always see one summary. The same form sent twice gives one summary. Both
change the case's record, so a closed case's retention term runs from them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from dyade.audit.services import record
from dyade.cases.models import Case, touch_case
from dyade.db.once import create_once_by_request_id
from dyade.sessions.models import CycleVersion, PartnerSummary


class AlreadyWithdrawn(Exception):
    """The summary was taken back before (a form sent twice, or a stale page)."""


def parts(cycle: CycleVersion | None, exercises: Sequence[str], note: str) -> list[str]:
    """What a summary holds, for its audit event: never its text, only its kinds."""
    found = ["outcome"]
    if note.strip():
        found.append("note")
    if cycle is not None:
        found.append(f"cycle v{cycle.number}")
    if exercises:
        found.append(f"exercises {len(exercises)}")
    return found


def give(
    request: HttpRequest,
    case: Case,
    *,
    note: str,
    cycle: CycleVersion | None,
    exercises: Sequence[str],
    request_id: uuid.UUID | None,
) -> tuple[PartnerSummary, bool]:
    """Give the partners of the closed ``case`` their summary; ``(summary, made now)``.

    The caller has checked that the user is one of the case's therapists and chosen
    ``cycle`` from the published versions and ``exercises`` from those given to both.
    """

    def create() -> PartnerSummary:
        now = timezone.now()
        earlier = PartnerSummary.objects.select_for_update().filter(
            case=case, withdrawn_at__isnull=True
        )
        for old in earlier:
            old.withdrawn_at, old.withdrawn_by = now, request.user
            old.save(update_fields=["withdrawn_at", "withdrawn_by"])
            record(request, "partner_summary.delete", obj=old, case=case, detail="replaced")
        summary = PartnerSummary.objects.create(
            case=case,
            outcome=case.outcome,
            note=note,
            cycle_version=cycle,
            exercises=list(exercises),
            given_by=request.user,
            given_at=now,
            request_id=request_id,
        )
        touch_case(case)  # the record changed: a closed case's retention term runs from now
        detail = ", ".join(parts(cycle, exercises, note))
        record(request, "partner_summary.create", obj=summary, case=case, detail=detail)
        return summary

    return create_once_by_request_id(PartnerSummary, request_id, create, case=case)


def withdraw(request: HttpRequest, summary: PartnerSummary) -> PartnerSummary:
    """Take a given summary back from the partners (the row and its trail stay)."""
    with transaction.atomic():
        locked = PartnerSummary.objects.select_for_update().get(pk=summary.pk)
        if locked.withdrawn_at is not None:
            raise AlreadyWithdrawn
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = request.user
        locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
        touch_case(locked.case)
        record(request, "partner_summary.delete", obj=locked, case=locked.case, detail="withdrawn")
    return locked
