"""The background task that sends one reminder (django-tasks)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from dyade.audit.services import record
from dyade.exercises import access as exercises_access
from dyade.reminders.channels import CHANNELS
from dyade.reminders.models import Reminder, Topic
from dyade.sessions import check_ins


def has_something_to_do(reminder: Reminder, on: dt.date | None = None) -> bool:
    if not reminder.partner.case.is_open:
        return False  # a closed case sends nothing (its pages are closed to its partners)
    if reminder.topic == Topic.EXERCISES:
        return exercises_access.partner_assignments(reminder.partner).filter(active=True).exists()
    if reminder.topic == Topic.CHECK_INS:
        day = on or timezone.localdate()
        moment = timezone.make_aware(dt.datetime.combine(day, reminder.at))
        return bool(check_ins.to_remind(reminder.partner, moment))
    return True


@task()
def send_reminder(reminder_id: int, day: str) -> bool:
    """Send reminder ``reminder_id`` for ``day`` (ISO date), at most once that day."""
    on = dt.date.fromisoformat(day)
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("partner__user", "partner__case")
            .filter(pk=reminder_id, active=True)
            .first()
        )
        if reminder is None or (reminder.last_sent_on is not None and reminder.last_sent_on >= on):
            return False
        if not has_something_to_do(reminder, on):
            return False
        sent = CHANNELS[reminder.channel](reminder)
        reminder.last_sent_on = on
        reminder.save(update_fields=["last_sent_on"])
        record(
            None,
            "reminder.create",
            obj=reminder,
            partner=reminder.partner,
            detail=f"{reminder.topic} by {reminder.channel}" + ("" if sent else ": no address"),
        )
    return sent
