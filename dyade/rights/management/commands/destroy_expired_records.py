"""``manage.py destroy_expired_records``: destroy closed cases past their retention term.

Run it once a day from cron (docs/operations.md). Each case is destroyed in its own
transaction and written to the audit trail (``rights.case.delete``, by "Dyade
(automatic)"); ``--dry-run`` lists how many are due without destroying anything.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dyade.rights import retention, tasks


class Command(BaseCommand):
    help = "Destroy closed cases whose retention term has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many cases are due."
        )
        parser.add_argument(
            "--queue", action="store_true", help="Leave the work to the task worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            self.stdout.write(f"{len(retention.due())} closed case(s) past their term")
        elif options["queue"]:
            tasks.destroy_expired_records.enqueue()
            self.stdout.write("queued for the task worker")
        else:
            self.stdout.write(f"{retention.destroy_due()} closed case(s) destroyed")
