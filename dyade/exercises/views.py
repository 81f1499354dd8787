"""Exercise pages: the therapist gives and debriefs, the partner practises and logs.

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
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dyade.audit.services import Outcome, record
from dyade.cases import policy
from dyade.cases.models import Case, Partner
from dyade.clinic import exercises as rules
from dyade.content import exercise_text, exercises
from dyade.exercises import services
from dyade.exercises.forms import (
    FEELING_CHOICES,
    ROLE_CHOICES,
    THOUGHT_CHOICES,
    AnswersForm,
    AssignExerciseForm,
    EntryForm,
    LogForm,
    SessionRecordForm,
)
from dyade.exercises.models import Answers, Entry, Log, SessionRecord
from dyade.i18n import language as _language
from dyade.sessions.services import current_track

MAX_BODY = 64 * 1024
# Guided exercises with a breathing pacer on the timer page: in 4 s, out 6 s.
PACED = ("self-soothing", "synchronised-hugging")


def _therapist(request: HttpRequest) -> None:
    if not policy.can_create_case(request.user):
        raise PermissionDenied


def _partner(request: HttpRequest) -> Partner:
    partner = policy.own_partner(request.user)
    if partner is None:
        raise PermissionDenied
    return partner


def _who_choices(case: Case) -> list[tuple[str, str]]:
    partners = list(case.partners.all())
    choices = [("couple", _("The couple"))] if len(partners) == 2 else []
    return choices + [(p.slot, f"{p.name} ({p.slot})") for p in partners]


def _names(case: Case) -> dict[str, str]:
    return {p.slot: p.name for p in case.partners.all()}


def _run_summary(run: Any, names: dict[str, str]) -> dict[str, Any] | None:
    """Length and balance breaks of a timer run, with the names of who took each break."""
    if run is None:
        return None
    summary = rules.run_of(rules.parse_event(item) for item in run.events)
    return {
        "start": summary.start,
        "minutes": round(summary.seconds / 60, 1) if summary.seconds is not None else None,
        "breaks": [
            {"name": names.get(item.slot, ""), "seconds": round(item.seconds)}
            for item in summary.breaks
        ],
    }


def _in_words(view: dict[str, Any], run: Any, names: dict[str, str]) -> dict[str, Any]:
    """A visible log with its codes in the reader's language and its run summarised."""
    words = dict(view)
    if "role" in words:
        words["role"] = dict(ROLE_CHOICES).get(words["role"], words["role"])
    if "feeling" in words:
        words["feeling"] = dict(FEELING_CHOICES).get(words["feeling"], words["feeling"])
    if "thoughts" in words:
        words["thoughts"] = [str(dict(THOUGHT_CHOICES).get(t, t)) for t in words["thoughts"]]
    words["summary"] = _run_summary(run, names) if "run" in view else None
    return words


def _entry_lines(view: dict[str, Any], labels: dict[str, Any]) -> dict[str, Any]:
    """A visible log entry as its day and (label, text) lines."""
    return {
        "date": view.get("date"),
        "lines": [(labels.get(key, key), value) for key, value in view.items() if key != "date"],
    }


# --- the therapist ---------------------------------------------------------------------


@login_required
def case_exercises(request: HttpRequest, pk: int) -> HttpResponse:
    _therapist(request)
    event = "exercise.create" if request.method == "POST" else "exercise.list"
    case = policy.get_case(request, pk, event=event)
    language = _language()
    form = AssignExerciseForm(
        request.POST or None,
        choices_for=_who_choices(case),
        language=language,
        initial={"request_id": uuid.uuid4()},
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            partner = None if data["who"] == "couple" else case.partners.get(slot=data["who"])
            library = exercises()[data["slug"]]
            assignment, created = services.assign(
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
            )
            if created:
                messages.success(request, _("The exercise has been given."))
            return redirect("cases:exercise", pk=case.pk, assignment_id=assignment.pk)
        record(request, "exercise.create", case=case, outcome=Outcome.INVALID)
    with transaction.atomic():
        assignments = list(policy.case_assignments(request.user, case))
        record(request, "exercise.list", case=case, detail=f"{len(assignments)}")
    rows = [
        {"assignment": a, "title": exercise_text(a.slug, language)["title"]}
        for a in assignments
        if a.slug in exercises()
    ]
    return render(
        request, "exercises/case_exercises.html", {"case": case, "form": form, "rows": rows}
    )


@login_required
def debrief(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    _therapist(request)
    case = policy.get_case(request, pk, event="exercise.read")
    assignment = policy.case_assignments(request.user, case).filter(pk=assignment_id).first()
    if assignment is None or assignment.slug not in exercises():
        record(
            request, "exercise.read", case=case, outcome=Outcome.DENIED, detail=f"{assignment_id}"
        )
        raise Http404
    language = _language()
    text = exercise_text(assignment.slug, language)
    partners = list(case.partners.all())
    with transaction.atomic():
        record(request, "exercise.read", obj=assignment, case=case)
        logs = list(assignment.logs.select_related("partner", "run"))
        record(request, "exercise_log.list", case=case, detail=f"{len(logs)} logs")
        answer_sets = list(assignment.answers.select_related("partner"))
        entries = list(assignment.entries.select_related("partner"))
        if entries:
            record(request, "exercise_log.list", case=case, detail=f"{len(entries)} entries")
        if answer_sets:
            record(request, "exercise_answers.read", case=case, detail=f"{len(answer_sets)}")
    by_date: dict[Any, dict[str, list[dict[str, Any]]]] = {}
    names = {p.slot: p.name for p in partners}
    for log in logs:
        view = _in_words(policy.exercise_log_view(request.user, log), log.run, names)
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
            (a.partner, policy.exercise_answers_view(request.user, a), a.shared)
            for a in answer_sets
        ],
        "ladder": text.get("ladder") or [],
        "moves": list(assignment.moves.all()),
        "field_labels": {item["id"]: item["label"] for item in text.get("fields") or []},
        "entries": [
            {
                "partner": p,
                "items": [
                    {
                        **_entry_lines(policy.exercise_entry_view(request.user, e), labels),
                        "shared": e.shared,
                    }
                    for e in entries
                    if e.partner_id == p.pk
                ],
            }
            for p in partners
        ],
    }
    return render(request, "exercises/debrief.html", context)


@login_required
@require_POST
def move(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    _therapist(request)
    case = policy.get_case(request, pk, event="exercise.update")
    assignment = policy.case_assignments(request.user, case).filter(pk=assignment_id).first()
    if assignment is None:
        record(
            request, "exercise.update", case=case, outcome=Outcome.DENIED, detail=f"{assignment_id}"
        )
        raise Http404
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
def my_exercises(request: HttpRequest) -> HttpResponse:
    partner = _partner(request)
    with transaction.atomic():
        assignments = [
            a
            for a in policy.own_assignments(request.user).filter(active=True)
            if a.slug in exercises()
        ]
        record(request, "exercise.list", partner=partner, detail=f"{len(assignments)}")
    language = _language()
    items = [{"assignment": a, "text": exercise_text(a.slug, language)} for a in assignments]
    return render(request, "exercises/my_exercises.html", {"items": items})


def _log_form(request: HttpRequest, log: Log | None = None) -> LogForm:
    if request.method == "POST":
        return LogForm(request.POST)
    initial: dict[str, Any] = {"request_id": uuid.uuid4(), "date": timezone.localdate()}
    if log is not None:
        values = log.values
        initial.update(values)
        initial["date"] = log.date
        initial["shared"] = log.shared
        if "agreements_held" in values:
            initial["agreements_held"] = "yes" if values["agreements_held"] else "no"
    return LogForm(initial=initial)


@login_required
def exercise(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner(request)
    event = "exercise_log.create" if request.method == "POST" else "exercise.read"
    assignment = policy.get_own_assignment(request, pk, event=event)
    data = exercises().get(assignment.slug)
    if data is None:
        raise Http404
    text = exercise_text(assignment.slug, _language())
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
            request_id = entry_form.cleaned_data["request_id"]
            if not Entry.objects.filter(partner=partner, request_id=request_id).exists():
                with transaction.atomic():
                    entry = Entry.objects.create(
                        assignment=assignment,
                        partner=partner,
                        date=entry_form.cleaned_data["date"],
                        values_json=json.dumps(entry_form.values(), ensure_ascii=False),
                        shared=entry_form.cleaned_data["shared"],
                        request_id=request_id,
                    )
                    record(request, "exercise_log.create", obj=entry, partner=partner)
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
            _log, created = services.save_log(
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
    names = _names(partner.case)
    with transaction.atomic():
        record(request, "exercise.read", obj=assignment, partner=partner)
        mine = [
            {
                "log": log,
                "view": _in_words(policy.exercise_log_view(request.user, log), log.run, names),
            }
            for log in assignment.logs.filter(partner=partner).select_related("run")
        ]
        other = partner.other
        theirs = []
        if other is not None and assignment.partner_id is None:
            for log in assignment.logs.filter(partner=other).select_related("run"):
                view = policy.exercise_log_view(request.user, log)
                if view:
                    theirs.append({"view": _in_words(view, log.run, names)})
            record(request, "exercise_log.list", partner=other, detail="shared fields")
        labels = {item["id"]: item["label"] for item in text.get("fields") or []}
        my_entries = [
            _entry_lines(policy.exercise_entry_view(request.user, e), labels)
            for e in assignment.entries.filter(partner=partner)
        ]
        their_entries = []
        if other is not None and assignment.partner_id is None:
            their_entries = [
                _entry_lines(view, labels)
                for e in assignment.entries.filter(partner=other, shared=True)
                if (view := policy.exercise_entry_view(request.user, e))
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
    partner = _partner(request)
    assignment = policy.get_own_assignment(request, pk, event="exercise_log.update")
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
    text = exercise_text(assignment.slug, _language())
    context = {
        "assignment": assignment,
        "text": text,
        "form": form,
        "log": log,
        "view": {"summary": _run_summary(log.run, _names(partner.case))},
    }
    return render(request, "exercises/log_form.html", context)


@login_required
def timer(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner(request)
    assignment = policy.get_own_assignment(request, pk)
    data = exercises().get(assignment.slug) or {}
    if not data.get("timer"):
        raise Http404
    record(request, "exercise.read", obj=assignment, partner=partner, detail="timer")
    text = exercise_text(assignment.slug, _language())
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
    if partner is None:
        return JsonResponse({"error": "not found"}, status=404)
    assignment = policy.own_assignments(request.user).filter(pk=pk, active=True).first()
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
            or not isinstance(events, list)
        ):
            raise ValueError
    except (ValueError, KeyError, TypeError):
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
            request_id = form.cleaned_data["request_id"]
            if not SessionRecord.objects.filter(case=case, request_id=request_id).exists():
                with transaction.atomic():
                    saved = SessionRecord.objects.create(
                        case=case,
                        slug=slug,
                        date=form.cleaned_data["date"],
                        values_json=json.dumps(form.values(), ensure_ascii=False),
                        recorded_by=request.user,
                        request_id=request_id,
                    )
                    record(request, "session_exercise.create", obj=saved, case=case, detail=slug)
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
