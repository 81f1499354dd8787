"""Named people for every test: who should see what, and who should be refused.

* ``therapist`` -- practice 1, assigned to the couple case
* ``colleague`` -- practice 1, a therapist NOT assigned to the case
* ``other_therapist`` -- practice 2, with a case of their own
* ``partner_a`` / ``partner_b`` -- the two partners of the couple case
* ``admin`` -- practice 1's practice admin
* ``researcher`` -- practice 1's researcher, named in ``study`` (both partners
  consented) and not in ``unnamed_study``
* the stranger is simply a logged-out client
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from dyade.accounts.models import Practice, Role, User
from dyade.cases.models import Case, CaseKind, Partner
from dyade.diary.models import DiaryEntry
from dyade.questionnaires.models import Administration, InstrumentText, Status
from dyade.research.models import Consent, Study, StudyStatus

PASSWORD = "correct-horse-battery-9"
A_PRIVATE = "A-private-note-marker"
A_SHARED = "A-shared-note-marker"
B_PRIVATE = "B-private-note-marker"
A_INTAKE_HOPE = "A-intake-hope-marker"
B_INTAKE_HOPE = "B-intake-hope-marker"
# A's sent intake: a safety answer, a positive violence screen, a private hope.
A_INTAKE_ANSWERS = {
    "story.hopes": A_INTAKE_HOPE,
    "commitment.continue": "unsure",
    "conflict.position": "pursue",
    "sex.position": "avoid",
    "sex.desire": 2,
    "safety.physical": "sometimes",
    "safety.fear": "often",
    "closing.anything": A_PRIVATE,
}


@dataclass
class World:
    practice: Practice
    other_practice: Practice
    therapist: User
    colleague: User
    other_therapist: User
    admin: User
    researcher: User
    user_a: User
    user_b: User
    case: Case
    partner_a: Partner
    partner_b: Partner
    other_case: Case
    other_partner: Partner
    entry_a_private: DiaryEntry
    entry_a_shared: DiaryEntry
    entry_b: DiaryEntry
    intake_a: Administration
    hits_a: Administration
    intake_b: Administration
    study: Study  # open, names the researcher; both partners of ``case`` said yes
    unnamed_study: Study  # open, in the same practice, without the researcher

    def draft_study(self) -> Study:
        return make_study(
            self.practice,
            self.admin,
            "In voorbereiding",
            timezone.localdate(),
            status=StudyStatus.DRAFT,
            opened_at=None,
        )

    def person(self, name: str) -> User | None:
        if name == "stranger":
            return None
        return {
            "therapist": self.therapist,
            "colleague": self.colleague,
            "other_therapist": self.other_therapist,
            "admin": self.admin,
            "researcher": self.researcher,
            "partner_a": self.user_a,
            "partner_b": self.user_b,
        }[name]


PEOPLE = [
    "therapist",
    "colleague",
    "other_therapist",
    "partner_a",
    "partner_b",
    "admin",
    "researcher",
    "stranger",
]


def make_user(email: str, role: str, practice: Practice, name: str = "") -> User:
    return User.objects.create_user(
        email=email, password=PASSWORD, role=role, practice=practice, name=name or email
    )


def make_entry(partner: Partner, day: dt.date, **values: object) -> DiaryEntry:
    defaults: dict[str, object] = {
        "closeness": 5,
        "feeling_seen": 5,
        "stress": 5,
        "desire": 5,
        "sexual_contact": False,
        "conflict": False,
        "note": "",
        "note_visibility": "private",
    }
    defaults.update(values)
    return DiaryEntry.objects.create(partner=partner, date=day, **defaults)


def make_administration(
    partner: Partner, instrument: str, answers: dict[str, object], sent: bool
) -> Administration:
    administration = Administration(
        case=partner.case,
        partner=partner,
        instrument=instrument,
        version="1",
        status=Status.SUBMITTED if sent else Status.OPEN,
        submitted_at=timezone.now() if sent else None,
        page=1,
        pages_seen=2,
    )
    administration.set_answers(answers)
    administration.save()
    return administration


def import_item_texts(
    practice: Practice, instrument: str, count: int, language: str = "nl"
) -> None:
    """Stand-in item texts, as a practice holding the licence would import them."""
    InstrumentText.objects.create(
        practice=practice,
        instrument=instrument,
        version="1",
        language=language,
        items={str(n): f"{instrument} item {n} text" for n in range(1, count + 1)},
    )


def make_study(
    practice: Practice, admin: User, title: str, data_from: dt.date, **values: object
) -> Study:
    defaults: dict[str, object] = {
        "information_nl": "Wat de studie vraagt.",
        "information_en": "What the study asks.",
        "status": StudyStatus.OPEN,
        "opened_at": timezone.now(),
    }
    defaults.update(values)
    return Study.objects.create(
        practice=practice, title=title, data_from=data_from, created_by=admin, **defaults
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Argon2 is deliberately slow; tests that check the hasher ask for it themselves."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


@pytest.fixture(autouse=True)
def _export_folder(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Research export files of the tests go to pytest's temporary folder, not .local/."""
    settings.DYADE_EXPORT_DIR = str(tmp_path_factory.getbasetemp() / "research-exports")


@pytest.fixture
def world(db: None) -> World:
    practice = Practice.objects.create(name="Praktijk Een")
    other_practice = Practice.objects.create(name="Praktijk Twee")
    therapist = make_user("therapist@one.example", Role.THERAPIST, practice, "Eva")
    colleague = make_user("colleague@one.example", Role.THERAPIST, practice, "Joris")
    other_therapist = make_user("therapist@two.example", Role.THERAPIST, other_practice, "Hanne")
    admin = make_user("admin@one.example", Role.PRACTICE_ADMIN, practice, "Anouk")
    researcher = make_user("research@one.example", Role.RESEARCHER, practice, "Lies")
    user_a = make_user("a@partner.example", Role.PARTNER, practice, "Sanne")
    user_b = make_user("b@partner.example", Role.PARTNER, practice, "Thomas")
    case = Case.objects.create(
        practice=practice, label="Sanne & Thomas", kind=CaseKind.COUPLE, created_by=therapist
    )
    case.therapists.add(therapist)
    partner_a = Partner.objects.create(case=case, slot="A", name="Sanne", user=user_a)
    partner_b = Partner.objects.create(case=case, slot="B", name="Thomas", user=user_b)
    other_case = Case.objects.create(
        practice=other_practice, label="Ines", kind=CaseKind.INDIVIDUAL, created_by=other_therapist
    )
    other_case.therapists.add(other_therapist)
    other_partner = Partner.objects.create(case=other_case, slot="A", name="Ines")
    today = timezone.localdate()
    entry_a_private = make_entry(
        partner_a, today - dt.timedelta(days=5), note=A_PRIVATE, closeness=2, desire=9
    )
    entry_a_shared = make_entry(
        partner_a, today - dt.timedelta(days=4), note=A_SHARED, note_visibility="shared"
    )
    entry_b = make_entry(partner_b, today - dt.timedelta(days=5), note=B_PRIVATE, desire=1)
    intake_a = make_administration(partner_a, "dyade-intake", A_INTAKE_ANSWERS, sent=True)
    import_item_texts(practice, "hits", 4)
    hits_a = make_administration(partner_a, "hits", {"1": 3, "2": 3, "3": 3, "4": 3}, sent=True)
    intake_b = make_administration(
        partner_b, "dyade-intake", {"story.hopes": B_INTAKE_HOPE, "sex.desire": 8}, sent=False
    )
    study = make_study(practice, admin, "Samen door de dag", today - dt.timedelta(days=30))
    study.researchers.add(researcher)
    for partner in (partner_a, partner_b):
        Consent.objects.create(study=study, partner=partner, given=True)
    unnamed_study = make_study(practice, admin, "Een andere studie", today - dt.timedelta(days=30))
    return World(
        practice=practice,
        other_practice=other_practice,
        therapist=therapist,
        colleague=colleague,
        other_therapist=other_therapist,
        admin=admin,
        researcher=researcher,
        user_a=user_a,
        user_b=user_b,
        case=case,
        partner_a=partner_a,
        partner_b=partner_b,
        other_case=other_case,
        other_partner=other_partner,
        entry_a_private=entry_a_private,
        entry_a_shared=entry_a_shared,
        entry_b=entry_b,
        intake_a=intake_a,
        hits_a=hits_a,
        intake_b=intake_b,
        study=study,
        unnamed_study=unnamed_study,
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def as_person(world: World):  # type: ignore[no-untyped-def]
    def _as(name: str) -> Client:
        return client_for(world.person(name))

    return _as


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the tests that need a second writer when the test database is in memory.

    SQLite's in-memory test database is shared between threads with table locks, not the
    file locking production has, so those tests run there through
    ``tests/test_second_writer.py``, which starts them again on a test database in a file.
    """
    from django.conf import settings
    from django.db import connection

    test_name = (settings.DATABASES["default"].get("TEST") or {}).get("NAME") or ":memory:"
    if connection.vendor != "sqlite" or not (test_name == ":memory:" or "mode=memory" in test_name):
        return
    kept, left_out = [], []
    for item in items:
        (left_out if item.get_closest_marker("second_writer") else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
