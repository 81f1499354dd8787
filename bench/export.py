"""Benchmark of the research export (issue 16): the export against a plain fetch written as CSV.

Builds a temporary SQLite database with two studies of simulated couples: 300
couples x 90 diary days and 3,000 couples x 30 days (fewer days, so that the
run stays within a few minutes; about 48,600 and 162,000 diary rows). Each
partner writes on about 90% of the days with every optional item; a fifth of
the entries has a (encrypted) note, which the study does not receive.

For each study, in the same run, each measured run right after a run of the
baseline (``--rounds`` times; the best time and the median of the ratios):

* baseline: a plain fetch of the study's diary rows (its consenting couples,
  then ``values_list`` of the rows) written as one CSV file with ``csv.writer``;
* the direct export in each format (``make_export``: the couples, the rows in
  batches, the three tables, codebook and README, the zip, its SHA-256, the
  Export record and one audit event per couple);
* the background path (the task's build into the private folder, with its
  audit events).

Each time is printed as a ratio to the baseline; the target is 3x. Beside the
wall-clock ratio (the target's) stands the ratio of this process's CPU time
(``time.process_time``), which other programs on a busy machine disturb much
less; it leaves out waiting for the disk. Then the
peak memory of the background build in each format (the path a large study
takes; the direct download also holds its zip, which is small by then),
measured in a fresh child process: the growth of the peak resident set
(Linux's VmHWM, reset before the export; all libraries included) and the peak
of Python's own allocations (``tracemalloc``). Every format streams, so no
format's memory should grow with the study.

Run with ``make bench-export`` (``--couples 100,1000 --days 30,10`` for a quick look).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DYADE_LOCAL", "1")
OWN_FOLDER = None if "DATABASE_URL" in os.environ else tempfile.mkdtemp(prefix="dyade-bench-")
if OWN_FOLDER is not None:  # removed at the end of the run (the child processes share it)
    os.environ["DATABASE_URL"] = f"sqlite:///{OWN_FOLDER}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dyade.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import translation  # noqa: E402

from dyade.accounts.models import Practice, Role, User  # noqa: E402
from dyade.cases.models import Case, CaseKind, Partner  # noqa: E402
from dyade.diary.models import DiaryEntry  # noqa: E402
from dyade.research import access, prepared  # noqa: E402
from dyade.research.files import FORMATS  # noqa: E402
from dyade.research.models import Consent, PreparedExport, Study, StudyStatus  # noqa: E402
from dyade.research.services import make_export  # noqa: E402

TARGET = 3.0
SEED = 20261121
START = dt.date(2026, 1, 5)
COLUMNS = [
    "partner__case_id",
    "partner__slot",
    "date",
    *(name for name in ("closeness", "feeling_seen", "stress", "desire", "sexual_contact")),
    "conflict",
    "contact_kind",
    "initiator",
    "bid_answer",
    "sexual_satisfaction",
    "motive",
    "perceived_desire",
    "perceived_mood",
]


def seed(couples: int, days: int, rng: random.Random) -> Study:
    """A practice with ``couples`` consenting couples and their diaries."""
    practice = Practice.objects.create(name=f"Bench {couples}")
    admin = User.objects.create_user(
        email=f"admin{couples}@bench.example", role=Role.PRACTICE_ADMIN, practice=practice
    )
    researcher = User.objects.create_user(
        email=f"lab{couples}@bench.example", role=Role.RESEARCHER, practice=practice
    )
    study = Study.objects.create(
        practice=practice,
        title=f"{couples} couples",
        information_nl="Bench",
        data_from=START,
        created_by=admin,
        status=StudyStatus.OPEN,
    )
    study.researchers.add(researcher)
    cases = Case.objects.bulk_create(
        Case(practice=practice, label=f"c{n}", kind=CaseKind.COUPLE, created_by=admin)
        for n in range(couples)
    )
    partners = Partner.objects.bulk_create(
        Partner(case=case, slot=slot, name=f"{case.label}{slot}") for case in cases for slot in "AB"
    )
    Consent.objects.bulk_create(Consent(study=study, partner=p, given=True) for p in partners)
    entries = []
    for couple in range(couples):
        for offset in range(days):
            contact = rng.random() < 0.2
            for partner in partners[2 * couple : 2 * couple + 2]:
                if rng.random() < 0.1:
                    continue  # a skipped day
                entry = DiaryEntry(
                    partner=partner,
                    date=START + dt.timedelta(days=offset),
                    closeness=rng.randint(0, 10),
                    feeling_seen=rng.randint(0, 10),
                    stress=rng.randint(0, 10),
                    desire=rng.randint(0, 10),
                    sexual_contact=contact,
                    conflict=rng.random() < 0.15,
                    bid_answer="accepted" if contact else "no-bid",
                    perceived_desire=rng.randint(0, 10),
                    perceived_mood=rng.randint(0, 10),
                    note="Vandaag hebben we gepraat." if rng.random() < 0.2 else "",
                )
                if contact:
                    entry.contact_kind = "touch"
                    entry.initiator = rng.choice(("me", "partner", "both"))
                    entry.sexual_satisfaction = rng.randint(0, 10)
                    entry.motive = rng.choice(("closeness", "pleasure", "keep-peace"))
                entries.append(entry)
    DiaryEntry.objects.bulk_create(entries, batch_size=2_000)
    return study


def researcher_of(study: Study) -> User:
    return study.researchers.get()


def baseline(study: Study) -> int:
    """A plain fetch of the study's diary rows, written as one CSV file."""
    researcher = researcher_of(study)
    ids = list(access.study_cases(researcher, study).values_list("pk", flat=True))
    rows = DiaryEntry.objects.filter(partner__case_id__in=ids, date__gte=study.data_from)
    with tempfile.TemporaryFile("w+", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows.values_list(*COLUMNS).iterator(chunk_size=2_000))
        return out.tell()


def direct(study: Study, fmt: str) -> int:
    """The direct export, as the view makes it."""
    request = RequestFactory().post(f"/research/studies/{study.pk}/export/")
    request.user = researcher_of(study)
    with translation.override("nl"):
        _, content = make_export(request, study, fmt, None)
    return len(content)


def background(study: Study, fmt: str = "csv") -> int:
    """The background task's build (the file is deleted afterwards)."""
    item = PreparedExport.objects.create(
        study=study, researcher=researcher_of(study), format=fmt, language="nl"
    )
    if prepared.build(item.pk) != "ready":
        raise SystemExit("the background build failed")
    item.refresh_from_db()
    prepared.delete(item, "bench")
    return item.size


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock seconds and this process's CPU seconds of one run."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def memory(study: Study, what: str) -> dict[str, float]:
    """Peak memory of one export, in a child process that does nothing else."""
    output = subprocess.run(
        [sys.executable, __file__, "--memory", str(study.pk), what],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ | {"DYADE_EXPORT_DIR": str(settings.DYADE_EXPORT_DIR)},
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> None:
    """Start the peak resident set (VmHWM) again from the current one (Linux)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def child(study_pk: int, what: str) -> None:
    """``--memory``: run one export and print its peak memory as JSON."""
    settings.DYADE_EXPORT_DIR = os.environ["DYADE_EXPORT_DIR"]
    study = Study.objects.get(pk=study_pk)
    run = {
        "baseline": lambda: baseline(study),
        **{fmt: (lambda fmt=fmt: background(study, fmt)) for fmt in FORMATS},
    }[what]
    researcher_of(study)  # warm the connection and the caches
    tracemalloc.start()
    _reset_peak()
    before = _status_mb("VmRSS")
    run()
    peak = _status_mb("VmHWM")
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(json.dumps({"rss": max(0.0, peak - before), "traced": traced}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--couples", default="300,3000")
    parser.add_argument("--days", default="90,30")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory", nargs=2, metavar=("STUDY", "WHAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory:
        child(int(args.memory[0]), args.memory[1])
        return
    settings.DYADE_EXPORT_DIR = Path(OWN_FOLDER or tempfile.mkdtemp()) / "exports"
    try:
        run(args)
    finally:
        if OWN_FOLDER is not None:
            shutil.rmtree(OWN_FOLDER, ignore_errors=True)


def run(args: argparse.Namespace) -> None:
    sizes = list(
        zip(map(int, args.couples.split(",")), map(int, args.days.split(",")), strict=True)
    )
    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    print("Research export: ratio to a plain fetch of the same diary rows written as CSV,")
    print(f"each run right after one of the baseline, {args.rounds} rounds: the best time and the")
    print(f"median ratio. Target: at most {TARGET:.0f}x the baseline.")
    studies = []
    for couples, days in sizes:
        start = time.perf_counter()
        study = seed(couples, days, rng)
        rows = DiaryEntry.objects.filter(partner__case__practice=study.practice).count()
        seconds = time.perf_counter() - start
        print(
            f"\n{couples:,} couples x {days} days: {rows:,} diary rows (seeded in {seconds:.0f} s)"
        )
        studies.append((couples, study))
        runs = {f"export {fmt}": (lambda fmt=fmt, s=study: direct(s, fmt)) for fmt in FORMATS}
        runs["background task (csv)"] = lambda s=study: background(s)
        bases: list[float] = []
        times: dict[str, list[float]] = {name: [] for name in runs}
        ratios: dict[str, list[float]] = {name: [] for name in runs}
        cpu_ratios: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.rounds):  # each run right after a run of the baseline
            for name, fn in runs.items():
                base, base_cpu = timed(lambda study=study: baseline(study))
                bases.append(base)
                wall, cpu = timed(fn)
                times[name].append(wall)
                ratios[name].append(wall / base)
                cpu_ratios[name].append(cpu / base_cpu)
        print(f"  {'':<34} {'best':>8}    {'ratio':>6}  {'(CPU)':>6}")
        print(f"  {'baseline: fetch + csv.writer':<34} {min(bases) * 1000:8.0f} ms   1.00x   1.00x")
        for name in runs:
            ratio = statistics.median(ratios[name])
            cpu_ratio = statistics.median(cpu_ratios[name])
            verdict = "met" if ratio <= TARGET else "NOT met"
            print(
                f"  {name:<34} {min(times[name]) * 1000:8.0f} ms {ratio:6.2f}x {cpu_ratio:6.2f}x"
                f"  target {verdict}"
            )
    print("\nPeak memory of one export built as large studies are (the background task),")
    print("each in a fresh process: growth of peak RSS / peak of Python allocations (tracemalloc)")
    peaks: dict[str, list[float]] = {}
    for what in ("baseline", *FORMATS):
        cells = []
        for couples, study in studies:
            peak = memory(study, what)
            peaks.setdefault(what, []).append(peak["rss"])
            cells.append(f"{couples:>5,} couples {peak['rss']:6.1f} / {peak['traced']:6.1f} MB")
        print(f"  {what:<11} " + "   ".join(cells))
    if len(studies) > 1:
        print(
            f"\nMemory of the largest study against the smallest ({studies[-1][0]:,} vs "
            f"{studies[0][0]:,} couples, {len(sizes)} sizes):"
        )
        for what, values in peaks.items():
            growth = values[-1] - values[0]
            bounded = "bounded" if growth < 25 else "grows with the study"
            print(f"  {what:<11} {growth:+7.1f} MB   {bounded}")


if __name__ == "__main__":
    main()
