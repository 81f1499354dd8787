"""``manage.py delete_expired_exports``: delete prepared research exports that expired.

Run it every hour or so (cron or a systemd timer, see docs/research.md) next to
the task worker; each deletion is written to the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dyade.research.prepared import delete_expired


class Command(BaseCommand):
    help = "Delete prepared research exports that have expired."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{delete_expired()} prepared export(s) deleted")
