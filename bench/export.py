"""Benchmark of the research export (issue 6): tables and files for a large study.

300 simulated couples x 90 diary days with every optional item (about 54,000
person-days): building the three tables and the codebook, then the zip in each
format. Each time is printed with its ratio to writing the long table as CSV
with pandas in the same run (the baseline: the least any export must do),
because this machine is noisy and only ratios travel. Run with
``make bench-export``.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dyade.clinic.research import DiaryRow, build, pseudonym
from dyade.research.files import FORMATS, bundle

COUPLES = 300
DAYS = 90
SEED = 20261121
START = dt.date(2026, 1, 5)


def simulate(rng: random.Random) -> list[DiaryRow]:
    rows = []
    for couple in range(COUPLES):
        dyad = pseudonym(b"bench", f"case:{couple}")
        for offset in range(DAYS):
            contact = rng.random() < 0.2
            for role in "AB":
                if rng.random() < 0.1:
                    continue  # a skipped day
                values: dict[str, object] = {
                    "closeness": rng.randint(0, 10),
                    "feeling_seen": rng.randint(0, 10),
                    "stress": rng.randint(0, 10),
                    "desire": rng.randint(0, 10),
                    "sexual_contact": contact,
                    "conflict": rng.random() < 0.15,
                    "bid_answer": "accepted" if contact else "no-bid",
                    "perceived_desire": rng.randint(0, 10),
                    "perceived_mood": rng.randint(0, 10),
                }
                if contact:
                    values |= {
                        "contact_kind": "touch",
                        "initiator": rng.choice(("me", "partner", "both")),
                        "sexual_satisfaction": rng.randint(0, 10),
                        "motive": rng.choice(("closeness", "pleasure", "keep-peace")),
                    }
                rows.append(DiaryRow(dyad, role, START + dt.timedelta(days=offset), values))
    return rows


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    rows = simulate(random.Random(SEED))
    dataset = build(rows, free_text=False)
    print(f"Research export of {COUPLES} couples x {DAYS} days ({len(rows)} person-days).")
    baseline = timed(lambda: dataset.long.to_csv(io.StringIO(), index=False))
    print(f"  baseline: long table to CSV     {baseline * 1000:8.1f} ms   1.0x")
    results = {"tables and codebook": timed(lambda: build(rows, free_text=False))}
    for fmt in FORMATS:
        results[f"zip ({fmt})"] = timed(
            lambda fmt=fmt: bundle(dataset, fmt, language="nl", readme="bench")
        )
    for name, seconds in results.items():
        print(f"  {name:<31} {seconds * 1000:8.1f} ms {seconds / baseline:6.1f}x")


if __name__ == "__main__":
    main()
