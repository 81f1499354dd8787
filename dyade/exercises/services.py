"""Giving exercises, moving the ladder, storing logs and timer runs (with their audit events)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from dyade.audit.services import record
from dyade.cases.models import Case, Partner
from dyade.clinic import exercises as rules
from dyade.content import exercises as library
from dyade.db.once import create_once_by_request_id
from dyade.exercises.models import (
    Answers,
    Assignment,
    Entry,
    LadderMove,
    Log,
    Run,
    SessionRecord,
)


def assign(
    request: HttpRequest,
    case: Case,
    *,
    slug: str,
    partner: Partner | None,
    frequency: str,
    agreements: list[str],
    own_agreements: str,
    minutes: int | None,
    review_date: dt.date | None,
    request_id: uuid.UUID | None,
    safety_override: str = "",
    appointment: Any = None,
) -> tuple[Assignment, bool]:
    """Give an exercise; ``safety_override`` is the therapist's reason to give a touch or
    sexual exercise despite a sign in a safety screen (kept encrypted, its use audited)."""
    data = library()[slug]

    def create() -> Assignment:
        assignment = Assignment.objects.create(
            case=case,
            partner=partner,
            slug=slug,
            version=data.get("version", 1),
            step=1 if data["kind"] == "ladder" else None,
            frequency=frequency,
            agreements=agreements,
            own_agreements=own_agreements,
            minutes=minutes,
            review_date=review_date,
            safety_override=safety_override,
            assigned_by=request.user,
            request_id=request_id,
            appointment=appointment,
        )
        record(request, "exercise.create", obj=assignment, case=case, detail=slug)
        if safety_override:
            record(request, "exercise_override.create", obj=assignment, case=case, detail=slug)
        return assignment

    return create_once_by_request_id(Assignment, request_id, create, case=case)


def move_step(request: HttpRequest, assignment: Assignment, direction: int) -> int:
    """Move a ladder exercise one step; raise ``LadderError`` at either end."""
    steps = len(library()[assignment.slug].get("ladder") or [])
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        target = rules.move(locked.step or 1, direction, steps)
        LadderMove.objects.create(
            assignment=locked, from_step=locked.step or 1, to_step=target, moved_by=request.user
        )
        locked.step = target
        locked.save(update_fields=["step"])
        record(request, "exercise.update", obj=locked, case=locked.case, detail=f"step {target}")
    assignment.step = target
    return target


def save_log(
    request: HttpRequest,
    assignment: Assignment,
    partner: Partner,
    values: Mapping[str, Any],
    shared: bool,
    request_id: uuid.UUID | None,
    log: Log | None = None,
) -> tuple[Log, bool]:
    """Store a checked log; a repeated ``request_id`` returns the first one."""
    clean = rules.check_log(values)
    stored = {
        key: (value.value if hasattr(value, "value") else value) for key, value in clean.items()
    }
    date = stored.pop("date")
    if log is None:

        def create() -> Log:
            made = Log.objects.create(
                assignment=assignment,
                partner=partner,
                date=date,
                values_json=json.dumps(stored, ensure_ascii=False),
                shared=shared,
                request_id=request_id,
            )
            record(request, "exercise_log.create", obj=made, partner=partner)
            return made

        return create_once_by_request_id(Log, request_id, create, partner=partner)
    with transaction.atomic():
        log.date = date
        log.values_json = json.dumps(stored, ensure_ascii=False)
        log.shared = shared
        log.save(update_fields=["date", "values_json", "shared"])
        record(request, "exercise_log.update", obj=log, partner=partner)
        return log, False


def save_session_record(
    request: HttpRequest,
    case: Case,
    slug: str,
    date: dt.date,
    values: Mapping[str, Any],
    request_id: uuid.UUID | None,
) -> tuple[SessionRecord, bool]:
    """The therapist's observation of an in-session exercise; a resend returns the first."""

    def create() -> SessionRecord:
        saved = SessionRecord.objects.create(
            case=case,
            slug=slug,
            date=date,
            values_json=json.dumps(dict(values), ensure_ascii=False),
            recorded_by=request.user,
            request_id=request_id,
        )
        record(request, "session_exercise.create", obj=saved, case=case, detail=slug)
        return saved

    return create_once_by_request_id(SessionRecord, request_id, create, case=case)


def save_entry(
    request: HttpRequest,
    assignment: Assignment,
    partner: Partner,
    date: dt.date,
    values: Mapping[str, Any],
    shared: bool,
    request_id: uuid.UUID | None,
) -> tuple[Entry, bool]:
    """Store one entry of a log exercise; a repeated ``request_id`` returns the first one."""

    def create() -> Entry:
        entry = Entry.objects.create(
            assignment=assignment,
            partner=partner,
            date=date,
            values_json=json.dumps(dict(values), ensure_ascii=False),
            shared=shared,
            request_id=request_id,
        )
        record(request, "exercise_log.create", obj=entry, partner=partner)
        return entry

    return create_once_by_request_id(Entry, request_id, create, partner=partner)


def record_run(
    request: HttpRequest,
    assignment: Assignment,
    partner: Partner,
    run_id: str,
    events: Iterable[Mapping[str, Any]],
) -> tuple[Run, rules.Run]:
    """Merge the phone's events into the run ``run_id``; the first stop makes its log.

    Sending the same events again (after a lost connection) changes nothing.
    Raises ``TimerError`` for events that do not make a run.
    """
    incoming = [rules.parse_event(item) for item in events]
    try:
        return _merge_run(request, assignment, partner, run_id, incoming)
    except IntegrityError:
        # Two sends of a new run at once: the other made the run; merge into it.
        return _merge_run(request, assignment, partner, run_id, incoming)


def _merge_run(
    request: HttpRequest,
    assignment: Assignment,
    partner: Partner,
    run_id: str,
    incoming: list[rules.Event],
) -> tuple[Run, rules.Run]:
    with transaction.atomic():
        run = Run.objects.select_for_update().filter(run_id=run_id).first()
        if run is not None and (run.assignment_id != assignment.pk or run.partner_id != partner.pk):
            raise rules.TimerError("this run belongs to another exercise")
        known = [rules.parse_event(item) for item in run.events] if run else []
        merged = rules.merge(known, incoming)
        summary = rules.run_of(merged)
        data = json.dumps([rules.event_json(event) for event in merged])
        if run is None:
            run = Run.objects.create(
                assignment=assignment,
                partner=partner,
                run_id=run_id,
                events_json=data,
                started_at=summary.start,
                ended_at=summary.end,
            )
            record(request, "exercise_run.create", obj=run, partner=partner)
        elif run.events_json != data:
            run.events_json = data
            run.ended_at = summary.end
            run.save(update_fields=["events_json", "ended_at"])
            record(request, "exercise_run.update", obj=run, partner=partner)
        if summary.end is not None and not Log.objects.filter(run=run).exists():
            log = Log.objects.create(
                assignment=assignment,
                partner=partner,
                date=timezone.localtime(summary.start).date(),
                run=run,
            )
            record(request, "exercise_log.create", obj=log, partner=partner, detail="from a run")
    return run, summary


def save_answers(
    request: HttpRequest,
    assignment: Assignment,
    partner: Partner,
    values: dict[str, Any],
    shared: bool,
) -> Answers:
    with transaction.atomic():
        answers, created = Answers.objects.select_for_update().get_or_create(
            assignment=assignment, partner=partner
        )
        answers.values_json = json.dumps(values, ensure_ascii=False)
        answers.shared = shared
        answers.updated_at = timezone.now()
        answers.save()
        record(
            request,
            "exercise_answers.create" if created else "exercise_answers.update",
            obj=answers,
            partner=partner,
        )
    return answers
