"""The therapist's exercise pages: give, debrief, move the ladder, record an in-session exercise."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dyade.audit.services import Outcome, prepare, record, record_many
from dyade.cases import closed_guard, policy
from dyade.cases.models import Case, Partner
from dyade.clinic import exercises as rules
from dyade.content import exercise_text, exercises
from dyade.db.once import RequestIdTaken
from dyade.exercises import access, display, ending, safety, services
from dyade.exercises.forms import (
    AssignExerciseForm,
    EndExerciseForm,
    SessionRecordForm,
)
from dyade.exercises.models import Assignment, SessionRecord
from dyade.i18n import language as _language
from dyade.sessions import access as sessions_access
from dyade.sessions.labels import reason_lines
from dyade.sessions.services import current_track


def _therapist(request: HttpRequest) -> None:
    if not policy.can_create_case(request.user):
        raise PermissionDenied


def _once(request: HttpRequest, case: Case, event: str, save: Any, *args: Any, **kw: Any) -> Any:
    """``save(...)``; a request id that belongs to another case's record is a bad request."""
    try:
        return save(*args, **kw)
    except RequestIdTaken:
        record(request, event, case=case, outcome=Outcome.INVALID, detail="request id taken")
        raise BadRequest from None


def _who_choices(case: Case, partners: list[Partner] | None = None) -> list[tuple[str, str]]:
    if partners is None:
        partners = list(case.partners.all())
    choices = [("couple", _("The couple"))] if len(partners) == 2 else []
    return choices + [(p.slot, f"{p.name} ({p.slot})") for p in partners]


def _with_partners(rows: Iterable[Any], partners: list[Partner]) -> list[Any]:
    """``rows`` with their ``partner`` taken from ``partners`` (read once, from the case the
    policy handed out), so deciding what each row shows asks nothing of the database."""
    by_id = {partner.pk: partner for partner in partners}
    found = list(rows)
    for row in found:
        if row.partner_id in by_id:
            row.partner = by_id[row.partner_id]
    return found


# --- the therapist ---------------------------------------------------------------------


@login_required
def case_exercises(request: HttpRequest, pk: int) -> HttpResponse:
    _therapist(request)
    event = "exercise.create" if request.method == "POST" else "exercise.list"
    case = policy.get_case(request, pk, event=event)
    if request.method == "POST":
        refused = closed_guard.refuse_if_closed(request, case, event, "cases:exercises", case.pk)
        if refused is not None:
            return refused
    language = _language()
    partners = list(case.partners.all())
    signs = safety.safety_signs(case, request.user, partners)
    form = AssignExerciseForm(
        request.POST or None,
        choices_for=_who_choices(case, partners),
        language=language,
        safety_signs=bool(signs),
        sessions=list(sessions_access.case_appointments(request.user, case)),
        initial={"request_id": uuid.uuid4()},
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            # The form offers only "couple" and the slots of ``partners``.
            partner = (
                None
                if data["who"] == "couple"
                else next(p for p in partners if p.slot == data["who"])
            )
            library = exercises()[data["slug"]]
            assignment, created = _once(
                request,
                case,
                "exercise.create",
                services.assign,
                request,
                case,
                slug=data["slug"],
                partner=partner,
                frequency=data["frequency"],
                agreements=[item["id"] for item in library.get("agreements") or []],
                own_agreements=data["own_agreements"],
                minutes=data["minutes"] or (library.get("timer") or {}).get("default_minutes"),
                review_date=data["review_date"],
                request_id=data["request_id"],
                safety_override=(data.get("safety_override") or "").strip(),
                appointment=data.get("appointment"),
            )
            if created:
                messages.success(request, _("The exercise has been given."))
            return redirect("cases:exercise", pk=case.pk, assignment_id=assignment.pk)
        record(request, "exercise.create", case=case, outcome=Outcome.INVALID)
    assignments = list(access.case_assignments(request.user, case))
    record_many(  # one insert, before anything is shown
        [
            prepare(request, "exercise.list", case=case, detail=f"{len(assignments)}"),
            prepare(request, "guidance.read", case=case, detail="safety check for exercises"),
        ]
    )
    rows = [
        {"assignment": a, "title": exercise_text(a.slug, language)["title"]}
        for a in assignments
        if a.slug in exercises()
    ]
    names = {p.slot: f"{p.name} ({p.slot})" for p in partners}
    context = {
        "case": case,
        "form": form,
        "rows": rows,
        "safety_signs": reason_lines([sign.as_json() for sign in signs], names),
    }
    return render(request, "exercises/case_exercises.html", context)


@login_required
def debrief(
    request: HttpRequest, pk: int, assignment_id: int, end_form: EndExerciseForm | None = None
) -> HttpResponse:
    _therapist(request)
    case = policy.get_case(request, pk, event="exercise.read")
    assignment = access.case_assignments(request.user, case).filter(pk=assignment_id).first()
    if assignment is None or assignment.slug not in exercises():
        record(
            request, "exercise.read", case=case, outcome=Outcome.DENIED, detail=f"{assignment_id}"
        )
        raise Http404
    language = _language()
    text = exercise_text(assignment.slug, language)
    partners = list(case.partners.all())
    logs = _with_partners(assignment.logs.select_related("run"), partners)
    answer_sets = _with_partners(assignment.answers.all(), partners)
    entries = _with_partners(assignment.entries.all(), partners)
    events = [
        prepare(request, "exercise.read", obj=assignment, case=case),
        prepare(request, "exercise_log.list", case=case, detail=f"{len(logs)} logs"),
    ]
    if entries:
        events.append(
            prepare(request, "exercise_log.list", case=case, detail=f"{len(entries)} entries")
        )
    if answer_sets:
        events.append(
            prepare(request, "exercise_answers.read", case=case, detail=f"{len(answer_sets)}")
        )
    record_many(events)  # before anything is shown
    by_date: dict[Any, dict[str, list[dict[str, Any]]]] = {}
    names = {p.slot: p.name for p in partners}
    for log in logs:
        view = display.in_words(access.log_view(request.user, log), log.run, names)
        view["shared_by_author"] = log.shared
        by_date.setdefault(log.date, {p.slot: [] for p in partners})[log.partner.slot].append(view)
    labels = {item["id"]: item["label"] for item in text.get("fields") or []}
    track = current_track(case)
    lens = "differentiation" if track is not None and track.track == "differentiation" else "eft"
    context = {
        "case": case,
        "assignment": assignment,
        "text": text,
        "partners": partners,
        "days": sorted(by_date.items(), reverse=True),
        "lens": lens,
        "prompts": (text.get("prompts") or {}).get(lens, []),
        "answers": [
            (a.partner, access.answers_view(request.user, a), a.shared) for a in answer_sets
        ],
        "ladder": text.get("ladder") or [],
        "end_form": end_form or EndExerciseForm(),
        "moves": list(assignment.moves.all()),
        "field_labels": {item["id"]: item["label"] for item in text.get("fields") or []},
        "entries": [
            {
                "partner": p,
                "items": [
                    {
                        **display.entry_lines(access.entry_view(request.user, e), labels),
                        "shared": e.shared,
                    }
                    for e in entries
                    if e.partner_id == p.pk
                ],
            }
            for p in partners
        ],
    }
    return render(request, "exercises/debrief.html", context, status=400 if end_form else 200)


def _assignment_to_change(
    request: HttpRequest, pk: int, assignment_id: int
) -> tuple[Case, Assignment]:
    """The case and one of its exercises for a change by its therapist, or a logged 404."""
    _therapist(request)
    case = policy.get_case(request, pk, event="exercise.update")
    assignment = access.case_assignments(request.user, case).filter(pk=assignment_id).first()
    if assignment is None:
        record(
            request, "exercise.update", case=case, outcome=Outcome.DENIED, detail=f"{assignment_id}"
        )
        raise Http404
    return case, assignment


@login_required
@require_POST
def end(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    """End an exercise as planned or withdraw it; the partners no longer see it."""
    case, assignment = _assignment_to_change(request, pk, assignment_id)
    form = EndExerciseForm(request.POST)
    if not form.is_valid():
        record(request, "exercise.update", case=case, outcome=Outcome.INVALID)
        return debrief(request, pk, assignment_id, end_form=form)
    withdrawn = form.cleaned_data["how"] == "withdrawn"
    try:
        ending.end(request, assignment, withdrawn=withdrawn, note=form.cleaned_data["note"])
    except ending.AlreadyEnded:
        messages.info(request, _("This exercise had already ended."))
    else:
        messages.success(
            request,
            _("The exercise has been withdrawn.") if withdrawn else _("The exercise has ended."),
        )
    return redirect("cases:exercise", pk=case.pk, assignment_id=assignment.pk)


@login_required
@require_POST
def move(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    case, assignment = _assignment_to_change(request, pk, assignment_id)
    direction = 1 if request.POST.get("direction") == "up" else -1
    try:
        step = services.move_step(request, assignment, direction)
    except rules.LadderError:
        messages.info(request, _("The couple is already at the end of the ladder."))
    else:
        messages.success(request, _("The couple is now on step %(step)s.") % {"step": step})
    return redirect("cases:exercise", pk=case.pk, assignment_id=assignment.pk)


# --- the partner ------------------------------------------------------------------------


@login_required
def in_session(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """The observation form of an in-session exercise (e.g. forearm stroking); clinical."""
    _therapist(request)
    event = "session_exercise.create" if request.method == "POST" else "session_exercise.list"
    case = policy.get_case(request, pk, event=event)
    data = exercises().get(slug)
    if data is None or data["kind"] != "in-session":
        record(request, event, case=case, outcome=Outcome.DENIED, detail=slug)
        raise Http404
    text = exercise_text(slug, _language())
    form = SessionRecordForm(
        request.POST or None,
        fields=text.get("fields") or [],
        initial={"request_id": uuid.uuid4(), "date": timezone.localdate()},
    )
    if request.method == "POST":
        if form.is_valid():
            _saved, created = _once(
                request,
                case,
                "session_exercise.create",
                services.save_session_record,
                request,
                case,
                slug,
                form.cleaned_data["date"],
                form.values(),
                form.cleaned_data["request_id"],
            )
            if created:
                messages.success(request, _("Your observation has been saved."))
            return redirect("cases:in_session", pk=case.pk, slug=slug)
        record(request, event, case=case, outcome=Outcome.INVALID)
    with transaction.atomic():
        records = list(SessionRecord.objects.filter(case=case, slug=slug))
        record(request, "session_exercise.list", case=case, detail=f"{len(records)}")
    labels = {item["id"]: item["label"] for item in text.get("fields") or []}
    earlier = [
        {"record": item, "lines": [(labels.get(k, k), v) for k, v in item.values.items()]}
        for item in records
    ]
    context = {"case": case, "text": text, "form": form, "earlier": earlier}
    return render(request, "exercises/in_session.html", context)
