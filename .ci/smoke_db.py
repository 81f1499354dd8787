"""The production smoke run's database side (.ci/smoke): seed the people, then check.

python .ci/smoke_db.py seed PEOPLE.json   a practice, a therapist with a two-step
                                          device, a couple case whose partner A has
                                          an account; logins written to PEOPLE.json
python .ci/smoke_db.py verify PEOPLE.json what the HTTP run did is stored: the diary
                                          entry (its note encrypted), the audit events
                                          with the client's address from the proxy, the
                                          reminder marked sent by the worker
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dyade.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from dyade.accounts.models import Practice, Role, User  # noqa: E402
from dyade.audit.models import AuditEvent  # noqa: E402
from dyade.cases.models import Case, CaseKind, Partner  # noqa: E402
from dyade.diary.models import DiaryEntry  # noqa: E402
from dyade.reminders.models import Reminder  # noqa: E402

CLIENT_ADDRESS = "203.0.113.7"  # TEST-NET-3: the address the proxy says the client has


def seed(path: Path) -> None:
    practice = Practice.objects.create(name="Rooktest")
    people = {
        "therapist": "therapeut@rooktest.example",
        "partner": "partner-a@rooktest.example",
        "password_therapist": secrets.token_urlsafe(16),
        "password_partner": secrets.token_urlsafe(16),
        "totp_key": secrets.token_hex(20),
    }
    therapist = User.objects.create_user(
        email=people["therapist"],
        password=people["password_therapist"],
        role=Role.THERAPIST,
        practice=practice,
        name="Rook Therapeut",
    )
    TOTPDevice.objects.create(user=therapist, name="Dyade", confirmed=True, key=people["totp_key"])
    partner_user = User.objects.create_user(
        email=people["partner"],
        password=people["password_partner"],
        role=Role.PARTNER,
        practice=practice,
        name="A",
    )
    case = Case.objects.create(
        practice=practice, label="RT-01", kind=CaseKind.COUPLE, created_by=therapist
    )
    case.therapists.add(therapist)
    Partner.objects.create(case=case, slot="A", name="Rook A", user=partner_user)
    Partner.objects.create(case=case, slot="B", name="Rook B")
    people["case"] = case.pk
    path.write_text(json.dumps(people), encoding="utf-8")


def verify(path: Path) -> None:
    people = json.loads(path.read_text(encoding="utf-8"))
    entry = DiaryEntry.objects.get(partner__user__email=people["partner"])
    assert entry.note == people["note"], "the diary note as the partner sent it"
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM diary_diaryentry WHERE id = %s", [entry.pk])
        stored = cursor.fetchone()[0]
    assert people["note"] not in stored, "the note is encrypted at rest"
    therapist = User.objects.get(email=people["therapist"])
    logins = AuditEvent.objects.filter(user_id=therapist.pk, event="auth.login")
    assert logins.filter(detail="second factor verified").exists(), "the two-step login"
    addresses = set(AuditEvent.objects.exclude(user_id=None).values_list("ip_address", flat=True))
    assert addresses == {CLIENT_ADDRESS}, f"client addresses from the proxy: {addresses}"
    reminder = Reminder.objects.get(partner__user__email=people["partner"], topic="diary")
    assert reminder.last_sent_on == timezone.localdate(), "the worker sent the reminder"
    assert AuditEvent.objects.filter(
        event="reminder.create", partner_id=reminder.partner_id
    ).exists()
    print("database: diary entry, audit trail with the proxy's client address, reminder sent")


if __name__ == "__main__":
    {"seed": seed, "verify": verify}[sys.argv[1]](Path(sys.argv[2]))
