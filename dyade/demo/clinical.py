"""The demo's clinical work: intakes and ECR-RS, the track, observations, cycle map, reading.

Only Sanne and Thomas (and, for the intake, Daan and Yusuf) have any of it; the
other cases start with a diary only.
"""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from dyade.accounts.models import Practice, User
from dyade.cases.models import Case, Partner
from dyade.questionnaires.models import Administration, InstrumentText, Status
from dyade.reading.models import ReadingAssignment
from dyade.sessions.models import CycleVersion, Observation, TrackChange

# --- questionnaires ---------------------------------------------------------------

# Sent intakes, by partner e-mail: answers keyed by linkId of ``dyade-intake``.
# Sanne pursues in daily life and holds off around sex; Thomas withdraws in
# daily life and initiates sex: the flip of seed 002.
DEMO_INTAKES: dict[str, dict[str, object]] = {
    "sanne@partner.example": {
        "story.duration": "10-20",
        "story.reason": "We maken steeds dezelfde ruzie en praten bijna niet meer echt.",
        "story.hopes": "Dat ik me weer gezien voel, en dat we weer kunnen lachen samen.",
        "commitment.continue": "yes",
        "commitment.love": 7,
        "commitment.detachment": 2,
        "commitment.motivation": 9,
        "conflict.position": "pursue",
        "conflict.partner-position": "withdraw",
        "conflict.frequency": "weekly",
        "conflict.escalation": 6,
        "sex.position": "avoid",
        "sex.satisfaction": 3,
        "sex.desire": 3,
        "sex.frequency": "lt-monthly",
        "sex.frequency-wish": "monthly",
        "sex.motives": ["keep-peace", "closeness"],
        "sex.changed": "1-5",
        "balance.self": 5,
        "balance.calm": 3,
        "balance.grounded": 4,
        "balance.endurance": 6,
        "wellbeing.stress": 7,
        "wellbeing.exhaustion": 7,
        "safety.physical": "never",
        "safety.fear": "no",
    },
    "thomas@partner.example": {
        "story.duration": "10-20",
        "story.hopes": "Minder ruzie. Dat ze merkt dat ik echt mijn best doe.",
        "commitment.continue": "yes",
        "commitment.love": 8,
        "commitment.detachment": 3,
        "commitment.motivation": 7,
        "conflict.position": "withdraw",
        "conflict.partner-position": "pursue",
        "conflict.frequency": "weekly",
        "sex.position": "initiate",
        "sex.satisfaction": 4,
        "sex.desire": 8,
        "sex.frequency": "lt-monthly",
        "sex.frequency-wish": "several-weekly",
        "sex.motives": ["closeness", "pleasure", "reassurance"],
        "sex.rejection": "Dat ik niet goed genoeg ben.",
        "balance.self": 6,
        "balance.calm": 5,
        "balance.grounded": 3,
        "balance.endurance": 4,
        "wellbeing.stress": 5,
        "safety.physical": "never",
        "safety.fear": "no",
    },
    "daan@partner.example": {
        "story.hopes": "Weer tijd voor elkaar vinden, niet alleen naast elkaar leven.",
        "commitment.continue": "unsure",
        "commitment.love": 6,
        "commitment.detachment": 5,
        "conflict.position": "withdraw",
        "sex.position": "avoid",
        "sex.desire": 2,
        "wellbeing.stress": 9,
        "wellbeing.exhaustion": 9,
        "wellbeing.mood": "most-days",
        "health.medication": "yes",
        "safety.physical": "never",
        "safety.joint-sessions": "not-always",
    },
}

# Half-filled intakes (not sent): the partner resumes where they stopped.
DEMO_OPEN_INTAKES: dict[str, tuple[dict[str, object], int]] = {
    "yusuf@partner.example": (
        {"story.hopes": "Dat Daan weer lacht.", "commitment.continue": "yes", "commitment.love": 9},
        2,
    ),
}

# ECR-RS (partner) answers 1-7 for items 1-9; the demo practice imports
# placeholder item texts so that the scale can be shown without its licensed text.
DEMO_ECR_RS: dict[str, list[int]] = {
    "sanne@partner.example": [5, 5, 4, 5, 2, 3, 6, 6, 5],
    "thomas@partner.example": [3, 3, 3, 2, 5, 5, 3, 2, 2],
}


def add_questionnaires(practice: Practice, case: Case, partner: Partner, therapist: User) -> None:
    """Give the demo partners their intake (sent or half done) and, for some, ECR-RS."""
    sent_at = timezone.now() - dt.timedelta(days=5)

    def give(instrument: str, answers: dict[str, object], pages: int, sent: bool) -> None:
        administration = Administration(
            case=case,
            partner=partner,
            instrument=instrument,
            version="1",
            status=Status.SUBMITTED if sent else Status.OPEN,
            assigned_by=therapist,
            submitted_at=sent_at if sent else None,
            page=0 if sent else pages,
            pages_seen=pages,
        )
        administration.set_answers(answers)
        administration.save()

    if partner.email in DEMO_INTAKES:
        give("dyade-intake", dict(DEMO_INTAKES[partner.email]), 10, sent=True)
    if partner.email in DEMO_OPEN_INTAKES:
        answers, pages = DEMO_OPEN_INTAKES[partner.email]
        give("dyade-intake", dict(answers), pages, sent=False)
    if partner.email in DEMO_ECR_RS:
        InstrumentText.objects.get_or_create(
            practice=practice,
            instrument="ecr-rs-partner",
            version="1",
            language="nl",
            defaults={
                "items": {
                    str(n): f"[demo] Hier staat vraag {n} van de ECR-RS zoals de praktijk "
                    "die in licentie heeft."
                    for n in range(1, 10)
                }
            },
        )
        numbered = enumerate(DEMO_ECR_RS[partner.email], 1)
        give("ecr-rs-partner", {str(n): value for n, value in numbered}, 2, sent=True)


# --- session work (guidance) ------------------------------------------------------

# Sanne and Thomas: EFT was started after the intake; the therapist has mapped
# their cycle (published to them) and noted two sessions. In the second one
# Thomas feels powerless, so a switch to differentiation is waiting.

DEMO_TRACKS: dict[str, list[dict[str, object]]] = {
    "Sanne & Thomas": [
        {
            "days_ago": 21,
            "track": "eft",
            "stage": 1,
            "signals": ["eft.indicated"],
            "reason": "Liefde en motivatie bij allebei; we beginnen met de-escaleren.",
        }
    ],
}
DEMO_OBSERVATIONS: dict[str, list[dict[str, object]]] = {
    "Sanne & Thomas": [
        {
            "days_ago": 14,
            "eft_stage": 1,
            "love_felt": True,
            "motivation_a": 8,
            "motivation_b": 6,
            "escalation": False,
            "note": "De ruzie over de jassen van de kinderen samen uitgeplozen.",
        },
        {
            "days_ago": 3,
            "eft_stage": 1,
            "love_felt": True,
            "powerlessness": True,
            "emotional_safety": False,
            "note": "Thomas zegt dat alleen Sanne zijn onrust kan wegnemen.",
        },
    ],
}
DEMO_CYCLES: dict[str, dict[str, object]] = {
    "Sanne & Thomas": {
        "A": {
            "daily": {
                "position": "pursue",
                "behaviour": "Ze zegt er iets van en blijft doorpraten als hij stilvalt.",
                "perceived_as": "Hij hoort: ik doe het weer niet goed.",
                "secondary_emotion": "Boosheid",
                "primary_emotion": "Eenzaamheid",
                "need": "Gezien worden: doe ik ertoe voor jou?",
            },
            "sex": {
                "position": "withdraw",
                "behaviour": "Ze draait zich om en zegt dat ze moe is.",
                "perceived_as": "Hij voelt: ze wil mij niet.",
                "secondary_emotion": "Irritatie",
                "primary_emotion": "",
                "need": "Eerst verbinding voelen, dan pas vrijen.",
            },
        },
        "B": {
            "daily": {
                "position": "withdraw",
                "behaviour": "Hij zwijgt en gaat achter zijn laptop zitten.",
                "perceived_as": "Zij voelt: ik ben hem niet belangrijk.",
                "secondary_emotion": "Verdoofd",
                "primary_emotion": "Schaamte, bang om te falen",
                "need": "",
            },
            "sex": {
                "position": "pursue",
                "behaviour": "Hij zoekt 's avonds laat toenadering in bed.",
                "perceived_as": "Zij voelt: het gaat om mijn lijf, niet om mij.",
                "secondary_emotion": "",
                "primary_emotion": "Afgewezen voelen",
                "need": "Via aanraking voelen dat hij gewild is.",
            },
        },
    },
}
DEMO_READINGS: dict[str, list[tuple[str, str]]] = {
    "Sanne & Thomas": [("A", "pursue-withdraw"), ("B", "pursue-withdraw"), ("B", "basic-needs")],
}


def add_session_work(case: Case, therapist: User) -> None:
    """The case's track, its session observations and its published cycle map."""
    now = timezone.now()
    for change in DEMO_TRACKS.get(case.label, []):
        values = dict(change)
        days_ago = int(values.pop("days_ago"))  # type: ignore[call-overload]
        TrackChange.objects.create(
            case=case,
            changed_by=therapist,
            changed_at=now - dt.timedelta(days=days_ago),
            **values,
        )
    for observation in DEMO_OBSERVATIONS.get(case.label, []):
        values = dict(observation)
        days_ago = int(values.pop("days_ago"))  # type: ignore[call-overload]
        Observation.objects.create(
            case=case,
            created_by=therapist,
            date=timezone.localdate() - dt.timedelta(days=days_ago),
            created_at=now - dt.timedelta(days=days_ago),
            **values,
        )
    if case.label in DEMO_CYCLES:
        CycleVersion.objects.create(
            case=case,
            number=1,
            data_json=json.dumps(DEMO_CYCLES[case.label], ensure_ascii=False),
            created_by=therapist,
            created_at=now - dt.timedelta(days=10),
            published_at=now - dt.timedelta(days=10),
            published_by=therapist,
        )


def add_readings(case: Case, therapist: User, partners: dict[str, Partner]) -> None:
    """The reading the therapist gave each partner, by slot."""
    now = timezone.now()
    for slot, slug in DEMO_READINGS.get(case.label, []):
        ReadingAssignment.objects.create(
            partner=partners[slot],
            slug=slug,
            assigned_by=therapist,
            assigned_at=now - dt.timedelta(days=10),
        )
