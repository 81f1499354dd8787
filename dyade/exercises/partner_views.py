"""The partner's exercise pages: practise, log, and the timer that keeps working offline.

The timer page works offline once loaded: ``static/dyade/timer.js`` keeps the
run's events on the phone and sends them to :func:`run_events` until the
server has them; the server merges by event id, so a resend is harmless.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dyade.audit.services import Outcome, record
from dyade.cases import policy
from dyade.clinic import exercises as rules
from dyade.content import exercise_text, exercises
from dyade.db.once import RequestIdTaken
from dyade.exercises import access, display, services
from dyade.exercises.forms import (
    AnswersForm,
    EntryForm,
    LogForm,
)
from dyade.exercises.models import Answers, Log
from dyade.i18n import content_language

MAX_BODY = 64 * 1024
# Guided exercises with a breathing pacer on the timer page: in 4 s, out 6 s.
PACED = ("self-soothing", "synchronised-hugging")


@login_required
def my_exercises(request: HttpRequest) -> HttpResponse:
    partner = policy.partner_or_403(request)
    with transaction.atomic():
        assignments = [
            a
            for a in access.own_assignments(request.user).filter(active=True)
            if a.slug in exercises()
        ]
        record(request, "exercise.list", partner=partner, detail=f"{len(assignments)}")
    language = content_language()
    items = [{"assignment": a, "text": exercise_text(a.slug, language)} for a in assignments]
    return render(request, "exercises/my_exercises.html", {"items": items})


def _once(request: HttpRequest, partner: Any, save: Any, *args: Any) -> Any:
    """``save(*args)``; a request id that belongs to someone else's record is a bad request."""
    try:
        return save(*args)
    except RequestIdTaken:
        record(request, "exercise_log.create", partner=partner, outcome=Outcome.INVALID)
        raise BadRequest from None


def _log_form(request: HttpRequest, log: Log | None = None) -> LogForm:
    allow_empty = log is not None and log.run_id is not None  # the run says what happened
    if request.method == "POST":
        return LogForm(request.POST, allow_empty=allow_empty)
    initial: dict[str, Any] = {"request_id": uuid.uuid4(), "date": timezone.localdate()}
    if log is not None:
        values = log.values
        initial.update(values)
        initial["date"] = log.date
        initial["shared"] = log.shared
        if "agreements_held" in values:
            initial["agreements_held"] = "yes" if values["agreements_held"] else "no"
    return LogForm(initial=initial, allow_empty=allow_empty)


@login_required
def exercise(request: HttpRequest, pk: int) -> HttpResponse:
    partner = policy.partner_or_403(request)
    event = "exercise_log.create" if request.method == "POST" else "exercise.read"
    assignment = access.get_own_assignment(request, pk, event=event)
    data = exercises().get(assignment.slug)
    if data is None:
        raise Http404
    text = exercise_text(assignment.slug, content_language())
    has_fields = data["kind"] in ("inventory", "plan") and bool(text.get("fields"))
    answers = Answers.objects.filter(assignment=assignment, partner=partner).first()
    answers_form = None
    log_form = None
    entry_form = None
    if data["kind"] == "log":
        entry_form = EntryForm(
            request.POST or None,
            fields=text.get("fields") or [],
            initial={"request_id": uuid.uuid4(), "date": timezone.localdate()},
        )
    elif has_fields:
        initial = {f"f-{k}": v for k, v in (answers.values if answers else {}).items()}
        initial["shared"] = answers.shared if answers else False
        answers_form = AnswersForm(request.POST or None, fields=text["fields"], initial=initial)
    else:
        log_form = _log_form(request)
    if request.method == "POST":
        if entry_form is not None and entry_form.is_valid():
            _entry, created = _once(
                request,
                partner,
                services.save_entry,
                request,
                assignment,
                partner,
                entry_form.cleaned_data["date"],
                entry_form.values(),
                entry_form.cleaned_data["shared"],
                entry_form.cleaned_data["request_id"],
            )
            if created:
                messages.success(request, _("Your log has been saved."))
            return redirect("diary:exercise", pk=assignment.pk)
        if answers_form is not None and answers_form.is_valid():
            services.save_answers(
                request,
                assignment,
                partner,
                answers_form.values(),
                answers_form.cleaned_data["shared"],
            )
            messages.success(request, _("Your answers have been saved."))
            return redirect("diary:exercise", pk=assignment.pk)
        if log_form is not None and log_form.is_valid():
            _log, created = _once(
                request,
                partner,
                services.save_log,
                request,
                assignment,
                partner,
                log_form.log_values(),
                log_form.cleaned_data["shared"],
                log_form.cleaned_data["request_id"],
            )
            if created:
                messages.success(request, _("Your log has been saved."))
            return redirect("diary:exercise", pk=assignment.pk)
        record(request, "exercise_log.create", partner=partner, outcome=Outcome.INVALID)
    names = display.partner_names(partner.case)
    with transaction.atomic():
        record(request, "exercise.read", obj=assignment, partner=partner)
        mine = [
            {
                "log": log,
                "view": display.in_words(access.log_view(request.user, log), log.run, names),
            }
            for log in assignment.logs.filter(partner=partner).select_related("run")
        ]
        other = partner.other
        theirs = []
        if other is not None and assignment.partner_id is None:
            for log in assignment.logs.filter(partner=other).select_related("run"):
                view = access.log_view(request.user, log)
                if view:
                    theirs.append({"view": display.in_words(view, log.run, names)})
            record(request, "exercise_log.list", partner=other, detail="shared fields")
        labels = {item["id"]: item["label"] for item in text.get("fields") or []}
        my_entries = [
            display.entry_lines(access.entry_view(request.user, e), labels)
            for e in assignment.entries.filter(partner=partner)
        ]
        their_entries = []
        if other is not None and assignment.partner_id is None:
            their_entries = [
                display.entry_lines(view, labels)
                for e in assignment.entries.filter(partner=other, shared=True)
                if (view := access.entry_view(request.user, e))
            ]
    ladder_step = None
    if data["kind"] == "ladder" and assignment.step:
        ladder_step = next((s for s in text["ladder"] if s["step"] == assignment.step), None)
    context = {
        "assignment": assignment,
        "text": text,
        "agreements": [a for a in text.get("agreements") or [] if a["id"] in assignment.agreements],
        "own_agreements": [line for line in assignment.own_agreements.splitlines() if line.strip()],
        "ladder_step": ladder_step,
        "log_form": log_form,
        "answers_form": answers_form,
        "entry_form": entry_form,
        "my_entries": my_entries,
        "their_entries": their_entries,
        "mine": mine,
        "theirs": theirs,
        "other": other,
    }
    return render(request, "exercises/exercise.html", context)


@login_required
def edit_log(request: HttpRequest, pk: int, log_id: int) -> HttpResponse:
    partner = policy.partner_or_403(request)
    assignment = access.get_own_assignment(request, pk, event="exercise_log.update")
    log = assignment.logs.filter(pk=log_id, partner=partner).select_related("run").first()
    if log is None:
        record(
            request,
            "exercise_log.update",
            partner=partner,
            outcome=Outcome.DENIED,
            detail=f"{log_id}",
        )
        raise Http404
    form = _log_form(request, log)
    if request.method == "POST":
        if form.is_valid():
            services.save_log(
                request,
                assignment,
                partner,
                form.log_values(),
                form.cleaned_data["shared"],
                None,
                log=log,
            )
            messages.success(request, _("Your log has been saved."))
            return redirect("diary:exercise", pk=assignment.pk)
        record(request, "exercise_log.update", partner=partner, outcome=Outcome.INVALID)
    else:
        record(request, "exercise_log.read", obj=log, partner=partner)
    text = exercise_text(assignment.slug, content_language())
    context = {
        "assignment": assignment,
        "text": text,
        "form": form,
        "log": log,
        "view": {"summary": display.run_summary(log.run, display.partner_names(partner.case))},
    }
    return render(request, "exercises/log_form.html", context)


@login_required
def timer(request: HttpRequest, pk: int) -> HttpResponse:
    partner = policy.partner_or_403(request)
    assignment = access.get_own_assignment(request, pk)
    data = exercises().get(assignment.slug) or {}
    if not data.get("timer"):
        raise Http404
    record(request, "exercise.read", obj=assignment, partner=partner, detail="timer")
    text = exercise_text(assignment.slug, content_language())
    partners = list(partner.case.partners.all()) if assignment.partner_id is None else [partner]
    context = {
        "assignment": assignment,
        "text": text,
        "minutes": assignment.minutes or data["timer"]["default_minutes"],
        "breaks": bool(data["timer"].get("breaks")),
        "pacer": assignment.slug in PACED,
        "partners": partners,
    }
    return render(request, "exercises/timer.html", context)


@login_required
@require_POST
def run_events(request: HttpRequest, pk: int) -> JsonResponse:
    """Receive a run's events as JSON: ``{"run": id, "events": [...]}``; idempotent."""
    partner = policy.own_partner(request.user)
    if partner is None or not partner.case.is_open:  # a closed case's pages are closed
        return JsonResponse({"error": "not found"}, status=404)
    assignment = access.own_assignments(request.user).filter(pk=pk, active=True).first()
    if assignment is None:
        record(request, "exercise_run.create", outcome=Outcome.DENIED, detail=f"exercise id {pk}")
        return JsonResponse({"error": "not found"}, status=404)
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": "too large"}, status=413)
    try:
        payload = json.loads(request.body)
        run_id = payload["run"]
        events = payload["events"]
        if (
            not isinstance(run_id, str)
            or not 8 <= len(run_id) <= 64
            or not (run_id.isascii() and run_id.isprintable())
            or not isinstance(events, list)
        ):
            raise ValueError
    except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: deep nesting
        record(request, "exercise_run.create", partner=partner, outcome=Outcome.INVALID)
        return JsonResponse({"error": _("The timer sent something unreadable.")}, status=400)
    try:
        run, summary = services.record_run(request, assignment, partner, run_id, events)
    except rules.TimerError as error:
        record(
            request,
            "exercise_run.create",
            partner=partner,
            outcome=Outcome.INVALID,
            detail=str(error),
        )
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(
        {
            "run": run.run_id,
            "events": len(run.events),
            "ended": summary.end is not None,
            "breaks": len(summary.breaks),
        }
    )


# --- exercises done in the session, recorded by the therapist ---------------------------
