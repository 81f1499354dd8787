"""Destruction removes a person's data from every table and leaves a pseudonymised trail.

A couple is seeded with a unique marker in every free-text field of every table that
holds client data (see tests/erasure_seed.py); after the destruction the marker is
searched for in every model (through the ORM, so encrypted fields are read as plain
text), in every table of the database as stored, and in the research export folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from dyade.accounts.models import Session, User
from dyade.audit.models import AuditEvent
from dyade.audit.services import record
from dyade.cases.models import Partner
from dyade.diary.models import DiaryEntry
from dyade.exercises.models import Assignment, Log
from dyade.research import services as research_services
from dyade.research.models import PreparedExport, PreparedStatus
from dyade.rights import erasure
from dyade.rights.models import Destruction
from dyade.rights.pseudonyms import pseudonym
from dyade.sessions.models import CycleVersion, Observation
from tests.conftest import World, client_for
from tests.erasure_seed import client_tables, orm_hits, raw_hits, seed_couple


def _marks() -> dict[str, str]:
    token = uuid.uuid4().hex[:10]
    return {"A": f"zqa{token}", "B": f"zqb{token}", "case": f"zqc{token}"}


def _files_holding(marks: list[str]) -> list[str]:
    folder = research_services.export_dir()
    return [
        path.name
        for path in folder.iterdir()
        if path.is_file() and any(mark in path.read_text(errors="ignore") for mark in marks)
    ]


def _login(user: User) -> None:
    Client().force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def test_the_seed_reaches_every_table_of_client_data(world: World) -> None:
    """Every table that points at a case or a partner got a row, so none goes unsearched."""
    seed_couple(world.practice, world.therapist, _marks())
    empty = [model._meta.label for model in client_tables() if not model.objects.exists()]
    assert empty == [], f"tables of client data the erasure seed does not fill: {empty}"


def test_destroying_a_case_leaves_its_markers_nowhere(world: World) -> None:
    marks = _marks()
    seeded = seed_couple(world.practice, world.therapist, marks)
    for user in (seeded.user_a, seeded.user_b):
        _login(user)
    assert Session.objects.filter(user__in=[seeded.user_a, seeded.user_b]).count() == 2
    ips = ["10.9.8.7", "10.9.8.8"]
    searched = [*marks.values(), *ips]
    assert orm_hits(searched) and raw_hits(searched)  # the search finds what is there
    events_before = AuditEvent.objects.count()
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    about_them = AuditEvent.objects.filter(
        Q(case_id=seeded.case.pk) | Q(user_id__in=[seeded.user_a.pk, seeded.user_b.pk])
    ).count()

    done = erasure.destroy_case(None, seeded.case, by=world.admin, note="letter of 1 May")

    assert orm_hits(searched) == []
    assert raw_hits(searched) == []
    assert _files_holding(list(marks.values())) == []
    gone = {str(seeded.user_a.pk), str(seeded.user_b.pk)}
    assert all(str(s.get_decoded().get("_auth_user_id")) not in gone for s in Session.objects.all())
    assert not Session.objects.filter(user_id__in=[int(pk) for pk in gone]).exists()
    # The trail keeps every event, with the case and the people replaced by pseudonyms.
    new = AuditEvent.objects.filter(pk__gt=last).values_list("event", flat=True)
    assert sorted(new) == ["research.prepared.delete", "rights.case.delete"]
    assert AuditEvent.objects.count() == events_before + 2
    name = pseudonym("case", seeded.case.pk)
    kept = AuditEvent.objects.filter(case_label=name)
    assert kept.count() >= 4
    assert not kept.filter(case_id__isnull=False).exists()
    assert not kept.filter(partner_id__isnull=False).exists()
    acted = AuditEvent.objects.filter(user_label=pseudonym("partner", seeded.partner_a.pk))
    assert acted.exists()
    assert not acted.filter(ip_address__isnull=False).exists()
    assert not acted.exclude(user_agent="").exists()
    # The destruction itself is in the trail: who, why, what kinds and how many rows.
    event = AuditEvent.objects.get(event="rights.case.delete")
    assert event.user_id == world.admin.pk
    assert event.case_label == name
    assert event.detail.startswith(f"{name}; request; note: letter of 1 May; ")
    assert f"{sum(done.counts.values()) - about_them} rows deleted" in event.detail
    assert done.counts["diary.DiaryEntry"] == 2
    assert done.counts["accounts.User"] == 2
    assert done.counts[erasure.FILES] == 1
    assert done.counts[erasure.PSEUDONYMISED] == about_them
    # The rest of the practice is untouched.
    assert DiaryEntry.objects.filter(partner=world.partner_a).count() == 2
    assert User.objects.filter(pk=world.user_a.pk).exists()


def test_destroying_one_partner_keeps_the_other_and_the_shared_record(world: World) -> None:
    marks = _marks()
    seeded = seed_couple(world.practice, world.therapist, marks)
    _login(seeded.user_a)
    searched = [marks["A"], "10.9.8.7"]

    done = erasure.destroy_partner(None, seeded.partner_a, by=world.admin, note=marks["A"])

    assert orm_hits(searched) == []
    assert raw_hits(searched) == []
    assert not User.objects.filter(pk=seeded.user_a.pk).exists()
    # Partner B's own data, their account and their logs in the couple's exercise survive.
    assert orm_hits([marks["B"]]) and raw_hits(["10.9.8.8"])
    assert User.objects.filter(pk=seeded.user_b.pk).exists()
    assert DiaryEntry.objects.filter(partner=seeded.partner_b).count() == 1
    couple = Assignment.objects.get(case=seeded.case, partner=None)
    assert Log.objects.filter(assignment=couple, partner=seeded.partner_b).count() == 1
    assert not Log.objects.filter(assignment=couple).exclude(partner=seeded.partner_b).exists()
    # The shared record (sessions, observations, cycle maps, the couple's exercise) stays.
    assert Observation.objects.filter(case=seeded.case).count() == 2
    assert CycleVersion.objects.filter(case=seeded.case).exists()
    # A's place in the case is an empty record; the prepared file with their diary is gone.
    blank = Partner.objects.get(case=seeded.case, slot="A")
    assert blank.name == erasure.BLANK_NAME and blank.user is None and blank.email == ""
    assert PreparedExport.objects.get().status == PreparedStatus.GONE
    assert not seeded.export_file.exists()
    # The note was cleaned of the name; the trail names A by a pseudonym only.
    name = pseudonym("partner", seeded.partner_a.pk)
    assert Destruction.objects.get().note == name
    about = AuditEvent.objects.filter(detail__startswith=f"{name}:")
    assert about.count() == 2 and not about.filter(partner_id__isnull=False).exists()
    assert AuditEvent.objects.filter(partner_id=seeded.partner_b.pk).count() == 2
    event = AuditEvent.objects.get(event="rights.partner.delete")
    assert event.case_id == seeded.case.pk and event.partner_id is None
    assert done.scope == "partner"


def test_a_repeated_request_destroys_once(world: World) -> None:
    request_id = uuid.uuid4()
    first = erasure.destroy_partner(None, world.partner_b, by=world.admin, request_id=request_id)
    again = erasure.destroy_partner(None, world.partner_b, by=world.admin, request_id=request_id)
    assert first.pk == again.pk
    assert Destruction.objects.count() == 1
    assert AuditEvent.objects.filter(event="rights.partner.delete").count() == 1


def test_an_individual_case_goes_whole_when_its_partner_is_destroyed(world: World) -> None:
    done = erasure.destroy_partner(None, world.other_partner, by=None)
    assert done.scope == "case"
    assert not Partner.objects.filter(case_id=world.other_case.pk).exists()
    event = AuditEvent.objects.get(event="rights.case.delete")
    assert event.user_id is None and event.practice_id == world.other_practice.pk


@pytest.mark.parametrize("scope", ["partner", "case"])
def test_other_practices_trail_is_untouched(world: World, scope: str) -> None:
    other = AuditEvent.objects.create(
        event="diary.read",
        action="read",
        practice_id=world.other_practice.pk,
        case_id=world.other_case.pk,
        case_label=world.other_case.label,
        detail="Sanne",
    )
    if scope == "partner":
        erasure.destroy_partner(None, world.partner_a, by=world.admin)
    else:
        erasure.destroy_case(None, world.case, by=world.admin)
    other.refresh_from_db()
    assert other.detail == "Sanne" and other.case_id == world.other_case.pk


def test_the_audit_log_names_the_destroyed_case_by_its_pseudonym_only(world: World) -> None:
    record(None, "signal.create", case=world.case, user=world.therapist, detail="diff.switch.x")
    erasure.destroy_case(None, world.case, by=world.admin)
    page = client_for(world.admin).get(reverse("practice:audit")).content.decode()
    assert pseudonym("case", world.case.pk) in page
    assert "Sanne" not in page and "diff.switch.x" not in page


DISK_SCRIPT = """
import os, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.db import connection
from django.utils import timezone
from dyade.accounts.models import Practice, User
from dyade.audit.services import record
from dyade.cases.models import Case, Partner
from dyade.exercises.models import Assignment, Run
from dyade.rights import erasure
mark = sys.argv[1]
practice = Practice.objects.create(name="P")
staff = User.objects.create_user(email="t@x.example", role="therapist", practice=practice)
case = Case.objects.create(practice=practice, label=mark, kind="couple", created_by=staff)
partner = Partner.objects.create(case=case, slot="A", name=mark)
Partner.objects.create(case=case, slot="B", name="other")
given = Assignment.objects.create(case=case, partner=partner, slug="s", assigned_by=staff)
for n in range(200):
    Run.objects.create(
        assignment=given, partner=partner, run_id=f"r{n}", events_json=mark * 20,
        started_at=timezone.now(),
    )
    record(None, "case.read", case=case, user=staff, detail=f"about {mark}")
erasure.destroy_case(None, case, by=None)
connection.close()
"""


def test_a_copy_of_the_sqlite_file_holds_nothing_of_a_destroyed_case(tmp_path: Path) -> None:
    """The database file itself, as a copy of it would be: deleted and rewritten rows are
    overwritten, not left in free space (SQLite's secure_delete) or in the write-ahead log."""
    mark = f"zqdisk{uuid.uuid4().hex[:10]}"
    script = tmp_path / "destroy.py"
    script.write_text(DISK_SCRIPT)
    database = tmp_path / "copy.sqlite3"
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        "DJANGO_SETTINGS_MODULE": "dyade.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "DYADE_LOCAL": "1",
    }
    subprocess.run([sys.executable, str(script), mark], env=env, check=True, timeout=600)
    files = [path for path in tmp_path.glob("copy.sqlite3*") if not path.name.endswith("-writer")]
    assert database in files and database.stat().st_size > 100_000
    assert [path.name for path in files if mark.encode() in path.read_bytes()] == []
