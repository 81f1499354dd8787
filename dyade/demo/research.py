"""The demo study "Samen door de dag" and each demo partner's decision about it.

The study is open; five couples of the demo practice take part (both partners
said yes); in one more couple only one partner said yes, and Yusuf has not
decided yet.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dyade.accounts.models import Practice, User
from dyade.cases.models import Partner
from dyade.demo.couples import CASES
from dyade.demo.people import ADMIN, DAYS, DEMO_PRACTICE, RESEARCHER
from dyade.research.models import Consent, Study, StudyStatus

# The demo study: run by the demo practice, on the diaries only (no notes).
STUDY_TITLE = "Samen door de dag"
STUDY_INFORMATION_NL = (
    "Praktijk De Verbinding onderzoekt samen met een universiteit hoe nabijheid en "
    "verlangen van partners van dag tot dag met elkaar meebewegen. We gebruiken daarvoor "
    "de dagboeken die jullie hier al invullen; je hoeft niets extra te doen.\n\n"
    "Meedoen is vrijwillig. Je beslist zelf, los van je partner, en je kunt je keuze "
    "altijd weer veranderen. Nee zeggen heeft geen gevolgen voor je therapie. Alleen als "
    "jullie allebei ja zeggen, gaan jullie dagboeken mee in het onderzoek.\n\n"
    "De onderzoekers krijgen de gegevens gepseudonimiseerd: zonder namen, e-mailadressen "
    "of notities, zodat ze niet kunnen zien wie jullie zijn.\n\n"
    "Vragen? Neem contact op met de praktijk."
)
STUDY_INFORMATION_EN = (
    "Praktijk De Verbinding, together with a university, studies how partners' closeness "
    "and desire move together from day to day. We use the diaries you already keep here; "
    "you do not have to do anything extra.\n\n"
    "Taking part is voluntary. You decide for yourself, separately from your partner, and "
    "you can change your mind at any time. Saying no has no effect on your therapy. Your "
    "diaries are used only if you both say yes.\n\n"
    "The researchers receive the data pseudonymised: without names, e-mail addresses or "
    "notes, so they cannot see who you are.\n\n"
    "Questions? Please contact the practice."
)


def add_study(practice: Practice, staff: dict[str, User]) -> None:
    """The open demo study and each demo partner's decision about it."""
    now = timezone.now()
    study = Study.objects.create(
        practice=practice,
        title=STUDY_TITLE,
        information_nl=STUDY_INFORMATION_NL,
        information_en=STUDY_INFORMATION_EN,
        allows_free_text=False,
        data_from=timezone.localdate() - dt.timedelta(days=DAYS - 1),
        status=StudyStatus.OPEN,
        created_by=staff[ADMIN],
        created_at=now - dt.timedelta(days=20),
        opened_at=now - dt.timedelta(days=18),
    )
    study.researchers.set([staff[RESEARCHER]])
    decisions = {
        person.email: person.consent
        for demo in CASES
        if demo.practice == DEMO_PRACTICE
        for person in demo.partners
        if person.consent is not None
    }
    # Addresses are encrypted at rest (no SQL look-up): match them after reading.
    partners = Partner.objects.filter(case__practice=practice).order_by("pk")
    Consent.objects.bulk_create(
        Consent(
            study=study,
            partner=partner,
            given=decisions[partner.email],
            decided_at=now - dt.timedelta(days=1 + partner.pk % 14),
        )
        for partner in partners
        if partner.email in decisions
    )
