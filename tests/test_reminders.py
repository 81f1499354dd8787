"""Reminders: a partner chooses them; the command queues what is due; each goes out once a day
and says nothing about what is waiting."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dyade.audit.models import AuditEvent
from dyade.exercises.models import Assignment
from dyade.reminders.models import Reminder
from tests.conftest import World, client_for


def _reminder(world: World, topic: str = "exercises") -> Reminder:
    """A reminder set a few minutes ago today (at midnight itself just after midnight)."""
    now = timezone.localtime()
    earlier = now - dt.timedelta(minutes=5)
    at = earlier.time().replace(microsecond=0) if earlier.date() == now.date() else dt.time(0, 0)
    return Reminder.objects.create(partner=world.partner_a, topic=topic, at=at, active=True)


def test_a_partner_sets_reminders_and_bad_time_keeps_the_form(world: World) -> None:
    client = client_for(world.user_a)
    url = reverse("diary:reminders")
    assert client.get(url).status_code == 200
    bad = client.post(
        url, {"exercises-active": "on", "exercises-at": "half negen", "diary-at": "20:00"}
    )
    assert bad.status_code == 200 and "half negen" in bad.content.decode()
    assert not Reminder.objects.exists()
    client.post(url, {"exercises-active": "on", "exercises-at": "20:30", "diary-at": "21:00"})
    saved = {r.topic: (r.active, r.at) for r in Reminder.objects.filter(partner=world.partner_a)}
    assert saved == {
        "exercises": (True, dt.time(20, 30)),
        "diary": (False, dt.time(21, 0)),
        "check_ins": (False, dt.time(20, 0)),  # not in the form sent: off, at 20:00
    }
    for person in (world.therapist, world.admin):
        assert client_for(person).get(url).status_code == 403


def test_a_due_reminder_goes_out_once_and_says_nothing_specific(world: World) -> None:
    Assignment.objects.create(case=world.case, slug="sensate-focus", assigned_by=world.therapist)
    _reminder(world)
    call_command("send_reminders", stdout=StringIO())
    call_command("send_reminders", stdout=StringIO())  # cron runs again a few minutes later
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.user_a.email]
    text = message.subject + message.body
    for secret in ("Sensate", "sensate", world.partner_b.name, "Thomas", world.case.label):
        assert secret not in text
    assert AuditEvent.objects.filter(event="reminder.create").count() == 1


def test_no_exercise_no_exercise_reminder(world: World) -> None:
    _reminder(world)
    call_command("send_reminders", stdout=StringIO())
    assert mail.outbox == []


def test_a_reminder_not_yet_due_or_switched_off_waits(world: World) -> None:
    Assignment.objects.create(case=world.case, slug="sensate-focus", assigned_by=world.therapist)
    now = timezone.localtime()
    soon = now + dt.timedelta(hours=1)
    later = soon.time() if soon.date() == now.date() else dt.time(23, 59, 59, 999_999)
    Reminder.objects.create(partner=world.partner_a, topic="exercises", at=later, active=True)
    Reminder.objects.create(
        partner=world.partner_b, topic="exercises", at=dt.time(0, 0), active=False
    )
    call_command("send_reminders", stdout=StringIO())
    assert mail.outbox == []
