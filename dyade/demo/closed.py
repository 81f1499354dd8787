"""A closed case in the demo practice: a separation guidance that ended respectfully.

Mila and Kasper came for separation guidance (seed 004: "Soms ligt heling in het
respectvol afronden"), kept a diary for three weeks, and their therapist closed
the case with the outcome "ended respectfully" a week ago. On the caseload it is
out of the way (the status filter "closed" or a search finds it); its partners can
log in and see that it was closed, and download their own data.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dyade.accounts.models import Practice, Role, User
from dyade.cases.models import Case, CaseForm, CaseKind, CaseStatus, Outcome, Partner
from dyade.diary.models import DiaryEntry
from dyade.sessions.models import TrackChange

LABEL = "Mila & Kasper"
THERAPIST = "joris.maes@verbinding.example"
PARTNERS = (("A", "Mila", "mila@partner.example"), ("B", "Kasper", "kasper@partner.example"))
PARTNER_EMAILS = [email for _slot, _name, email in PARTNERS]
DIARY_DAYS = 21
CLOSED_DAYS_AGO = 7
NOTE = (
    "Ze hebben samen besloten uit elkaar te gaan en de afspraken over de kinderen rustig "
    "kunnen maken. Beiden weten waar ze terechtkunnen als het later toch schuurt."
)


def add_closed_case(practice: Practice, staff: dict[str, User]) -> Case:
    """The closed demo case, its partners with their accounts and three weeks of diary."""
    therapist = staff[THERAPIST]
    now = timezone.now()
    closed_at = now - dt.timedelta(days=CLOSED_DAYS_AGO)
    case = Case.objects.create(
        practice=practice,
        label=LABEL,
        kind=CaseKind.COUPLE,
        form=CaseForm.SEPARATION,
        created_by=therapist,
        created_at=closed_at - dt.timedelta(days=DIARY_DAYS + 14),
        status=CaseStatus.CLOSED,
        closed_at=closed_at,
        outcome=Outcome.ENDED_RESPECTFULLY,
        closing_note=NOTE,
        changed_at=closed_at,
    )
    case.therapists.add(therapist)
    TrackChange.objects.create(
        case=case,
        track="differentiation",
        reason="Scheidingsbegeleiding: ieder zorgt voor zichzelf.",
        changed_by=therapist,
        changed_at=closed_at - dt.timedelta(days=DIARY_DAYS + 7),
    )
    last_day = timezone.localdate(closed_at)
    for index, (slot, name, email) in enumerate(PARTNERS):
        user = User.objects.create_user(
            email=email, role=Role.PARTNER, practice=practice, language="nl"
        )
        partner = Partner.objects.create(
            case=case,
            slot=slot,
            name=name,
            email=email,
            user=user,
            joined_at=closed_at - dt.timedelta(days=DIARY_DAYS + 3),
        )
        DiaryEntry.objects.bulk_create(
            DiaryEntry(
                partner=partner,
                date=last_day - dt.timedelta(days=offset),
                closeness=3 + (offset + index) % 3,
                feeling_seen=4 + offset % 3,
                stress=6 - offset % 4,
                desire=2 + (offset * (index + 2)) % 3,
                sexual_contact=False,
                conflict=offset % 5 == index,
            )
            for offset in range(DIARY_DAYS)
        )
    return case
