"""Create a demo practice with therapists, couples, 60 days of diaries and a study.

The diaries include the optional items (see :func:`dyade.cases.demo.add_items`);
Sanne and Thomas show their cycle in them: Thomas takes the initiative around
sex, Sanne holds off. The demo study "Samen door de dag" is open, and five
couples of the demo practice take part (both partners said yes); in one more
couple only one partner said yes, and Yusuf has not decided yet.

Running it again keeps the data and gives every demo account a new password,
so the logins can be printed again; passwords are never fixed in code.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from dyade.accounts.models import Practice, Role, User
from dyade.cases.demo import (
    DEMO_CYCLES,
    DEMO_ECR_RS,
    DEMO_INTAKES,
    DEMO_OBSERVATIONS,
    DEMO_OPEN_INTAKES,
    DEMO_READINGS,
    DEMO_TRACKS,
    Profile,
    add_items,
    couple_diaries,
)
from dyade.cases.models import Case, CaseKind, Partner
from dyade.content import exercises
from dyade.diary.models import DiaryEntry
from dyade.exercises.models import Assignment, Log
from dyade.questionnaires.models import Administration, InstrumentText, Status
from dyade.reading.models import ReadingAssignment
from dyade.research.models import Consent, Study, StudyStatus
from dyade.sessions.models import CycleVersion, Observation, TrackChange

DEMO_PRACTICE = "Praktijk De Verbinding (demo)"
OTHER_PRACTICE = "Relatiepraktijk Schelde (demo)"
DAYS = 60


@dataclass
class DemoPartner:
    name: str
    email: str
    language: str
    profile: Profile
    notes: dict[int, tuple[str, str]] = field(default_factory=dict)  # day index -> (text, vis)
    consent: bool | None = None  # their decision about the demo study (None: not decided)


@dataclass
class DemoCase:
    label: str
    kind: str
    practice: str
    therapists: list[str]
    partners: list[DemoPartner]
    conflict_rate: float = 0.2
    contact_rate: float = 0.2
    bid_rate: float = 0.15  # days without contact on which a bid for sex was turned down
    days: int = DAYS


ADMIN = "beheer@verbinding.example"
RESEARCHER = "onderzoek@verbinding.example"
STAFF = [
    # email, name, role, practice, language
    ("eva.dewit@verbinding.example", "Eva de Wit", Role.THERAPIST, DEMO_PRACTICE, "nl"),
    ("joris.maes@verbinding.example", "Joris Maes", Role.THERAPIST, DEMO_PRACTICE, "nl"),
    (ADMIN, "Anouk Bakker", Role.PRACTICE_ADMIN, DEMO_PRACTICE, "nl"),
    (RESEARCHER, "Dr. Lies Claes", Role.RESEARCHER, DEMO_PRACTICE, "en"),
    ("hanne.peeters@schelde.example", "Hanne Peeters", Role.THERAPIST, OTHER_PRACTICE, "nl"),
]

CASES = [
    DemoCase(
        "Sanne & Thomas",
        CaseKind.COUPLE,
        DEMO_PRACTICE,
        ["eva.dewit@verbinding.example"],
        [
            DemoPartner(
                "Sanne",
                "sanne@partner.example",
                "nl",
                Profile(
                    closeness=4,
                    feeling_seen=3,
                    stress=6,
                    desire=5,
                    trend=2.5,
                    initiative=0.3,
                    avoidance=0.5,
                    reads_desire=1.0,  # his desire feels like pressure
                ),
                {
                    3: (
                        "Weer ruzie over de jassen van de kinderen. Ik wil gewoon dat hij "
                        "ziet wat ik allemaal doe.",
                        "private",
                    ),
                    20: ("Vanavond samen gekookt. Dat voelde even als vroeger.", "shared"),
                    45: (
                        "Ik merkte dat ik ging aandringen en heb het hardop gezegd. Hij "
                        "bleef erbij.",
                        "private",
                    ),
                },
                consent=True,
            ),
            DemoPartner(
                "Thomas",
                "thomas@partner.example",
                "nl",
                Profile(
                    closeness=5,
                    feeling_seen=4,
                    stress=5,
                    desire=6,
                    trend=2.0,
                    initiative=3.0,
                    avoidance=0.1,
                    reads_desire=-1.5,  # he reads "she does not want me"
                ),
                {
                    3: (
                        "Wat ik ook doe, het is nooit goed. Ik ben maar naar de schuur gegaan.",
                        "private",
                    ),
                    31: ("Ik heb haar verteld dat ik bang ben om te falen.", "shared"),
                },
                consent=True,
            ),
        ],
        conflict_rate=0.3,
        contact_rate=0.12,
        bid_rate=0.2,
    ),
    DemoCase(
        "Daan & Yusuf",
        CaseKind.COUPLE,
        DEMO_PRACTICE,
        ["joris.maes@verbinding.example", "eva.dewit@verbinding.example"],
        [
            DemoPartner(
                "Daan",
                "daan@partner.example",
                "nl",
                Profile(closeness=6, feeling_seen=5, stress=8, desire=4, trend=1.0, initiative=0.6),
                {
                    10: ("Weer tot tien uur gewerkt. We zijn allebei op.", "shared"),
                    40: ("Ik mis hem, ook als hij naast me zit.", "private"),
                },
                consent=True,
            ),
            DemoPartner(
                "Yusuf",
                "yusuf@partner.example",
                "en",
                Profile(closeness=6, feeling_seen=6, stress=7, desire=5, trend=1.0, initiative=1.2),
                {
                    12: ("Too tired to talk tonight. Not angry, just empty.", "private"),
                    50: ("We took the dog out together and actually laughed.", "shared"),
                },
                consent=None,  # has not decided about the study yet
            ),
        ],
        conflict_rate=0.1,
        contact_rate=0.15,
    ),
    DemoCase(
        "Lotte & Ravi",
        CaseKind.COUPLE,
        DEMO_PRACTICE,
        ["eva.dewit@verbinding.example"],
        [
            DemoPartner(
                "Lotte",
                "lotte@partner.example",
                "nl",
                Profile(
                    closeness=6,
                    feeling_seen=5,
                    stress=4,
                    desire=8,
                    trend=0.5,
                    initiative=2.5,
                    avoidance=0.05,
                    reads_desire=-1.0,
                ),
                {
                    7: (
                        "Ik heb weer toenadering gezocht en hij draaide zich om. Ik voel "
                        "me ongewenst.",
                        "private",
                    ),
                    33: ("Afgesproken: knuffelen zonder dat het ergens heen hoeft.", "shared"),
                },
                consent=True,
            ),
            DemoPartner(
                "Ravi",
                "ravi@partner.example",
                "nl",
                Profile(
                    closeness=6,
                    feeling_seen=6,
                    stress=5,
                    desire=2,
                    trend=0.5,
                    initiative=0.4,
                    avoidance=0.4,
                    reads_desire=1.5,  # feels pressure as soon as she touches him
                ),
                {
                    8: ("Ik voel druk zodra ze me aanraakt. Dan trek ik me terug.", "private"),
                    34: (
                        "Het knuffelen was fijn omdat ik wist dat het niet meer hoefde.",
                        "private",
                    ),
                },
                consent=True,
            ),
        ],
        conflict_rate=0.15,
        contact_rate=0.08,
        bid_rate=0.25,
    ),
    DemoCase(
        "Marieke (individueel)",
        CaseKind.INDIVIDUAL,
        DEMO_PRACTICE,
        ["joris.maes@verbinding.example"],
        [
            DemoPartner(
                "Marieke",
                "marieke@partner.example",
                "nl",
                Profile(closeness=3, feeling_seen=3, stress=7, desire=3, trend=1.5),
                {
                    5: (
                        "Ik weet niet of ik nog wil blijven. Dat durf ik hier alleen te schrijven.",
                        "private",
                    ),
                    38: ("Ik heb voor het eerst gezegd wat ik nodig heb.", "private"),
                },
            ),
        ],
        conflict_rate=0.25,
        contact_rate=0.05,
    ),
    DemoCase(
        "Ines & Bram",
        CaseKind.COUPLE,
        OTHER_PRACTICE,
        ["hanne.peeters@schelde.example"],
        [
            DemoPartner(
                "Ines",
                "ines@partner.example",
                "nl",
                Profile(closeness=5, feeling_seen=5, stress=5, desire=5, trend=1.0),
                {2: ("Eerste dag van het dagboek.", "private")},
            ),
            DemoPartner(
                "Bram",
                "bram@partner.example",
                "nl",
                Profile(closeness=5, feeling_seen=4, stress=6, desire=6, trend=1.0),
                {2: ("Spannend om dit bij te houden.", "shared")},
            ),
        ],
        days=30,
    ),
    # Four small couples of the demo practice, mostly there for the study. They
    # come last so that the cases above keep the diaries they always had.
    DemoCase(
        "Emma & Jonas",
        CaseKind.COUPLE,
        DEMO_PRACTICE,
        ["joris.maes@verbinding.example"],
        [
            DemoPartner(
                "Emma",
                "emma@partner.example",
                "nl",
                Profile(closeness=7, feeling_seen=6, stress=4, desire=6, trend=0.5),
                consent=True,
            ),
            DemoPartner(
                "Jonas",
                "jonas@partner.example",
                "nl",
                Profile(closeness=6, feeling_seen=6, stress=5, desire=6, trend=0.5),
                consent=True,
            ),
        ],
        conflict_rate=0.1,
        contact_rate=0.25,
    ),
    DemoCase(
        "Noor & Wout",
        CaseKind.COUPLE,
        DEMO_PRACTICE,
        ["joris.maes@verbinding.example"],
        [
            DemoPartner(
                "Noor",
                "noor@partner.example",
                "nl",
                Profile(closeness=5, feeling_seen=4, stress=6, desire=4, trend=1.5, initiative=0.7),
                consent=True,
            ),
            DemoPartner(
                "Wout",
                "wout@partner.example",
                "nl",
                Profile(
                    closeness=5, feeling_seen=5, stress=6, desire=5, trend=1.5, reads_desire=-0.5
                ),
                consent=True,
            ),
        ],
        conflict_rate=0.25,
        contact_rate=0.15,
    ),
    DemoCase(
        "Lien & Marthe",
        CaseKind.COUPLE,
        DEMO_PRACTICE,
        ["joris.maes@verbinding.example"],
        [
            DemoPartner(
                "Lien",
                "lien@partner.example",
                "nl",
                Profile(closeness=6, feeling_seen=5, stress=5, desire=5, trend=1.0),
                consent=True,
            ),
            DemoPartner(
                "Marthe",
                "marthe@partner.example",
                "nl",
                Profile(
                    closeness=5,
                    feeling_seen=5,
                    stress=7,
                    desire=4,
                    trend=1.0,
                    initiative=0.8,
                    avoidance=0.3,
                ),
                consent=True,
            ),
        ],
        conflict_rate=0.15,
        contact_rate=0.15,
    ),
    DemoCase(
        "Femke & Pieter",
        CaseKind.COUPLE,
        DEMO_PRACTICE,
        ["joris.maes@verbinding.example"],
        [
            DemoPartner(
                "Femke",
                "femke@partner.example",
                "nl",
                Profile(
                    closeness=4,
                    feeling_seen=4,
                    stress=6,
                    desire=3,
                    trend=1.0,
                    initiative=0.5,
                    avoidance=0.35,
                ),
                consent=True,
            ),
            DemoPartner(
                "Pieter",
                "pieter@partner.example",
                "nl",
                Profile(closeness=5, feeling_seen=4, stress=5, desire=7, trend=1.0, initiative=2.0),
                consent=False,  # so this couple does not take part
            ),
        ],
        conflict_rate=0.2,
        contact_rate=0.12,
        bid_rate=0.2,
    ),
]

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


def _password() -> str:
    return secrets.token_urlsafe(12)


class Command(BaseCommand):
    help = "Create the demo practices, accounts and diaries (or renew the demo passwords)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="print the accounts as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            if not Practice.objects.filter(name=DEMO_PRACTICE).exists():
                self._create()
            accounts = self._renew_passwords()
        if options["json"]:
            self.stdout.write(json.dumps(accounts, ensure_ascii=False, indent=2))
            return
        self.stdout.write("Demo accounts (passwords are new on every run):")
        for account in accounts:
            where = f"{account['case']} {account['partner']}" if "case" in account else ""
            self.stdout.write(
                f"  {account['role']:<15} {account['email']:<34} {account['password']}  {where}"
            )

    def _create(self) -> None:
        practices = {
            name: Practice.objects.create(name=name) for name in (DEMO_PRACTICE, OTHER_PRACTICE)
        }
        staff = {}
        for email, name, role, practice, language in STAFF:
            staff[email] = User.objects.create_user(
                email=email, name=name, role=role, practice=practices[practice], language=language
            )
        rng = random.Random(20261121)
        today = timezone.localdate()
        for demo in CASES:
            practice = practices[demo.practice]
            case = Case.objects.create(
                practice=practice,
                label=demo.label,
                kind=demo.kind,
                created_by=staff[demo.therapists[0]],
                created_at=timezone.now() - dt.timedelta(days=demo.days + 7),
            )
            case.therapists.set([staff[email] for email in demo.therapists])
            series = couple_diaries(
                [p.profile for p in demo.partners],
                today,
                demo.days,
                rng,
                conflict_rate=demo.conflict_rate,
                contact_rate=demo.contact_rate,
            )
            # The optional items have a random stream of their own per case, so the
            # shared stream (and with it every case's core diary) stays as it was.
            series = add_items(
                series,
                [p.profile for p in demo.partners],
                random.Random(f"diary items of {demo.label}"),
                bid_rate=demo.bid_rate,
            )
            for slot, person, days in zip(case.slots, demo.partners, series, strict=True):
                user = User.objects.create_user(
                    email=person.email,
                    name=person.name,
                    role=Role.PARTNER,
                    practice=practice,
                    language=person.language,
                )
                partner = Partner.objects.create(
                    case=case,
                    slot=slot,
                    name=person.name,
                    email=person.email,
                    language=person.language,
                    user=user,
                    joined_at=timezone.now() - dt.timedelta(days=demo.days + 3),
                )
                first = today - dt.timedelta(days=demo.days - 1)
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
                self._questionnaires(practice, case, partner, staff[demo.therapists[0]])
            self._sessions(case, staff[demo.therapists[0]])
        self._study(practices[DEMO_PRACTICE], staff)

    def _study(self, practice: Practice, staff: dict[str, User]) -> None:
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
        partners = Partner.objects.filter(case__practice=practice, email__in=decisions)
        Consent.objects.bulk_create(
            Consent(
                study=study,
                partner=partner,
                given=decisions[partner.email],
                decided_at=now - dt.timedelta(days=1 + partner.pk % 14),
            )
            for partner in partners.order_by("pk")
        )

    def _questionnaires(
        self, practice: Practice, case: Case, partner: Partner, therapist: User
    ) -> None:
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

    def _sessions(self, case: Case, therapist: User) -> None:
        """The demo's track, session observations, published cycle map and reading."""
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
        partners = {partner.slot: partner for partner in case.partners.all()}
        if case.label in DEMO_TRACKS:
            self._exercises(case, therapist, partners)
        for slot, slug in DEMO_READINGS.get(case.label, []):
            ReadingAssignment.objects.create(
                partner=partners[slot],
                slug=slug,
                assigned_by=therapist,
                assigned_at=now - dt.timedelta(days=10),
            )

    def _exercises(self, case: Case, therapist: User, partners: dict[str, Partner]) -> None:
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
        for slot, values, shared in (
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
        ):
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

    def _renew_passwords(self) -> list[dict[str, str]]:
        accounts: list[dict[str, str]] = []
        demo_emails = [row[0] for row in STAFF]
        demo_emails += [p.email for demo in CASES for p in demo.partners]
        users = User.objects.filter(email__in=demo_emails).select_related("practice")
        by_email = {user.email: user for user in users}
        for email in demo_emails:
            user = by_email.get(email)
            if user is None:
                continue
            password = _password()
            user.set_password(password)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
            account = {
                "email": user.email,
                "password": password,
                "role": user.role,
                "practice": user.practice.name if user.practice else "",
            }
            if user.role == Role.PARTNER:
                partner = Partner.objects.select_related("case").get(user=user)
                account["case"] = partner.case.label
                account["partner"] = partner.slot
            accounts.append(account)
        return accounts
