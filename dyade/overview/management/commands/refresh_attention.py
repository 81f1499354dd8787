"""``manage.py refresh_attention``: work out the caseload's order by attention again.

Run it from cron every few minutes (docs/operations.md). It first creates a state
for every assignment that has none (after an upgrade, or assignments made without
Django's signals) and drops states whose assignment ended, puts right the copies
of each case's current track, then works out every state that is out of date or
was worked out before today, in batches. States of therapists who cannot open
the case (a deactivated account, another role or practice) are not read
(``dyade/overview/refresh.py``).
``--all`` works out every state; ``--queue`` leaves the work to the task worker.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dyade.overview import refresh, tasks


class Command(BaseCommand):
    help = "Work out the caseload's order by attention where it is out of date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Work out every state.")
        parser.add_argument(
            "--queue", action="store_true", help="Leave the work to the task worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            tasks.refresh_attention.enqueue(everything=options["all"])
            self.stdout.write("queued for the task worker")
            return
        made, dropped, written = refresh.run(everything=options["all"])
        self.stdout.write(f"{made} state(s) created, {dropped} dropped, {written} worked out anew")
