"""Build the demo practice: practices, staff, the nine cases with their diaries, the study.

Two couples also have sessions with check-ins (:mod:`dyade.demo.progress`).

The order of everything here is part of the demo: all cases draw their core
diaries and the minute of each entry from one random stream (seed 20261121), so
the cases are built one after the other, each partner's diary right after that
partner, and the primary keys come out as they always did.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from dyade.accounts.models import Practice, Role, User
from dyade.cases.models import Case, Partner
from dyade.demo.clinical import DEMO_TRACKS, add_questionnaires, add_readings, add_session_work
from dyade.demo.closed import add_closed_case
from dyade.demo.couples import CASES
from dyade.demo.diaries import DayValues, add_items, couple_diaries
from dyade.demo.exercises import add_exercises
from dyade.demo.people import DEMO_PRACTICE, OTHER_PRACTICE, STAFF, DemoCase, DemoPartner
from dyade.demo.progress import (
    DEMO_PROGRESS,
    add_change_values,
    add_check_in_texts,
    add_progress,
)
from dyade.demo.research import add_study
from dyade.diary.models import DiaryEntry

SEED = 20261121


def demo_exists() -> bool:
    return Practice.objects.filter(name=DEMO_PRACTICE).exists()


def create_demo() -> None:
    """Create the whole demo practice (once: see :func:`demo_exists`)."""
    practices = {
        name: Practice.objects.create(name=name) for name in (DEMO_PRACTICE, OTHER_PRACTICE)
    }
    staff = add_staff(practices)
    rng = random.Random(SEED)
    today = timezone.localdate()
    for demo in CASES:
        add_case(demo, practices[demo.practice], staff, rng, today)
    # Sessions and check-ins come after every case, so the earlier records keep their ids.
    add_check_in_texts(practices[DEMO_PRACTICE])
    add_change_values(practices[DEMO_PRACTICE])
    for demo in CASES:
        if demo.label in DEMO_PROGRESS:
            case = Case.objects.get(practice=practices[demo.practice], label=demo.label)
            add_progress(case, staff[demo.therapists[0]])
    add_study(practices[DEMO_PRACTICE], staff)
    add_closed_case(practices[DEMO_PRACTICE], staff)  # last: the other records keep their ids


def add_staff(practices: dict[str, Practice]) -> dict[str, User]:
    """The therapists, the practice admin and the researcher, by e-mail."""
    staff = {}
    for email, name, role, practice, language in STAFF:
        staff[email] = User.objects.create_user(
            email=email, name=name, role=role, practice=practices[practice], language=language
        )
    return staff


def add_case(
    demo: DemoCase,
    practice: Practice,
    staff: dict[str, User],
    rng: random.Random,
    today: dt.date,
) -> None:
    """One case: its partners with their diaries and questionnaires, then its session work."""
    therapist = staff[demo.therapists[0]]
    case = Case.objects.create(
        practice=practice,
        label=demo.label,
        kind=demo.kind,
        created_by=therapist,
        created_at=timezone.now() - dt.timedelta(days=demo.days + 7),
    )
    case.therapists.set([staff[email] for email in demo.therapists])
    series = diary_values(demo, today, rng)
    first = today - dt.timedelta(days=demo.days - 1)
    for slot, person, days in zip(case.slots, demo.partners, series, strict=True):
        partner = add_partner(case, slot, person, demo.days)
        add_diary(partner, person, days, first, rng)
        add_questionnaires(practice, case, partner, therapist)
    add_session_work(case, therapist)
    partners = {partner.slot: partner for partner in case.partners.all()}
    if case.label in DEMO_TRACKS:
        add_exercises(case, therapist, partners)
    add_readings(case, therapist, partners)


def diary_values(demo: DemoCase, today: dt.date, rng: random.Random) -> list[list[DayValues]]:
    """Each partner's days, from the shared stream ``rng``, with the optional items."""
    profiles = [p.profile for p in demo.partners]
    series = couple_diaries(
        profiles,
        today,
        demo.days,
        rng,
        conflict_rate=demo.conflict_rate,
        contact_rate=demo.contact_rate,
    )
    # The optional items have a random stream of their own per case, so the
    # shared stream (and with it every case's core diary) stays as it was.
    return add_items(
        series,
        profiles,
        random.Random(f"diary items of {demo.label}"),
        bid_rate=demo.bid_rate,
    )


def add_partner(case: Case, slot: str, person: DemoPartner, days: int) -> Partner:
    """The partner's account and their place in the case, joined just before the diary."""
    user = User.objects.create_user(
        email=person.email,
        role=Role.PARTNER,  # no name: it stays in the encrypted Partner.name only
        practice=case.practice,
        language=person.language,
    )
    return Partner.objects.create(
        case=case,
        slot=slot,
        name=person.name,
        email=person.email,
        language=person.language,
        user=user,
        joined_at=timezone.now() - dt.timedelta(days=days + 3),
    )


def add_diary(
    partner: Partner,
    person: DemoPartner,
    days: list[DayValues],
    first: dt.date,
    rng: random.Random,
) -> None:
    """The partner's diary entries, written at 21:xx, with their notes on the given days."""
    entries = []
    for values in days:
        index = (values.date - first).days
        note, visibility = person.notes.get(index, ("", "private"))
        moment = timezone.make_aware(
            dt.datetime.combine(values.date, dt.time(21, rng.randrange(60)))
        )
        entries.append(
            DiaryEntry(
                partner=partner,
                date=values.date,
                closeness=values.closeness,
                feeling_seen=values.feeling_seen,
                stress=values.stress,
                desire=values.desire,
                sexual_contact=values.sexual_contact,
                conflict=values.conflict,
                **values.items(),
                note=note,
                note_visibility=visibility,
                created_at=moment,
                updated_at=moment,
            )
        )
    DiaryEntry.objects.bulk_create(entries)
