"""Benchmarks of the pages a practice uses most, as ratios against a same-run baseline.

This machine is noisy, so no absolute time means much. Each measurement is
reported as a ratio to the login page (a page with no client data, no policy
and no audit) rendered in the same run, alternating the two to share the noise.

The therapist pages are then measured for a couple with two years of diary
against a couple with two months (the same intake, observations, track, cycle
map and exercise), and the caseload with 10,000 cases against 100: each pair in
the same run, alternating, with the target (within ±20 %) and whether it is met.
The caseload is read in the order of attention across the whole caseload
(``dyade/overview/attention_page.py``); in each caseload the same 20 cases need
attention (questionnaires waiting, three with a safety answer), and the stored order
is worked out first, as the background refresh does (``manage.py refresh_attention``).

Run with ``make bench`` (``python bench/run.py caseload`` for the caseload alone).
It builds its own temporary SQLite database with the demo practice, so it never
touches db.sqlite3.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

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

from dyade.accounts.models import Practice, User  # noqa: E402
from dyade.cases import caseload  # noqa: E402
from dyade.cases.models import Case, Partner  # noqa: E402
from dyade.overview import attention_page, refresh  # noqa: E402
from dyade.overview.models import AttentionState  # noqa: E402
from dyade.questionnaires.models import Administration, Status  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
import therapist_data  # noqa: E402

ROUNDS = 30
FLAT_ROUNDS = 40
FLAT = (0.8, 1.2)  # "flat": within ±20 % of the baseline


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


def flat(
    name: str,
    login: Callable[[], object],
    baseline: Callable[[], object],
    subject: Callable[[], object],
) -> bool:
    """Print ``subject``'s time as a ratio to ``baseline``'s, both also to the login page."""
    times: dict[str, list[float]] = {"login": [], "baseline": [], "subject": []}
    calls = {"login": login, "baseline": baseline, "subject": subject}
    for key in ("baseline", "subject"):
        status = calls[key]().status_code  # type: ignore[attr-defined]
        if status != 200:
            raise SystemExit(f"{name} ({key}): expected 200, got {status}")
    for _ in range(3):
        for fn in calls.values():
            fn()
    for _ in range(FLAT_ROUNDS):
        for key, fn in calls.items():
            times[key].append(timed(fn))
    median = {key: statistics.median(values) for key, values in times.items()}
    ratio = median["subject"] / median["baseline"]
    met = FLAT[0] <= ratio <= FLAT[1]
    print(
        f"{name:<38} {ratio:6.2f}   {'met' if met else 'NOT MET':<8}"
        f"({median['baseline'] / median['login']:5.2f} and "
        f"{median['subject'] / median['login']:5.2f} x login page)"
    )
    return met


def therapist_pages(login: Callable[[], object]) -> list[bool]:
    practice = Practice.objects.create(name="Bench: diary length")
    therapist = therapist_data.therapist(practice, "lengths@bench.example")
    short = therapist_data.couple(therapist, "Twee maanden", 61)
    long = therapist_data.couple(therapist, "Twee jaar", 730)
    client = Client()
    client.force_login(therapist)
    pages = {
        "case page": "/cases/{}/",
        "since last session": "/cases/{}/since/",
        "guidance": "/cases/{}/guidance/",
        "questionnaires overview": "/cases/{}/questionnaires/",
        "cycle map": "/cases/{}/cycle/",
        "exercises": "/cases/{}/exercises/",
    }
    print()
    print(
        "Therapist pages: a couple with two years of diary against one with two months"
        f" (target {FLAT[0]:.2f}-{FLAT[1]:.2f})"
    )
    print(f"{'page':<38} {'ratio':>6}   {'met?':<8}(two months and two years against login)")
    results = []
    for name, url in pages.items():
        results.append(
            flat(
                name,
                login,
                lambda url=url: client.get(url.format(short.pk)),
                lambda url=url: client.get(url.format(long.pk)),
            )
        )
    return results


def caseloads(login: Callable[[], object]) -> list[bool]:
    small_practice = Practice.objects.create(name="Bench: 100 cases")
    large_practice = Practice.objects.create(name="Bench: 10,000 cases")
    small = therapist_data.therapist(small_practice, "hundred@bench.example")
    large = therapist_data.therapist(large_practice, "tenthousand@bench.example")
    few = therapist_data.therapist(large_practice, "few@bench.example")
    therapist_data.caseload(small_practice, small, 100, "Klein")
    therapist_data.caseload(large_practice, few, 100, "Weinig")  # the practice's first cases
    therapist_data.caseload(large_practice, large, 9_900, "Groot")
    for therapist in (small, large, few):
        needing_attention(therapist)
    start = time.perf_counter()
    made, _dropped, _written = refresh.run()  # assignments made in bulk: no states yet
    print()
    print(
        f"The order by attention of {made:,} assignments worked out in"
        f" {time.perf_counter() - start:.0f} s (once, in the background; absolute, this machine)"
    )
    # The cursor of the hundredth page of the large caseload (keyset: no offset to skip).
    keys = (
        AttentionState.objects.filter(therapist=large, case__status="open")
        .order_by("-rank", "-assignment_id")
        .values_list("rank", "assignment_id")
    )
    rank, assignment = keys[99 * caseload.PAGE_SIZE - 1]
    deep = urlencode({"older": attention_page.encode(large, attention_page.Key(rank, assignment))})
    clients = {}
    for user in (small, large, few):
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)
    print()
    print(f"The caseload (target {FLAT[0]:.2f}-{FLAT[1]:.2f})")
    print(f"{'caseload':<38} {'ratio':>6}   {'met?':<8}(baseline and subject against login)")
    return [
        flat(
            "10,000 cases against 100",
            login,
            lambda: clients[small.pk].get("/cases/"),
            lambda: clients[large.pk].get("/cases/"),
        ),
        flat(
            "10,000 cases, page 100, against 100",
            login,
            lambda: clients[small.pk].get("/cases/"),
            lambda: clients[large.pk].get(f"/cases/?{deep}"),
        ),
        flat(
            "100 cases, in a practice of 10,000",
            login,
            lambda: clients[small.pk].get("/cases/"),
            lambda: clients[few.pk].get("/cases/"),
        ),
    ]


def needing_attention(therapist: User, count: int = 20, unsafe: int = 3) -> None:
    """``count`` of the therapist's cases, spread evenly over the caseload, need attention:
    partner A has a questionnaire waiting, or (the first ``unsafe``) sent an intake with a
    safety answer. Every caseload gets the same number, so each first page holds the same
    mix and the comparison measures the caseload's size, not what its first page shows."""
    partners = list(
        Partner.objects.filter(case__therapists=therapist, slot="A").order_by("case_id")
    )
    stride = max(len(partners) // count, 1)
    chosen = partners[::stride][:count]
    made = []
    for number, partner in enumerate(chosen):
        sent = number < unsafe
        administration = Administration(
            case_id=partner.case_id,
            partner=partner,
            instrument="dyade-intake",
            version="1",
            status=Status.SUBMITTED if sent else Status.OPEN,
            submitted_at=timezone.now() if sent else None,
            page=1,
            pages_seen=1,
        )
        administration.set_answers({**therapist_data.INTAKE, "safety.physical": "sometimes"})
        made.append(administration)
    Administration.objects.bulk_create(made)


def main() -> None:
    call_command("migrate", verbosity=0)
    if sys.argv[1:] == ["caseload"]:
        anonymous = Client()
        print("Dyade benchmarks: the caseload only, as ratios in the same run.")
        results = caseloads(lambda: anonymous.get("/account/login/"))
        print()
        print(f"{sum(results)} of {len(results)} flatness targets met.")
        return
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
    open_intake = Administration.objects.get(
        partner__user__email="yusuf@partner.example", status="open"
    )
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
    results = therapist_pages(login_page) + caseloads(login_page)
    print()
    print(f"{sum(results)} of {len(results)} flatness targets met.")


if __name__ == "__main__":
    main()
