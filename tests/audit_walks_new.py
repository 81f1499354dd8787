"""Audit walks of the case's life, sessions and check-ins, progress, and destruction.

Kept apart from tests/test_audit.py (which imports :data:`CLIENT_DATA_MORE` and
:data:`NO_CLIENT_DATA_MORE` from here) so that neither file grows too long.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD, World


@dataclass
class Walk:
    person: str
    url: Callable[[World], str]
    events: set[str]
    method: str = "get"
    data: Callable[[World], dict[str, object]] = field(default=lambda w: {})
    # Run with the walk's own client before the events are counted (a locked tablet).
    setup: Callable[[World, Client], None] | None = None


def _session(w: World, minutes_ago: int = 45) -> int:
    """A session of ``w.case`` held ``minutes_ago`` with both partners (its check-ins open)."""
    from dyade.sessions.models import Appointment

    found = Appointment.objects.filter(case=w.case).first()
    if found is None:
        found = Appointment.objects.create(
            case=w.case,
            starts_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
            minutes=50,
            planned_for="both",
            attendance="both",
            therapist=w.therapist,
            created_by=w.therapist,
        )
    return found.pk


def _session_url(w: World) -> str:
    return reverse("cases:session", args=[w.case.pk, _session(w)])


def _closed(w: World) -> str:
    from dyade.cases.models import CaseStatus

    w.case.status = CaseStatus.CLOSED
    w.case.closed_at = timezone.now()
    w.case.outcome = "grown_closer"
    w.case.save(update_fields=["status", "closed_at", "outcome"])
    return reverse("cases:reopen", args=[w.case.pk])


def _running_exercise(w: World) -> str:
    from dyade.exercises.models import Assignment

    assignment = Assignment.objects.create(
        case=w.case, slug="hug-till-relaxed", step=1, minutes=5, assigned_by=w.therapist
    )
    return reverse("cases:exercise_end", args=[w.case.pk, assignment.pk])


def _lock_tablet(w: World, client: Client) -> None:
    """The therapist hands the tablet to partner A for the check-in after the session."""
    start = reverse("cases:room_start", args=[w.case.pk, _session(w)])
    assert client.post(start, {"slot": "A", "moment": "after"}).url == reverse("room:page")


def _plan(w: World) -> dict[str, object]:
    day = timezone.localdate() + dt.timedelta(days=3)
    return {
        "request_id": str(uuid.uuid4()),
        "date": day.isoformat(),
        "time": "14:30",
        "minutes": "50",
        "planned_for": "both",
        "therapist": w.therapist.pk,
    }


def _case_to_destroy(w: World) -> int:
    """A closed case of the practice with no events yet (destroying one rewrites its trail)."""
    from dyade.cases.models import Case, CaseKind, CaseStatus, Partner

    case = Case.objects.create(
        practice=w.practice,
        label="Weg & Weg",
        kind=CaseKind.INDIVIDUAL,
        created_by=w.therapist,
        status=CaseStatus.CLOSED,
        closed_at=timezone.now(),
    )
    case.therapists.add(w.therapist)
    Partner.objects.create(case=case, slot="A", name="Weg")
    return case.pk


def _destroy_step_two(w: World) -> dict[str, object]:
    return {
        "request_id": str(uuid.uuid4()),
        "what": "case",
        "note": "brief van 3 mei",
        "confirm_name": "Weg & Weg",
        "understood": "on",
    }


def _destroyed(w: World) -> str:
    from dyade.rights.models import Destruction

    done = Destruction.objects.create(
        practice=w.practice,
        pseudonym="casus-0001",
        scope="case",
        reason="request",
        note="brief van 3 mei",
        by=w.admin,
        counts={"diary.DiaryEntry": 3},
    )
    return reverse("rights:destroyed", args=[done.pk])


def _summary_page(w: World) -> str:
    return reverse("cases:partner_summary", args=[w.case.pk])


def _close_for_summary(w: World, client: Client) -> None:
    """Close ``w.case`` (a walk's setup: the URL of a walk must not change the world)."""
    _closed(w)


def _given_summary(w: World) -> int:
    from dyade.sessions.models import PartnerSummary

    _closed(w)
    return PartnerSummary.objects.create(
        case=w.case, outcome="grown_closer", note="tot ziens", given_by=w.therapist
    ).pk


def _withdraw_url(w: World) -> str:
    return reverse("cases:partner_summary_withdraw", args=[w.case.pk, _given_summary(w)])


def _give_summary(w: World, client: Client) -> None:
    _given_summary(w)


def _rid(**values: object) -> Callable[[World], dict[str, object]]:
    return lambda w: {"request_id": str(uuid.uuid4()), **values}


def _case_url(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.case.pk])


CLIENT_DATA_MORE: dict[str, list[Walk]] = {
    # --- the case's life (co-therapy, closing, reopening) ---------------------------------
    "cases:manage": [Walk("therapist", _case_url("cases:manage"), {"case.read"})],
    "cases:change_form": [
        Walk(
            "therapist",
            _case_url("cases:change_form"),
            {"case_form.update"},
            "post",
            lambda w: {"form": "separation"},
        )
    ],
    "cases:close": [
        Walk(
            "therapist",
            _case_url("cases:close"),
            {"case_closing.create"},
            "post",
            lambda w: {"outcome": "grown_closer", "stopped_by": "", "note": "goed afgesloten"},
        )
    ],
    "cases:reopen": [Walk("therapist", _closed, {"case_closing.delete"}, "post")],
    "cases:add_therapist": [
        Walk(
            "therapist",
            _case_url("cases:add_therapist"),
            {"case_therapist.create"},
            "post",
            lambda w: {"colleague": w.colleague.pk},
        )
    ],
    "cases:hand_over": [
        Walk(
            "therapist",
            _case_url("cases:hand_over"),
            {"case_therapist.update"},
            "post",
            lambda w: {"colleague": w.colleague.pk},
        )
    ],
    "cases:exercise_end": [
        Walk(
            "therapist",
            _running_exercise,
            {"exercise.update"},
            "post",
            lambda w: {"how": "withdrawn", "note": "paste niet"},
        )
    ],
    "cases:reading_preview": [
        Walk(
            "therapist",
            lambda w: reverse("cases:reading_preview", args=[w.case.pk, "basic-needs"]),
            {"reading_preview.read"},
        )
    ],
    # --- sessions and their check-ins -----------------------------------------------------
    "cases:sessions": [
        Walk(
            "therapist",
            _case_url("cases:sessions"),
            {"appointment.list", "questionnaire.list"},
        ),
        Walk("therapist", _case_url("cases:sessions"), {"appointment.create"}, "post", _plan),
    ],
    "cases:check_in_plan": [
        Walk(
            "therapist",
            _case_url("cases:check_in_plan"),
            {"check_in_plan.update"},
            "post",
            lambda w: {"outcome": "", "alliance": "dyade-alliance"},
        )
    ],
    "cases:session": [
        Walk("therapist", _session_url, {"appointment.read", "questionnaire.list"}),
        Walk(
            "therapist",
            _session_url,
            {"appointment.update"},
            "post",
            lambda w: {"action": "attendance", "attendance": "A"},
        ),
    ],
    "cases:room_start": [
        Walk(
            "therapist",
            lambda w: reverse("cases:room_start", args=[w.case.pk, _session(w)]),
            {"check_in_room.create", "questionnaire.create"},
            "post",
            lambda w: {"slot": "A", "moment": "after"},
        )
    ],
    "room:page": [
        Walk(
            "therapist",
            lambda w: reverse("room:page"),
            {"questionnaire.read"},
            setup=_lock_tablet,
        ),
        Walk(
            "therapist",
            lambda w: reverse("room:page"),
            {"questionnaire.update"},
            "post",
            lambda w: {"page": "1", "q-1": "3", "q-2": "4", "q-3": "5", "q-4": "3"},
            setup=_lock_tablet,
        ),
    ],
    "room:unlock": [
        Walk(
            "therapist",
            lambda w: reverse("room:unlock"),
            {"check_in_room.update"},
            "post",
            lambda w: {"password": PASSWORD},
            setup=_lock_tablet,
        )
    ],
    "diary:check_in_start": [
        Walk(
            "partner_a",
            lambda w: reverse("diary:check_in_start"),
            {"questionnaire.create"},
            "post",
            lambda w: {"appointment": _session(w), "moment": "after", **_rid()(w)},
        )
    ],
    # --- progress over the sessions -------------------------------------------------------
    "cases:progress": [Walk("therapist", _case_url("cases:progress"), {"progress.read"})],
    "diary:progress": [Walk("partner_a", lambda w: reverse("diary:progress"), {"progress.read"})],
    "diary:progress_share": [
        Walk(
            "partner_a",
            lambda w: reverse("diary:progress_share"),
            {"progress.update"},
            "post",
            lambda w: {"shared": "yes"},
        )
    ],
    # --- retention and destruction (the practice admin) -----------------------------------
    "rights:retention": [
        Walk("admin", lambda w: reverse("rights:retention"), {"rights.retention.list"}),
        Walk(
            "admin",
            lambda w: reverse("rights:retention"),
            {"rights.retention.update"},
            "post",
            lambda w: {"country": "NL", "years": 20},
        ),
    ],
    "rights:destroy": [
        Walk(
            "admin",
            lambda w: reverse("rights:destroy", args=[_case_to_destroy(w)]),
            {"rights.destroy.read"},
        ),
        Walk(
            "admin",
            lambda w: reverse("rights:destroy", args=[_case_to_destroy(w)]),
            {"rights.destroy.read"},  # step two is shown; nothing is removed yet
            "post",
            _rid(what="case", note="brief van 3 mei"),
        ),
    ],
    "rights:confirm": [
        Walk(
            "admin",
            lambda w: reverse("rights:confirm", args=[_case_to_destroy(w)]),
            {"rights.case.delete"},
            "post",
            _destroy_step_two,
        )
    ],
    "rights:destroyed": [Walk("admin", _destroyed, {"rights.destruction.read"})],
    "cases:partner_summary": [
        Walk(
            "therapist",
            _summary_page,
            {"partner_summary.read", "cycle.read", "exercise.list"},
            setup=_close_for_summary,
        ),
        Walk(
            "therapist",
            _summary_page,
            {"partner_summary.create", "cycle.read", "exercise.list"},
            "post",
            _rid(note="Veel sterkte samen.", action="give"),
            setup=_close_for_summary,
        ),
    ],
    "cases:partner_summary_withdraw": [
        Walk("therapist", _withdraw_url, {"partner_summary.delete"}, "post")
    ],
    "closing_pdf": [
        Walk(
            "partner_a",
            lambda w: reverse("closing_pdf"),
            {"partner_summary.read"},
            setup=_give_summary,
        )
    ],
}

NO_CLIENT_DATA_MORE: set[str] = set()
