"""The tablet in the room when the case is closed while a partner holds it.

The therapist hands the tablet to partner A for a check-in; meanwhile (another tab, a
co-therapist) the case is closed. The tablet then shows no question and saves nothing:
it asks for the tablet back, the attempt is audited as invalid, and the therapist can
still take the tablet back with their password.
"""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dyade.audit.models import AuditEvent
from dyade.cases.models import Case, CaseStatus
from dyade.questionnaires.models import Administration
from dyade.sessions.models import Appointment
from tests.conftest import PASSWORD, World, client_for


def _locked_tablet(world: World, moment: str = "after") -> tuple[Client, Appointment]:
    appointment = Appointment.objects.create(
        case=world.case,
        starts_at=timezone.now() - dt.timedelta(minutes=45),
        minutes=50,
        planned_for="both",
        attendance="both",
        therapist=world.therapist,
        created_by=world.therapist,
    )
    client = client_for(world.therapist)
    start = reverse("cases:room_start", args=[world.case.pk, appointment.pk])
    assert client.post(start, {"slot": "A", "moment": moment}).url == reverse("room:page")
    assert 'name="q-1"' in client.get(reverse("room:page")).content.decode()
    return client, appointment


def _close_elsewhere(world: World) -> None:
    other_tab = client_for(world.therapist)
    closed = other_tab.post(
        reverse("cases:close", args=[world.case.pk]), {"outcome": "grown_closer", "note": ""}
    )
    assert closed.status_code == 302
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.CLOSED


def test_a_case_closed_mid_use_shows_no_question_and_saves_nothing(world: World) -> None:
    client, appointment = _locked_tablet(world)
    _close_elsewhere(world)
    shown = client.get(reverse("room:page"))
    html = shown.content.decode()
    assert shown.status_code == 200
    assert 'id="room-closed"' in html
    assert 'name="q-1"' not in html
    assert "Geef de tablet terug" in html  # partner A reads Dutch
    sent = client.post(
        reverse("room:page"), {"page": "1", "q-1": "3", "q-2": "4", "q-3": "5", "q-4": "3"}
    )
    assert sent.status_code == 409
    assert 'id="room-closed"' in sent.content.decode()
    mine = Administration.objects.get(partner=world.partner_a, appointment=appointment)
    assert mine.is_open and mine.answers == {}
    refused = AuditEvent.objects.filter(partner_id=world.partner_a.pk, outcome="invalid")
    assert set(refused.values_list("event", flat=True)) == {
        "questionnaire.read",
        "questionnaire.update",
    }
    assert all(event.detail == "room: case closed" for event in refused)


def test_the_lock_holds_and_the_therapist_takes_the_tablet_back(world: World) -> None:
    client, appointment = _locked_tablet(world)
    _close_elsewhere(world)
    for url in (reverse("cases:list"), reverse("cases:detail", args=[world.case.pk])):
        answer = client.get(url)
        assert answer.status_code == 302 and answer.url == reverse("room:page"), url
    back = client.post(reverse("room:unlock"), {"password": PASSWORD})
    assert back.url == reverse("cases:session", args=[world.case.pk, appointment.pk])
    assert client.get(reverse("cases:list")).status_code == 200


def test_an_open_case_still_fills_in(world: World) -> None:
    """The guard is about closing: without it the same tablet sends the check-in."""
    client, appointment = _locked_tablet(world)
    sent = client.post(
        reverse("room:page"), {"page": "1", "q-1": "3", "q-2": "4", "q-3": "5", "q-4": "3"}
    )
    assert sent.status_code == 302
    mine = Administration.objects.get(partner=world.partner_a, appointment=appointment)
    assert not mine.is_open
