"""A closed case takes no new work: nothing planned, moved or given until it is reopened.

Each action is tried on a closed case through the real pages: it is refused with a
message that says why, nothing is saved, the attempt is audited as invalid, and the
page shows that the case is closed where its form was. After reopening the same
action works, and the same form sent twice still makes one record.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dyade.audit.models import AuditEvent
from dyade.cases import closed_guard
from dyade.cases.models import Case, CaseStatus, Outcome
from dyade.exercises.models import Assignment
from dyade.questionnaires.models import Administration
from dyade.reading.models import ReadingAssignment
from dyade.sessions.models import Appointment, CheckInPlan
from tests.conftest import World, client_for

SAFETY_REASON = "besproken met A alleen; A wil dit zelf"  # A's safety screen shows a sign


def _close(world: World) -> None:
    response = client_for(world.therapist).post(
        reverse("cases:close", args=[world.case.pk]),
        {"outcome": Outcome.GROWN_CLOSER, "note": "tot ziens"},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.CLOSED


def _reopen(world: World) -> None:
    response = client_for(world.therapist).post(reverse("cases:reopen", args=[world.case.pk]))
    assert response.status_code == 302
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.OPEN


def _session(world: World, starts_at: dt.datetime, attendance: str = "planned") -> Appointment:
    return Appointment.objects.create(
        case=world.case,
        starts_at=starts_at,
        attendance=attendance,
        therapist=world.therapist,
        created_by=world.therapist,
    )


def _plan_data(days_ahead: int) -> dict[str, str]:
    return {
        "request_id": str(uuid.uuid4()),
        "date": (timezone.localdate() + dt.timedelta(days=days_ahead)).isoformat(),
        "time": "14:30",
        "minutes": "50",
        "planned_for": "both",
        "therapist": "",
    }


@dataclass
class Action:
    """One refused action: how to send it, what it would save, where its form is shown."""

    event: str
    setup: Callable[[World], object]  # returns what ``url`` and ``count`` need
    url: Callable[[World, object], str]
    data: Callable[[World, object], dict[str, str]]
    count: Callable[[World, object], int]  # the records the action makes or changes
    page: Callable[[World, object], str]  # the page that shows the form
    form_marker: str


def _moved(world: World, appointment: object) -> int:
    assert isinstance(appointment, Appointment)
    now = Appointment.objects.get(pk=appointment.pk)
    return int(timezone.localtime(now.starts_at).strftime("%H%M") == "1430")


def _plan_for(world: World, days: int) -> dict[str, str]:
    return {**_plan_data(days), "therapist": str(world.therapist.pk)}


def _no_setup(world: World) -> object:
    return None


def _planned(world: World) -> object:
    start = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=2), dt.time(9))
    )
    return _session(world, start)


def _just_held(world: World) -> object:
    return _session(world, timezone.now() - dt.timedelta(minutes=45), attendance="both")


def _without_a_s_intake(world: World) -> object:
    world.intake_a.delete()
    return None


ACTIONS: dict[str, Action] = {
    "plan a session": Action(
        event="appointment.create",
        setup=_no_setup,
        url=lambda w, _x: reverse("cases:sessions", args=[w.case.pk]),
        data=lambda w, _x: _plan_for(w, 3),
        count=lambda w, _x: Appointment.objects.filter(case=w.case).count(),
        page=lambda w, _x: reverse("cases:sessions", args=[w.case.pk]),
        form_marker='class="plan-session"',
    ),
    "move a session": Action(
        event="appointment.update",
        setup=_planned,
        url=lambda w, a: reverse("cases:session", args=[w.case.pk, a.pk]),  # type: ignore[attr-defined]
        data=lambda w, _x: {"action": "move", **_plan_for(w, 4)},
        count=_moved,
        page=lambda w, a: reverse("cases:session", args=[w.case.pk, a.pk]),  # type: ignore[attr-defined]
        form_marker='value="move"',
    ),
    "give an exercise": Action(
        event="exercise.create",
        setup=_no_setup,
        url=lambda w, _x: reverse("cases:exercises", args=[w.case.pk]),
        data=lambda w, _x: {
            "request_id": str(uuid.uuid4()),
            "slug": "sensate-focus",
            "who": "couple",
            "safety_override": SAFETY_REASON,
        },
        count=lambda w, _x: Assignment.objects.filter(case=w.case).count(),
        page=lambda w, _x: reverse("cases:exercises", args=[w.case.pk]),
        form_marker='name="slug"',
    ),
    "give a questionnaire": Action(
        event="questionnaire.create",
        setup=_without_a_s_intake,
        url=lambda w, _x: reverse("cases:assign_questionnaire", args=[w.case.pk]),
        data=lambda w, _x: {
            "request_id": str(uuid.uuid4()),
            "instrument": "dyade-intake",
            "who": "A",
        },
        count=lambda w, _x: Administration.objects.filter(
            partner=w.partner_a, instrument="dyade-intake"
        ).count(),
        page=lambda w, _x: reverse("cases:questionnaires", args=[w.case.pk]),
        form_marker="",  # the form's action, see _form_marker
    ),
    "give a reading page": Action(
        event="reading.create",
        setup=_no_setup,
        url=lambda w, _x: reverse("cases:reading", args=[w.case.pk]),
        data=lambda w, _x: {"slug": "pursue-withdraw", "who": "A"},
        count=lambda w, _x: ReadingAssignment.objects.filter(partner__case=w.case).count(),
        page=lambda w, _x: reverse("cases:reading", args=[w.case.pk]),
        form_marker='name="who"',
    ),
    "start a tablet check-in": Action(
        event="check_in_room.create",
        setup=_just_held,
        url=lambda w, a: reverse("cases:room_start", args=[w.case.pk, a.pk]),  # type: ignore[attr-defined]
        data=lambda w, _x: {"slot": "A", "moment": "after"},
        count=lambda w, a: Administration.objects.filter(appointment=a).count(),
        page=lambda w, a: reverse("cases:session", args=[w.case.pk, a.pk]),  # type: ignore[attr-defined]
        form_marker="room-start",
    ),
}


def _form_marker(world: World, action: Action) -> str:
    if action.event == "questionnaire.create":
        return f'action="{reverse("cases:assign_questionnaire", args=[world.case.pk])}"'
    return action.form_marker


def _english(world: World) -> Client:
    world.therapist.language = "en"
    world.therapist.save(update_fields=["language"])
    return client_for(world.therapist)


@pytest.mark.parametrize("name", list(ACTIONS))
def test_a_closed_case_refuses_with_a_message_and_saves_nothing(world: World, name: str) -> None:
    action = ACTIONS[name]
    thing = action.setup(world)
    client = _english(world)
    before = action.count(world, thing)
    page = client.get(action.page(world, thing)).content.decode()
    assert _form_marker(world, action) in page  # the form is there while the case is open
    _close(world)
    answer = client.post(action.url(world, thing), action.data(world, thing), follow=True)
    assert answer.status_code == 200
    assert answer.redirect_chain[-1][0] == action.page(world, thing)
    shown = [str(message) for message in answer.context["messages"]]
    assert closed_guard.message() in shown
    assert "This case is closed, so nothing was saved." in answer.content.decode()
    assert action.count(world, thing) == before
    refused = AuditEvent.objects.filter(
        event=action.event, outcome="invalid", detail=closed_guard.DETAIL
    )
    assert refused.count() == 1 and refused.get().case_id == world.case.pk
    # The page says the case is closed where the form was.
    page = client.get(action.page(world, thing)).content.decode()
    assert _form_marker(world, action) not in page
    assert 'id="case-closed"' in page and "nothing can be planned or given" in page
    assert reverse("cases:manage", args=[world.case.pk]) in page


@pytest.mark.parametrize("name", list(ACTIONS))
def test_reopening_makes_the_action_work_again(world: World, name: str) -> None:
    action = ACTIONS[name]
    thing = action.setup(world)
    client = _english(world)
    before = action.count(world, thing)
    _close(world)
    client.post(action.url(world, thing), action.data(world, thing))
    assert action.count(world, thing) == before
    _reopen(world)
    assert _form_marker(world, action) in client.get(action.page(world, thing)).content.decode()
    answer = client.post(action.url(world, thing), action.data(world, thing))
    assert answer.status_code == 302
    assert action.count(world, thing) == before + 1
    # Only the attempt while closed was refused.
    refused = AuditEvent.objects.filter(
        event=action.event, outcome="invalid", detail=closed_guard.DETAIL
    )
    assert refused.count() == 1


@pytest.mark.parametrize("name", [n for n in ACTIONS if n != "move a session"])
def test_a_double_submit_on_a_reopened_case_makes_one_record(world: World, name: str) -> None:
    action = ACTIONS[name]
    thing = action.setup(world)
    client = _english(world)
    before = action.count(world, thing)
    _close(world)
    _reopen(world)
    data = action.data(world, thing)  # one form, one request id, sent twice
    first = client.post(action.url(world, thing), data)
    second = client.post(action.url(world, thing), data)
    assert first.status_code == 302 and second.status_code == 302
    assert action.count(world, thing) == before + 1


def test_a_form_refused_while_closed_can_be_sent_once_after_reopening(world: World) -> None:
    """The refused form saved nothing, so its request id is still free after reopening."""
    client = _english(world)
    url = reverse("cases:sessions", args=[world.case.pk])
    data = _plan_for(world, 3)
    _close(world)
    client.post(url, data)
    assert not Appointment.objects.filter(case=world.case).exists()
    _reopen(world)
    client.post(url, data)
    client.post(url, data)
    assert Appointment.objects.filter(case=world.case).count() == 1


def test_the_check_ins_of_a_closed_case_cannot_be_changed(world: World) -> None:
    client = _english(world)
    url = reverse("cases:check_in_plan", args=[world.case.pk])
    _close(world)
    answer = client.post(url, {"outcome": "", "alliance": ""}, follow=True)
    assert closed_guard.message() in [str(m) for m in answer.context["messages"]]
    assert not CheckInPlan.objects.filter(case=world.case).exists()
    page = client.get(reverse("cases:sessions", args=[world.case.pk])).content.decode()
    assert f'action="{url}"' not in page


def test_a_closed_case_still_records_who_came(world: World) -> None:
    """Recording attendance is not new work: the last session can still be written down."""
    appointment = _just_held(world)
    assert isinstance(appointment, Appointment)
    appointment.attendance = "planned"
    appointment.save(update_fields=["attendance"])
    _close(world)
    url = reverse("cases:session", args=[world.case.pk, appointment.pk])
    client_for(world.therapist).post(url, {"action": "attendance", "attendance": "both"})
    appointment.refresh_from_db()
    assert appointment.attendance == "both"


def test_a_closed_case_shows_no_tablet_lock(world: World) -> None:
    appointment = _just_held(world)
    client = _english(world)
    _close(world)
    client.post(
        reverse("cases:room_start", args=[world.case.pk, appointment.pk]),
        {"slot": "A", "moment": "after"},
    )  # type: ignore[attr-defined]
    # The tablet is not locked: the case page opens instead of leading to the check-in.
    assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code == 200


@pytest.mark.parametrize("person", ["other_therapist", "colleague", "user_a", "researcher"])
def test_others_learn_nothing_about_a_closed_case(world: World, person: str) -> None:
    """Someone who may not reach the case is refused as before, never told it is closed."""
    _close(world)
    answer = client_for(getattr(world, person)).post(
        reverse("cases:sessions", args=[world.case.pk]), _plan_for(world, 3)
    )
    assert answer.status_code in (403, 404)
    assert "closed" not in answer.content.decode().lower()
    assert not Appointment.objects.filter(case=world.case).exists()
