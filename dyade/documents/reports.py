"""The reports of a case: what each one holds, read through the access modules.

A builder returns the report's context, the names of the parts it holds (they go
into the audit event of the report, so the trail says what left Dyade) and the
audit events of what it read. The same context renders the preview page and the
PDF, from the same template. Nothing here sends a report anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dyade.audit.models import AuditEvent
from dyade.audit.services import prepare
from dyade.cases.models import Case, Partner
from dyade.clinic.visibility import Visibility
from dyade.content import exercise_text, exercises
from dyade.exercises import access as exercises_access
from dyade.i18n import language as _language
from dyade.progress import access as progress_access
from dyade.progress import display as progress_display
from dyade.questionnaires import access as questionnaires_access
from dyade.questionnaires import comparison
from dyade.questionnaires import labels as questionnaire_labels
from dyade.sessions import access as sessions_access
from dyade.sessions import display as session_display
from dyade.sessions import labels as session_labels
from dyade.sessions.progress_series import rows as session_rows

KINDS = {
    "intake": gettext_lazy("Intake report"),
    "progress": gettext_lazy("Progress report"),
    "referral": gettext_lazy("Referral letter"),
    "closing": gettext_lazy("Closing summary"),
}
# Decisions on these signals belong with the safety answers: on the page that can be left out.
SAFETY_SIGNALS = ("eft.contra.violence",)


@dataclass
class Report:
    kind: str
    parts: list[str]
    context: dict[str, Any]
    events: list[AuditEvent] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(KINDS[self.kind])

    def detail(self, language: str) -> str:
        """What the audit event of the report says it held."""
        return f"{self.kind} {language}: {', '.join(self.parts)}"


Builder = Callable[[HttpRequest, Case, list[Partner], bool], Report]


def read_intake(request: HttpRequest, case: Case) -> tuple[list[Any], list[AuditEvent]]:
    administrations = list(questionnaires_access.case_administrations(request.user, case))
    events = questionnaires_access.sent_read_events(request, case, administrations)
    return administrations, events


def intake(request: HttpRequest, case: Case, partners: list[Partner], safety: bool) -> Report:
    """Both partners' intake side by side; the safety answers on a page of their own."""
    administrations, events = read_intake(request, case)
    data = comparison.build(partners, administrations, _language())
    # A clinical screen (HITS) is a safety answer: its scores go on the safety page.
    rows = data.pop("score_rows")
    data["score_rows"] = [r for r in rows if r.instrument.visibility != Visibility.CLINICAL]
    data["safety_rows"] = [r for r in rows if r.instrument.visibility == Visibility.CLINICAL]
    parts = []
    if data["summaries"]:
        parts.append("summaries")
    if data["score_rows"]:
        parts.append("scores")
    if data["plots"]:
        parts.append("plot")
    if data["summaries"] and len(partners) == 2:
        parts.append("discrepancies")
    if any(summary.hopes for summary in data["summaries"].values()):
        parts.append("hopes")
    with_safety = safety and bool(data["safety"] or data["safety_rows"])
    if with_safety:
        parts.append("safety")
    context = {
        **data,
        "summary_rows": questionnaire_labels.SUMMARY_ROWS,
        "with_safety": with_safety,
    }
    return Report("intake", parts, context, events)


def _decisions(request: HttpRequest, case: Case) -> list[Any]:
    found = sessions_access.case_signal_decisions(request.user, case).select_related("decided_by")
    return sorted(found, key=lambda d: (d.decided_at, d.pk))


HELD = ("both", "A", "B")  # an appointment's attendance once the session took place


def session_dates(request: HttpRequest, case: Case) -> list[Any]:
    """The days of the sessions held: recorded as held, or with the therapist's observations."""
    user = request.user
    noted = sessions_access.case_observations(user, case).values_list("date", flat=True)
    held = sessions_access.case_appointments(user, case).filter(attendance__in=HELD)
    days = {
        timezone.localtime(moment).date() for moment in held.values_list("starts_at", flat=True)
    }
    return sorted(days | set(noted))


def _is_safety(decision: Any) -> bool:
    return bool(decision.kind == "safety" or decision.signal in SAFETY_SIGNALS)


def _exercise_rows(request: HttpRequest, case: Case, partners: list[Partner]) -> list[Any]:
    """Each exercise given, with how often each partner it is for logged a practice."""
    assignments = list(exercises_access.case_assignments(request.user, case))
    counts: dict[tuple[int, int], int] = {}
    logs = exercises_access.case_logs(request.user, case).values_list("assignment", "partner")
    for key in logs:
        counts[key] = counts.get(key, 0) + 1
    language = _language()
    return [
        {
            "assignment": a,
            "title": exercise_text(a.slug, language)["title"],
            "practised": [(p, counts.get((a.pk, p.pk), 0)) for p in partners if a.is_for(p)],
        }
        for a in assignments
        if a.slug in exercises()
    ]


def outcome(request: HttpRequest, case: Case, partners: list[Partner]) -> dict[str, Any]:
    """Each partner's outcome check-ins over the sessions with the status after each
    (the progress page's reading, without the alliance: that stays between a partner
    and the therapist)."""
    user = request.user
    sessions = list(progress_access.case_sessions(user, case))
    check_ins = list(progress_access.case_check_ins(user, case))
    slots = {p.pk: p.slot for p in partners}
    rows = session_rows(
        sessions, check_ins, slots, now=timezone.now(), practice_id=case.practice_id
    )
    outcomes = [progress_display.outcome_of(rows, p.slot, f"{p.name} ({p.slot})") for p in partners]
    measured = any(o.values for o in outcomes)
    return {
        "outcomes": outcomes if measured else [],
        "table": progress_display.table(rows, outcomes, [p.slot for p in partners])
        if measured
        else [],
        "events": [prepare(request, "progress.read", case=case, detail=f"{len(rows)} sessions")],
    }


def progress(request: HttpRequest, case: Case, partners: list[Partner], safety: bool) -> Report:
    """The track over time, the signals taken and why, outcome and the exercises' course."""
    timeline = session_display.timeline(case, request.user)
    decisions = _decisions(request, case)
    sessions = session_dates(request, case)
    rows = _exercise_rows(request, case, partners)
    shown = [d for d in decisions if safety or not _is_safety(d)]
    measured = outcome(request, case, partners)
    events = [
        *measured.pop("events"),
        prepare(request, "track.list", case=case, detail=f"{len(timeline)}"),
        prepare(request, "signal.list", case=case, detail=f"{len(decisions)}"),
        prepare(request, "observation.list", case=case, detail=f"{len(sessions)}"),
        prepare(request, "exercise.list", case=case, detail=f"{len(rows)}"),
    ]
    parts = ["track", "sessions"]
    if measured["outcomes"]:
        parts.append("outcome")
    if shown:
        parts.append("signals")
    if rows:
        parts.append("exercises")
    context = {
        "timeline": timeline,
        "decisions": [{"decision": d, "title": session_labels.rule_label(d.signal)} for d in shown],
        "safety_left_out": len(shown) < len(decisions),
        "sessions": sessions,
        "exercise_rows": rows,
        **measured,
    }
    return Report("progress", parts, context, events)


def closing(request: HttpRequest, case: Case, partners: list[Partner], safety: bool) -> Report:
    """How the case ended: outcome, who stopped, the closing note, the track and the work done."""
    timeline = session_display.timeline(case, request.user)
    sessions = session_dates(request, case)
    rows = _exercise_rows(request, case, partners)
    events = [
        prepare(request, "track.list", case=case, detail=f"{len(timeline)}"),
        prepare(request, "observation.list", case=case, detail=f"{len(sessions)}"),
        prepare(request, "exercise.list", case=case, detail=f"{len(rows)}"),
    ]
    parts = ["closing", "track", "sessions"]
    if rows:
        parts.append("exercises")
    context = {
        "closed": not case.is_open,
        "timeline": timeline,
        "sessions": sessions,
        "exercise_rows": rows,
    }
    return Report("closing", parts, context, events)


BUILDERS: dict[str, Builder] = {"intake": intake, "progress": progress, "closing": closing}


def header(case: Case, therapist: Any, title: str) -> dict[str, Any]:
    """What every report page carries: the practice, the case, who made it and when."""
    return {
        "practice_name": case.practice.name,
        "report_title": title,
        "made_on": timezone.localdate(),
        "made_by": therapist.name or therapist.email,
        "confidential": _("Confidential"),
    }
