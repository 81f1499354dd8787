"""Create a demo practice with therapists, couples, 60 days of diaries and a study.

What the demo holds is in :mod:`dyade.demo` (people, couples, diaries, clinical
work, exercises, research); :mod:`dyade.demo.build` puts it together.

Running it again keeps the data and gives every demo account a new password,
so the logins can be printed again; passwords are never fixed in code. Each run also
works out the caseload's order by attention, as the task worker would (``make run``
starts no worker).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from dyade.demo.build import create_demo, demo_exists
from dyade.demo.logins import renew_passwords
from dyade.overview import refresh


class Command(BaseCommand):
    help = "Create the demo practices, accounts and diaries (or renew the demo passwords)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="print the accounts as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            if not demo_exists():
                create_demo()
            accounts = renew_passwords()
        refresh.run()  # the stored order by attention, as the background refresh works it out
        if options["json"]:
            self.stdout.write(json.dumps(accounts, ensure_ascii=False, indent=2))
            return
        self.stdout.write("Demo accounts (passwords are new on every run):")
        for account in accounts:
            where = f"{account['case']} {account['partner']}" if "case" in account else ""
            self.stdout.write(
                f"  {account['role']:<15} {account['email']:<34} {account['password']}  {where}"
            )
