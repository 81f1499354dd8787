"""The session brief and the reports, as ratios against pages measured in the same run.

The brief brings six pages together (case, since last session, guidance,
questionnaires, cycle map, exercises), so it is measured against the case page
of the same couple, alternating the two to share the machine's noise. It is also
measured for a couple with two years of diary against one with two months: it
reads the period since the last session and the snapshot's four weeks, so it
should stay flat. The intake report as a PDF is reported against the brief.

Run with ``make bench-brief`` (``make bench`` runs it too). It builds its own
temporary SQLite database (through ``bench/run.py``'s set-up), never db.sqlite3.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # sets up Django on a temporary database, as for make bench
import therapist_data
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from dyade.accounts.models import Practice
from dyade.cases.models import Case
from dyade.exercises.models import Assignment, Log

ROUNDS = 30


def practised(case: Case) -> None:
    """A week of logs of the couple's exercise by both partners."""
    assignment = Assignment.objects.get(case=case)
    today = timezone.localdate()
    for partner in case.partners.all():
        Log.objects.bulk_create(
            Log(
                assignment=assignment,
                partner=partner,
                date=today - dt.timedelta(days=offset),
                values_json=json.dumps({"role": "both", "feeling": "neutral", "note": "ok"}),
            )
            for offset in range(1, 8)
        )


def ratio(name: str, baseline: Callable[[], object], subject: Callable[[], object]) -> float:
    """Median time of ``subject`` over median time of ``baseline``, measured alternately."""
    for fn in (baseline, subject):
        status = fn().status_code  # type: ignore[attr-defined]
        if status != 200:
            raise SystemExit(f"{name}: expected 200, got {status}")
    for _ in range(3):
        baseline()
        subject()
    base, test = [], []
    for _ in range(ROUNDS):
        base.append(run.timed(baseline))
        test.append(run.timed(subject))
    found = statistics.median(test) / statistics.median(base)
    print(f"{name:<52} {found:6.2f}  (median of {ROUNDS})")
    return found


def main() -> None:
    call_command("migrate", verbosity=0)
    practice = Practice.objects.create(name="Bench: the session brief")
    therapist = therapist_data.therapist(practice, "brief@bench.example")
    short = therapist_data.couple(therapist, "Twee maanden", 61)
    long = therapist_data.couple(therapist, "Twee jaar", 730)
    for case in (short, long):
        practised(case)
    client = Client()
    client.force_login(therapist)
    anonymous = Client()
    print("The session brief and the reports (each a ratio measured in the same run)")
    ratio(
        "session brief / case page",
        lambda: client.get(f"/cases/{short.pk}/"),
        lambda: client.get(f"/cases/{short.pk}/brief/"),
    )
    ratio(
        "session brief / login page",
        lambda: anonymous.get("/account/login/"),
        lambda: client.get(f"/cases/{short.pk}/brief/"),
    )
    flat = ratio(
        "session brief: two years of diary / two months",
        lambda: client.get(f"/cases/{short.pk}/brief/"),
        lambda: client.get(f"/cases/{long.pk}/brief/"),
    )
    met = run.FLAT[0] <= flat <= run.FLAT[1]
    print(f"{'':<52} flat within ±20 %: {'met' if met else 'NOT MET'}")
    pdf = {"action": "pdf", "language": "nl", "safety": "on"}
    ratio(
        "intake report as PDF / session brief",
        lambda: client.get(f"/cases/{short.pk}/brief/"),
        lambda: client.post(f"/cases/{short.pk}/reports/intake/", pdf),
    )


if __name__ == "__main__":
    main()
