"""``manage.py send_reminders``: queue every reminder that is due now.

Run it every few minutes (cron or a systemd timer, see docs/operations.md);
the ``db_worker`` command of django-tasks sends them. Running it twice queues a
reminder twice at most, and the task sends it once a day at most.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from dyade.clinic.reminders import is_due
from dyade.reminders.models import Reminder
from dyade.reminders.tasks import send_reminder


class Command(BaseCommand):
    help = "Queue the reminders that are due now."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.localtime()
        queued = 0
        for reminder in Reminder.objects.filter(active=True, partner__user__is_active=True):
            if is_due(now, reminder.at, reminder.last_sent_on):
                send_reminder.enqueue(reminder.pk, now.date().isoformat())
                queued += 1
        self.stdout.write(f"{queued} reminder(s) queued")
