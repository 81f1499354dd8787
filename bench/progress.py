"""The progress page of a case with 40 sessions, as a ratio to the case page (issue 14).

A couple with two months of diary, an intake, observations and a track (the
case page's usual load, from ``therapist_data.couple``) gets 40 weekly sessions
with both check-ins of both partners: the CSI-4 before, the alliance check
after (160 questionnaires). The progress page of that case is timed against
its case page, alternating the two in one run so that they share the
machine's noise, and against the same progress page with 5 sessions, to show
how the page grows with the sessions. Each line is also given against the
login page.

Run with ``make bench`` (or ``make bench-progress``). It builds its own
temporary SQLite database, so it never touches db.sqlite3.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DYADE_LOCAL", "1")
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench-progress.sqlite3"
os.environ["DYADE_ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dyade.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from dyade.accounts.models import Practice  # noqa: E402
from dyade.cases.models import Case  # noqa: E402
from dyade.questionnaires.models import Administration, Status  # noqa: E402
from dyade.sessions.models import Appointment  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
import therapist_data  # noqa: E402

ROUNDS = 40
SESSIONS = 40
FEW = 5


def add_sessions(case: Case, count: int) -> None:
    """``count`` weekly sessions ending last week, each with the four check-ins."""
    therapist = case.therapists.first()
    partners = list(case.partners.all())
    start = timezone.now() - dt.timedelta(days=7 * count)
    check_ins = []
    for index in range(count):
        starts = start + dt.timedelta(days=7 * index)
        appointment = Appointment.objects.create(
            case=case,
            starts_at=starts,
            attendance="both",
            therapist=therapist,
            created_by=therapist,
        )
        for partner in partners:
            total = 8 + (index + partner.pk) % 9  # a CSI-4 total of 8 to 16
            outcome = {"1": min(total, 6), "2": min(max(total - 6, 0), 5), "3": 0, "4": 0}
            outcome["3"] = total - outcome["1"] - outcome["2"]
            rating = 4 + (index * 3 + partner.pk) % 7
            for moment, instrument, answers in (
                ("before", "csi-4", outcome),
                ("after", "dyade-alliance", {str(n): rating for n in range(1, 5)}),
            ):
                administration = Administration(
                    case=case,
                    partner=partner,
                    instrument=instrument,
                    version="1",
                    status=Status.SUBMITTED,
                    submitted_at=starts,
                    appointment=appointment,
                    moment=moment,
                )
                administration.set_answers(answers)
                check_ins.append(administration)
    Administration.objects.bulk_create(check_ins)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(calls: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The median time of each call, the calls alternating round by round."""
    for name, fn in calls.items():
        status = fn().status_code  # type: ignore[attr-defined]
        if status != 200:
            raise SystemExit(f"{name}: expected 200, got {status}")
    for _ in range(3):
        for fn in calls.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(ROUNDS):
        for name, fn in calls.items():
            times[name].append(timed(fn))
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    call_command("migrate", verbosity=0)
    practice = Practice.objects.create(name="Bench: progress")
    therapist = therapist_data.therapist(practice, "progress@bench.example")
    many = therapist_data.couple(therapist, "Veertig sessies", 61)
    few = therapist_data.couple(therapist, "Vijf sessies", 60)  # its own partner accounts
    add_sessions(many, SESSIONS)
    add_sessions(few, FEW)
    client = Client()
    client.force_login(therapist)
    anonymous = Client()
    median = measure(
        {
            "login": lambda: anonymous.get("/account/login/"),
            "case": lambda: client.get(f"/cases/{many.pk}/"),
            "progress": lambda: client.get(f"/cases/{many.pk}/progress/"),
            "progress_few": lambda: client.get(f"/cases/{few.pk}/progress/"),
        }
    )
    print(f"Progress page (median of {ROUNDS}, alternating; ratios in the same run)")
    print(
        f"{'progress page, 40 sessions / case page':<46} {median['progress'] / median['case']:6.2f}"
    )
    print(
        f"{'progress page, 40 sessions / 5 sessions':<46} "
        f"{median['progress'] / median['progress_few']:6.2f}"
    )
    for name, label in (
        ("case", "case page"),
        ("progress", "progress page, 40 sessions"),
        ("progress_few", "progress page, 5 sessions"),
    ):
        print(f"{label + ' / login page':<46} {median[name] / median['login']:6.2f}")


if __name__ == "__main__":
    main()
