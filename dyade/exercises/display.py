"""Exercise logs and timer runs in words, for the therapist's debrief and the partner's page.

Each function takes what the access module already reduced to what the reader
may see, and only puts it into words.
"""

from __future__ import annotations

from typing import Any

from dyade.cases.models import Case
from dyade.clinic import exercises as rules
from dyade.exercises.forms import (
    FEELING_CHOICES,
    ROLE_CHOICES,
    THOUGHT_CHOICES,
)


def partner_names(case: Case) -> dict[str, str]:
    return {p.slot: p.name for p in case.partners.all()}


def run_summary(run: Any, names: dict[str, str]) -> dict[str, Any] | None:
    """Length and balance breaks of a timer run, with the names of who took each break."""
    if run is None:
        return None
    summary = rules.run_of(rules.parse_event(item) for item in run.events)
    return {
        "start": summary.start,
        "minutes": round(summary.seconds / 60, 1) if summary.seconds is not None else None,
        "breaks": [
            {"name": names.get(item.slot, ""), "seconds": round(item.seconds)}
            for item in summary.breaks
        ],
    }


def in_words(view: dict[str, Any], run: Any, names: dict[str, str]) -> dict[str, Any]:
    """A visible log with its codes in the reader's language and its run summarised."""
    words = dict(view)
    if "role" in words:
        words["role"] = dict(ROLE_CHOICES).get(words["role"], words["role"])
    if "feeling" in words:
        words["feeling"] = dict(FEELING_CHOICES).get(words["feeling"], words["feeling"])
    if "thoughts" in words:
        words["thoughts"] = [str(dict(THOUGHT_CHOICES).get(t, t)) for t in words["thoughts"]]
    words["summary"] = run_summary(run, names) if "run" in view else None
    return words


def entry_lines(view: dict[str, Any], labels: dict[str, Any]) -> dict[str, Any]:
    """A visible log entry as its day and (label, text) lines."""
    return {
        "date": view.get("date"),
        "lines": [(labels.get(key, key), value) for key, value in view.items() if key != "date"],
    }
