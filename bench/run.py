"""Benchmarks of the pages a practice uses most, as ratios against a same-run baseline.

This machine is noisy, so no absolute time means much. Each measurement is
reported as a ratio to the login page (a page with no client data, no policy
and no audit) rendered in the same run, alternating the two to share the noise.

Run with ``make bench``. It builds its own temporary SQLite database with the
demo practice, so it never touches db.sqlite3.
"""

from __future__ import annotations

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
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ["DYADE_ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dyade.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from dyade.accounts.models import User  # noqa: E402
from dyade.cases.models import Case  # noqa: E402
from dyade.questionnaires.models import Administration  # noqa: E402

ROUNDS = 30


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def compare(name: str, baseline: Callable[[], object], subject: Callable[[], object]) -> None:
    base, test = [], []
    for fn in (baseline, subject):  # measure pages, not error responses
        status = fn().status_code  # type: ignore[attr-defined]
        if status != 200:
            raise SystemExit(f"{name}: expected 200, got {status}")
    for _ in range(3):  # warm up
        baseline()
        subject()
    for _ in range(ROUNDS):
        base.append(timed(baseline))
        test.append(timed(subject))
    ratio = statistics.median(test) / statistics.median(base)
    print(f"{name:<48} {ratio:6.2f} x login page  (median of {ROUNDS})")


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    anonymous = Client()
    therapist = Client()
    therapist.force_login(User.objects.get(email="eva.dewit@verbinding.example"))
    partner = Client()
    partner.force_login(User.objects.get(email="sanne@partner.example"))
    case = Case.objects.get(label="Sanne & Thomas")

    def login_page() -> object:
        return anonymous.get("/account/login/")

    today = timezone.localdate().isoformat()
    print("Dyade benchmarks: each line is a ratio to the login page in the same run.")
    compare(
        "therapist case page (2 x 60 days, charts)",
        login_page,
        lambda: therapist.get(f"/cases/{case.pk}/"),
    )
    compare("therapist case list", login_page, lambda: therapist.get("/cases/"))
    compare("partner home (own + shared days)", login_page, lambda: partner.get("/me/"))
    compare("partner diary form", login_page, lambda: partner.get(f"/me/diary/{today}/"))
    compare(
        "therapist intake overview (scores, plot)",
        login_page,
        lambda: therapist.get(f"/cases/{case.pk}/questionnaires/"),
    )
    yusuf = Client()
    yusuf.force_login(User.objects.get(email="yusuf@partner.example"))
    open_intake = Administration.objects.get(partner__name="Yusuf", status="open")
    compare(
        "partner questionnaire page (12 questions)",
        login_page,
        lambda: yusuf.get(f"/me/questionnaires/{open_intake.pk}/page/4/"),
    )
    compare(
        "therapist guidance page (snapshot, 18 rules)",
        login_page,
        lambda: therapist.get(f"/cases/{case.pk}/guidance/"),
    )
    compare(
        "partner's published cycle map (2 SVG diagrams)",
        login_page,
        lambda: partner.get("/me/cycle/"),
    )


if __name__ == "__main__":
    main()
