"""The session brief: one page per case to keep open during a 50-minute session.

What a therapist needs first comes first: a safety sign, the open signals with
their reasons, what changed since the last session, the homework and how it
went for each partner, the track and the cycle map in small, and what each
partner hopes for in their own words. Every part is read once, through the
access module of the app it belongs to, and the guidance snapshot is built from
what was read; the audit events of the page go in one statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from dyade.audit.models import AuditEvent
from dyade.audit.services import prepare
from dyade.cases.models import Case, Partner
from dyade.clinic import intake
from dyade.clinic.snapshot import SnapshotError
from dyade.content import exercise_text, exercises
from dyade.diary import access as diary_access
from dyade.exercises import access as exercises_access
from dyade.exercises import display as exercise_display
from dyade.i18n import language as _language
from dyade.overview import since as since_words
from dyade.questionnaires import access as questionnaires_access
from dyade.questionnaires import comparison
from dyade.reports import cycle_diagram
from dyade.sessions import access as sessions_access
from dyade.sessions import case_snapshot, labels
from dyade.sessions import display as session_display
from dyade.sessions import services as session_services

LOGS_SHOWN = 3  # the newest logs per partner and exercise; the debrief has them all


@dataclass
class Brief:
    context: dict[str, Any]
    events: list[AuditEvent] = field(default_factory=list)


def hopes(partners: list[Partner], administrations: list[Any]) -> dict[str, tuple[Any, str]]:
    """Each partner's hopes in their own words (``story.hopes`` of their newest sent intake),
    with the intake they come from."""
    latest = comparison.latest_sent(administrations)
    found = {}
    for partner in partners:
        administration = latest.get((partner.slot, comparison.INTAKE_ID))
        if administration is not None:
            found[partner.slot] = (administration, intake.summarise(administration.answers).hopes)
    return found


def signal_cards(views: list[session_services.SignalView], names: dict[str, str]) -> list[Any]:
    """The open signals in words, in the order the rules put them (safety first)."""
    return [
        {
            "id": view.signal.id,
            "kind": view.signal.kind,
            "kind_label": labels.KINDS.get(view.signal.kind, view.signal.kind),
            "title": _(view.rule.title),
            "recommendation": _(view.signal.recommendation),
            "reasons": labels.reason_lines([r.as_json() for r in view.signal.reasons], names),
        }
        for view in views
        if view.open
    ]


def homework(
    user: Any, assignments: list[Any], logs: list[Any], partners: list[Partner]
) -> list[dict[str, Any]]:
    """Each active exercise with, per partner it is for, the newest logs the therapist may see."""
    language = _language()
    names = {p.slot: p.name for p in partners}
    by_assignment: dict[int, list[Any]] = {}
    for log in sorted(logs, key=lambda item: (item.date, item.pk), reverse=True):
        by_assignment.setdefault(log.assignment_id, []).append(log)
    rows = []
    for assignment in assignments:
        if not assignment.active or assignment.slug not in exercises():
            continue
        columns = []
        for partner in partners:
            if not assignment.is_for(partner):
                continue
            own = [
                log for log in by_assignment.get(assignment.pk, []) if log.partner_id == partner.pk
            ]
            views = []
            for log in own[:LOGS_SHOWN]:
                log.partner = partner  # read once with the case: no query per log
                view = exercises_access.log_view(user, log)
                words = exercise_display.in_words(view, log.run, names)
                words["day"] = log.date
                views.append(words)
            columns.append({"partner": partner, "count": len(own), "logs": views})
        rows.append(
            {
                "assignment": assignment,
                "title": exercise_text(assignment.slug, language)["title"],
                "columns": columns,
            }
        )
    return rows


def build(request: HttpRequest, case: Case) -> Brief:
    """Everything the brief shows, read through the access modules, and its audit events."""
    user = request.user
    today = timezone.localdate()
    partners = list(case.partners.all())
    names = {p.slot: p.name for p in partners}
    administrations = list(questionnaires_access.case_administrations(user, case))
    observations = list(sessions_access.case_observations(user, case).defer("note"))
    appointments = list(sessions_access.case_appointments(user, case))
    now = timezone.now()
    last = since_words.last_session(
        since_words.held_starts(appointments, now), (o.date for o in observations)
    )
    when = since_words.period(last, today)
    # One read of the diary serves the summary and the guidance snapshot.
    first_day = min(when.read_from, case_snapshot.diary_since(today))
    window = diary_access.visible_window(user, partners, first_day, today, notes=False)
    track_items = session_display.timeline(case, user)
    latest = sessions_access.case_cycle_versions(user, case).first()
    decisions = list(
        sessions_access.case_signal_decisions(user, case).defer("reasons_json", "reason")
    )
    upcoming = [a for a in appointments if a.starts_at >= now and a.attendance != "cancelled"]
    loaded = case_snapshot.Loaded(
        partners=partners,
        administrations=administrations,
        diary=window,
        observations=observations,
        track_changes=[item["change"] for item in track_items],
        cycle_mapped=latest is not None,
        appointments=appointments,
    )
    try:
        views = session_services.signals(request, case, loaded, decisions)
        unreadable = False
    except SnapshotError:
        views, unreadable = [], True
    assignments = list(exercises_access.case_assignments(user, case))
    logs = list(exercises_access.case_logs(user, case, since=when.since))
    cycle_map = session_services.cycle_of(latest, case)
    hoped = hopes(partners, administrations)
    cards = signal_cards(views, {p.slot: f"{p.name} ({p.slot})" for p in partners})
    events = [prepare(request, "brief.read", obj=case, case=case)]
    events += [
        prepare(
            request, "diary.read", case=case, partner=p, detail=f"since {first_day.isoformat()}"
        )
        for p in partners
    ]
    events += [
        prepare(request, "questionnaire.list", case=case, detail=f"{len(administrations)}"),
        prepare(request, "guidance.read", case=case, detail=f"{len(cards)} open signals"),
        prepare(request, "track.list", case=case, detail=f"{len(track_items)}"),
        prepare(request, "exercise_log.list", case=case, detail=f"{len(logs)} logs"),
        prepare(request, "appointment.list", case=case, detail=f"{len(appointments)}"),
    ]
    events += [
        prepare(
            request, "questionnaire.read", obj=read, case=case, partner=read.partner, detail="hopes"
        )
        for read, _words in hoped.values()
    ]
    if latest is not None:
        events.append(
            prepare(request, "cycle.read", obj=latest, case=case, detail=f"v{latest.number}")
        )
    context = {
        "case": case,
        "today": today,
        "partners": partners,
        "safety_alert": comparison.needs_safety_attention(administrations),
        "signals": cards,
        "signals_unreadable": unreadable,
        "timeline": track_items,
        "current": track_items[-1]["change"] if track_items else None,
        "cycle_version": latest,
        "diagrams": cycle_diagram.both(cycle_map, names) if latest is not None else [],
        "homework": homework(user, assignments, logs, partners),
        "hopes": [(p, hoped[p.slot][1] if p.slot in hoped else "") for p in partners],
        "last_session": last.day,
        "next_session": min(upcoming, key=lambda a: a.starts_at) if upcoming else None,
        **since_words.summary(partners, window, when, cycle_map),
    }
    return Brief(context, events)
