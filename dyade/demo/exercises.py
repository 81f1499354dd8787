"""The demo's exercises, for a case on a track (Sanne and Thomas)."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from dyade.accounts.models import User
from dyade.cases.models import Case, Partner
from dyade.content import exercises
from dyade.exercises.models import Assignment, Log

# What each partner logged of the sensate focus exercise: slot, answers, shared.
SENSATE_FOCUS_LOGS: tuple[tuple[str, dict[str, object], bool], ...] = (
    (
        "A",
        {
            "role": "touched",
            "feeling": "neutral",
            "intensity": 2,
            "thoughts": ["taking-too-long"],
            "agreements_held": True,
        },
        False,
    ),
    (
        "B",
        {
            "role": "touching",
            "feeling": "bodily",
            "intensity": 3,
            "thoughts": ["doing-it-right"],
            "agreements_held": True,
            "needed": "Horen dat het fijn was.",
        },
        True,
    ),
)


def add_exercises(case: Case, therapist: User, partners: dict[str, Partner]) -> None:
    """Sensate focus on step 2 with a log from each partner, and hug till relaxed."""
    now = timezone.now()
    ladder = Assignment.objects.create(
        case=case,
        slug="sensate-focus",
        step=2,
        frequency="twee keer per week",
        agreements=[a["id"] for a in exercises()["sensate-focus"]["agreements"]],
        review_date=timezone.localdate() + dt.timedelta(days=10),
        assigned_by=therapist,
        assigned_at=now - dt.timedelta(days=9),
    )
    day = timezone.localdate() - dt.timedelta(days=2)
    for slot, values, shared in SENSATE_FOCUS_LOGS:
        Log.objects.create(
            assignment=ladder,
            partner=partners[slot],
            date=day,
            values_json=json.dumps(values, ensure_ascii=False),
            shared=shared,
        )
    Assignment.objects.create(
        case=case,
        slug="hug-till-relaxed",
        minutes=5,
        frequency="elke avond",
        assigned_by=therapist,
        assigned_at=now - dt.timedelta(days=3),
    )
