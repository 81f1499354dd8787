"""The demo's sessions and check-ins: one couple that improves, one that is not on track.

Sanne and Thomas (Eva de Wit) had seven weekly sessions: before each, both
filled in the CSI-4; after each, Dyade's alliance check. Both start below the
CSI-4's distress cut-off (13.5, Funk & Rogge 2007) and end above it, and both
feel heard. Sanne shares her chart with Thomas.

Daan and Yusuf (Joris Maes and Eva de Wit) had seven sessions too: their
scores stay where they were, below the cut-off, and Yusuf's alliance check
falls session after session while Daan's stays high, so the guidance page
shows ``alliance.split`` and, after six judged check-ins without reliable
improvement, ``progress.not-on-track``.

Statuses need the outcome measure's SD and reliability, and the CSI-4 key
ships none that could be verified (docs/questionnaires.md). The demo practice
enters its own, as a practice may (:mod:`dyade.progress.change_values`):
SD 4 and reliability 0.90, made up for the demo and labelled so. With them
S_diff = 4 x sqrt(2) x sqrt(0.1) = 1.79 points and a change counts when it is
more than 3.51 points: Sanne goes from 9 to 17 and Thomas from 11 to 17
(recovered, both across 13.5); Daan stays between 9 and 11 and Yusuf between
9 and 12 (unchanged).

A next session is planned a week from now for both couples. The CSI-4 is a
key-only instrument: the demo practice gets stand-in item texts, as it would
import the authors' own.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dyade.accounts.models import Practice, User
from dyade.cases.models import Case
from dyade.progress.models import ChangeValues, Sharing
from dyade.questionnaires.models import Administration, InstrumentText, Status
from dyade.sessions.models import Appointment

# CSI-4 answers: item 1 is 0-6, items 2-4 are 0-5; the total is their sum (0-21).
# Alliance check: four questions 0-10, its score is their mean.
DEMO_PROGRESS: dict[str, dict[str, dict[str, list[tuple[int, ...]]]]] = {
    "Sanne & Thomas": {
        "outcome": {
            "A": [
                (2, 2, 2, 3),
                (3, 2, 2, 3),
                (3, 3, 2, 3),
                (3, 3, 3, 3),
                (4, 3, 3, 4),
                (4, 4, 3, 4),
                (5, 4, 4, 4),
            ],
            "B": [
                (3, 2, 3, 3),
                (3, 3, 3, 3),
                (3, 3, 3, 3),
                (4, 3, 3, 4),
                (4, 4, 3, 4),
                (4, 4, 4, 4),
                (5, 4, 4, 4),
            ],
        },
        "alliance": {
            "A": [
                (7, 7, 6, 7),
                (7, 8, 7, 7),
                (8, 8, 7, 8),
                (8, 8, 8, 8),
                (8, 9, 8, 8),
                (9, 8, 8, 9),
                (9, 9, 8, 9),
            ],
            "B": [
                (6, 7, 6, 6),
                (7, 7, 7, 7),
                (7, 8, 7, 7),
                (8, 8, 7, 8),
                (8, 8, 8, 8),
                (8, 9, 8, 8),
                (9, 8, 8, 9),
            ],
        },
    },
    "Daan & Yusuf": {
        "outcome": {
            "A": [
                (3, 2, 2, 3),
                (3, 2, 3, 3),
                (2, 2, 2, 3),
                (3, 2, 2, 3),
                (3, 3, 2, 3),
                (2, 2, 2, 3),
                (3, 2, 2, 3),
            ],
            "B": [
                (3, 3, 2, 3),
                (3, 3, 2, 2),
                (3, 3, 3, 3),
                (3, 2, 2, 3),
                (3, 3, 2, 3),
                (3, 2, 2, 2),
                (3, 3, 2, 3),
            ],
        },
        "alliance": {
            "A": [
                (8, 8, 8, 9),
                (9, 8, 8, 9),
                (8, 9, 9, 8),
                (9, 9, 8, 9),
                (9, 9, 9, 8),
                (9, 9, 9, 9),
                (9, 9, 9, 9),
            ],
            "B": [
                (7, 7, 6, 7),
                (6, 6, 6, 6),
                (6, 5, 6, 5),
                (5, 5, 5, 5),
                (5, 4, 4, 5),
                (4, 4, 4, 4),
                (3, 4, 3, 3),
            ],
        },
    },
}
SHARING = {"Sanne & Thomas": "A"}  # Sanne shows her chart to Thomas
# The demo practice's own values for the CSI-4: illustrative, from no publication.
DEMO_CHANGE_VALUES = {"instrument": "csi-4", "sd": 4.0, "reliability": 0.9}
DEMO_CHANGE_SOURCE = (
    "Demopraktijk: illustratieve waarden, niet uit een publicatie — vervang ze vóór "
    "klinisch gebruik. / Demo practice: illustrative values, not from a publication — "
    "replace before clinical use."
)
SESSION_HOUR = 17


def add_check_in_texts(practice: Practice) -> None:
    """Stand-in item texts of the CSI-4, as the practice would import them under licence."""
    InstrumentText.objects.get_or_create(
        practice=practice,
        instrument="csi-4",
        version="1",
        language="nl",
        defaults={
            "items": {
                str(n): f"[demo] Hier staat vraag {n} van de CSI-4 zoals de praktijk die "
                "van de auteurs heeft."
                for n in range(1, 5)
            }
        },
    )


def add_change_values(practice: Practice) -> None:
    """The demo practice's stand-in SD and reliability for the CSI-4, labelled as such."""
    ChangeValues.objects.get_or_create(
        practice=practice,
        instrument=DEMO_CHANGE_VALUES["instrument"],
        defaults={
            "sd": DEMO_CHANGE_VALUES["sd"],
            "reliability": DEMO_CHANGE_VALUES["reliability"],
            "source": DEMO_CHANGE_SOURCE,
        },
    )


def add_progress(case: Case, therapist: User) -> None:
    """Seven weekly sessions with both check-ins, and the next session planned."""
    plan = DEMO_PROGRESS.get(case.label)
    if plan is None:
        return
    partners = {partner.slot: partner for partner in case.partners.all()}
    today = timezone.localdate()
    count = len(plan["outcome"]["A"])
    first = today - dt.timedelta(days=7 * count - 3)
    for index in range(count + 1):
        day = first + dt.timedelta(days=7 * index)
        starts = timezone.make_aware(dt.datetime.combine(day, dt.time(SESSION_HOUR)))
        held = index < count
        appointment = Appointment.objects.create(
            case=case,
            starts_at=starts,
            attendance="both" if held else "planned",
            therapist=therapist,
            created_by=therapist,
            created_at=starts - dt.timedelta(days=7),
        )
        if not held:
            continue
        for moment, key, instrument, offset in (
            ("before", "outcome", "csi-4", dt.timedelta(hours=-3)),
            ("after", "alliance", "dyade-alliance", dt.timedelta(hours=1)),
        ):
            for slot, answers in plan[key].items():
                when = starts + offset
                administration = Administration(
                    case=case,
                    partner=partners[slot],
                    instrument=instrument,
                    version="1",
                    status=Status.SUBMITTED,
                    assigned_by=therapist,
                    assigned_at=when - dt.timedelta(hours=1),
                    updated_at=when,
                    submitted_at=when,
                    appointment=appointment,
                    moment=moment,
                    page=0,
                    pages_seen=1,
                )
                administration.set_answers(
                    {str(number): value for number, value in enumerate(answers[index], 1)}
                )
                administration.save()
    if case.label in SHARING:
        Sharing.objects.create(partner=partners[SHARING[case.label]], shared=True)
