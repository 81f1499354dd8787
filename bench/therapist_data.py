"""Data for the therapist-page benchmarks: couples that differ only in diary length, caseloads.

Imported by ``bench/run.py`` after Django is set up.
"""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from dyade.accounts.models import Practice, Role, User
from dyade.cases.models import Case, CaseKind, Partner
from dyade.diary.models import DiaryEntry
from dyade.exercises.models import Assignment
from dyade.questionnaires.models import Administration, Status
from dyade.sessions.models import (
    Appointment,
    CycleVersion,
    Observation,
    SignalDecision,
    TrackChange,
)

PASSWORD = "bench-password-long-enough-1"
INTAKE = {
    "story.hopes": "Weer samen lachen",
    "commitment.continue": "yes",
    "conflict.position": "pursue",
    "sex.position": "avoid",
    "sex.desire": 4,
    "safety.physical": "never",
}


def _diary(partner: Partner, days: int, today: dt.date) -> None:
    """A diary written every day for ``days`` days, with a note on every day."""
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            partner=partner,
            date=today - dt.timedelta(days=offset),
            closeness=1 + offset % 10,
            feeling_seen=5,
            stress=1 + (offset * 3) % 10,
            desire=1 + (offset * 7) % 10,
            sexual_contact=offset % 4 == 0,
            conflict=offset % 6 == 0,
            note=f"Notitie van dag {offset}: een gewone dag met wat zorgen om het werk.",
            note_visibility="shared" if offset % 2 else "private",
            initiator="me" if offset % 4 == 0 and partner.slot == "A" else "",
            perceived_desire=1 + offset % 10,
        )
        for offset in range(days)
    )


def _administration(partner: Partner, instrument: str, answers: dict[str, object]) -> None:
    administration = Administration(
        case=partner.case,
        partner=partner,
        instrument=instrument,
        version="1",
        status=Status.SUBMITTED,
        submitted_at=timezone.now(),
        page=1,
        pages_seen=2,
    )
    administration.set_answers(answers)
    administration.save()


def couple(therapist: User, label: str, days: int) -> Case:
    """A couple with intake, ECR-R and HITS, three observations, a track, a cycle map, a
    decided signal and an exercise, and ``days`` days of diary for each partner."""
    case = Case.objects.create(
        practice_id=therapist.practice_id, label=label, kind=CaseKind.COUPLE, created_by=therapist
    )
    case.therapists.add(therapist)
    today = timezone.localdate()
    for slot, name in (("A", "Iris"), ("B", "Ruben")):
        account = User.objects.create_user(
            email=f"{name.lower()}.{days}@bench.example",
            password=PASSWORD,
            role=Role.PARTNER,
            practice_id=therapist.practice_id,
            name=name,
        )
        partner = Partner.objects.create(
            case=case, slot=slot, name=name, user=account, joined_at=timezone.now()
        )
        _diary(partner, days, today)
        _administration(partner, "dyade-intake", INTAKE)
        _administration(partner, "ecr-r", {str(n): 1 + n % 7 for n in range(1, 37)})
        _administration(partner, "hits", {"1": 1, "2": 1, "3": 1, "4": 1})
    for offset in (40, 20, 6):
        Observation.objects.create(
            case=case,
            date=today - dt.timedelta(days=offset),
            created_by=therapist,
            love_felt=True,
            note=f"Sessie van {offset} dagen geleden.",
        )
    TrackChange.objects.create(
        case=case, track="eft", stage=1, reason="start", changed_by=therapist
    )
    CycleVersion.objects.create(
        case=case,
        number=1,
        data_json=json.dumps({"A": {"sex": {"position": "pursue"}}}),
        created_by=therapist,
    )
    SignalDecision.objects.create(
        case=case,
        signal="eft.indicated",
        kind="indication",
        fingerprint="0" * 64,
        decision="dismissed",
        reason="nog niet",
        decided_by=therapist,
    )
    Assignment.objects.create(
        case=case, slug="hug-till-relaxed", step=1, minutes=5, assigned_by=therapist
    )
    return case


def therapist(practice: Practice, email: str) -> User:
    return User.objects.create_user(
        email=email, password=PASSWORD, role=Role.THERAPIST, practice=practice, name=email
    )


def caseload(practice: Practice, therapist: User, cases: int, prefix: str) -> None:
    """``cases`` couples in ``practice``, each with two partners, assigned to ``therapist``,
    with what the worklist shows (:func:`worklist_data`)."""
    made = Case.objects.bulk_create(
        Case(
            practice=practice,
            label=f"{prefix} {number:05d}",
            kind=CaseKind.COUPLE,
            created_by=therapist,
        )
        for number in range(cases)
    )
    through = Case.therapists.through
    through.objects.bulk_create(through(case_id=case.pk, user_id=therapist.pk) for case in made)
    partners = Partner.objects.bulk_create(
        Partner(case=case, slot=slot, name=f"{name} {case.pk}")
        for case in made
        for slot, name in (("A", "Partner"), ("B", "Partner"))
    )
    worklist_data(therapist, made, partners)


def worklist_data(therapist: User, cases: list[Case], partners: list[Partner]) -> None:
    """What the worklist reads for every case: three diary days and a sent intake per
    partner, a track, a session held a week ago and one planned in a week."""
    today = timezone.localdate()
    now = timezone.now()
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            partner=partner,
            date=today - dt.timedelta(days=offset),
            closeness=5 + offset,
            feeling_seen=5,
            stress=4,
            desire=3 + offset,
            sexual_contact=False,
            conflict=offset == 1,
        )
        for partner in partners
        for offset in range(3)
    )
    intakes = []
    for partner in partners:
        administration = Administration(
            case_id=partner.case_id,
            partner=partner,
            instrument="dyade-intake",
            version="1",
            status=Status.SUBMITTED,
            submitted_at=now,
            page=1,
            pages_seen=2,
        )
        administration.set_answers(INTAKE)
        intakes.append(administration)
    Administration.objects.bulk_create(intakes)
    TrackChange.objects.bulk_create(
        TrackChange(case=case, track="eft", stage=1, reason="start", changed_by=therapist)
        for case in cases
    )
    Appointment.objects.bulk_create(
        Appointment(
            case=case,
            starts_at=now + dt.timedelta(days=days),
            attendance=attendance,
            created_by=therapist,
        )
        for case in cases
        for days, attendance in ((-7, "both"), (7, "planned"))
    )
