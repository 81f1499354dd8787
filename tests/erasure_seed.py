"""A couple whose every stored text carries a marker, for the erasure tests.

:func:`fill` writes the marker into every free-text field of a row (every char or
text field without choices, every JSON field), so a test can destroy a record and
then search the whole database for the marker. :func:`client_tables` lists the
models that hold a client's data (every model that points at a case, a partner or
one of their rows); a test checks that the seed gave each of them a row, so a new
table that the seed does not know about fails loudly instead of going unsearched.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from axes.models import AccessAttempt
from django.apps import apps
from django.db import connection, models
from django.test import RequestFactory
from django.utils import timezone

from dyade.accounts.models import Practice, Role, User
from dyade.audit.services import record
from dyade.cases.models import Case, CaseKind, Invitation, Partner
from dyade.diary.models import DiaryEntry, DiaryItems
from dyade.exercises.models import Answers, Assignment, Entry, LadderMove, Log, Run, SessionRecord
from dyade.questionnaires.models import Administration
from dyade.reading.models import ReadingAssignment
from dyade.reminders.models import Reminder
from dyade.research import services as research_services
from dyade.research.models import Consent, PreparedExport, PreparedStatus, Study
from dyade.sessions.models import (
    Appointment,
    CycleVersion,
    Observation,
    SignalDecision,
    TrackChange,
)

SKIP = {"token_hash", "password", "secret"}
_unique = itertools.count(1)


def _plain_value(field: models.Field[Any, Any]) -> Any:
    """A value for a required non-text field that has none."""
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, (models.IntegerField, models.DecimalField)):
        return 1
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.TimeField):
        return dt.time(20, 0)
    return None


def fill(row: models.Model, mark: str) -> models.Model:
    """Write ``mark`` into every free-text and JSON field of ``row`` (not saved), and a
    plain value into required fields that have none."""
    for field in row._meta.concrete_fields:
        if field.primary_key or field.is_relation or field.name in SKIP:
            continue
        if getattr(row, field.attname) is None and not field.null:
            setattr(row, field.attname, _plain_value(field))
        if isinstance(field, models.JSONField):
            setattr(row, field.name, [mark])
        elif isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            limit = getattr(field, "max_length", None)
            value = f"{mark}-{next(_unique)}" if field.unique else mark
            setattr(row, field.name, value[:limit] if limit else value)
    return row


_made: dict[type[models.Model], models.Model] = {}


def made(model: type[models.Model], mark: str, **values: Any) -> Any:
    row = model(**values)
    fill(row, mark)
    for name, value in values.items():  # what the caller gave wins over the marker
        setattr(row, name, value)
    row.save()
    _made[model] = row
    return row


def _fill_rest(mark: str, pool: dict[type[models.Model], models.Model], owner: type) -> None:
    """A row for each table of client data that points at ``owner`` (a case or a partner)
    and has none yet: tables added after this seed was written are searched too. Its
    required links come from ``pool`` or the rows made so far; a table whose links
    cannot be found is left empty (and the coverage test names it)."""
    for model in client_tables():
        links = [f for f in model._meta.concrete_fields if f.is_relation]
        if model in (Case, Partner) or not any(f.related_model is owner for f in links):
            continue
        if owner is Case and any(f.related_model is Partner and not f.null for f in links):
            continue  # a partner's table: filled per partner
        values = {}
        for field in links:
            found = pool.get(field.related_model) or _made.get(field.related_model)
            if found is None and not field.null:
                break
            values[field.name] = found
        else:
            target = pool[owner]
            if not model.objects.filter(
                **{f.name: target for f in links if f.related_model is owner}
            ).exists():
                made(model, mark, **values)


@dataclass
class Seeded:
    case: Case
    partner_a: Partner
    partner_b: Partner
    user_a: User
    user_b: User
    therapist: User
    export_file: Path


def _partner_rows(partner: Partner, mark: str, couple_assignment: Assignment) -> None:
    case = partner.case
    made(DiaryEntry, mark, partner=partner, date=timezone.localdate(), note_visibility="private")
    made(
        Administration,
        mark,
        case=case,
        partner=partner,
        instrument="dyade-intake",
        version="1",
        answers_json=f'{{"story.hopes": "{mark}"}}',
    )
    made(ReadingAssignment, mark, partner=partner, version=1)
    made(Reminder, mark, partner=partner, at=dt.time(20, 0), topic="diary")
    own = made(Assignment, mark, case=case, partner=partner, assigned_by=case.created_by, version=1)
    for assignment in (own, couple_assignment):
        run = made(Run, mark, assignment=assignment, partner=partner, started_at=timezone.now())
        made(Log, mark, assignment=assignment, partner=partner, date=timezone.localdate(), run=run)
        made(Entry, mark, assignment=assignment, partner=partner, date=timezone.localdate())
        made(Answers, mark, assignment=assignment, partner=partner)
    made(LadderMove, mark, assignment=own, from_step=1, to_step=2, moved_by=case.created_by)
    made(
        Invitation,
        mark,
        partner=partner,
        token_hash=f"{partner.slot}{mark}"[:64],
        created_by=case.created_by,
        expires_at=timezone.now(),
    )
    _fill_rest(mark, {Partner: partner, Case: case, User: case.created_by}, Partner)


def _case_rows(case: Case, mark: str) -> None:
    therapist = case.created_by
    made(DiaryItems, mark, case=case)
    appointment = made(Appointment, mark, case=case, starts_at=timezone.now(), created_by=therapist)
    made(
        Observation,
        mark,
        case=case,
        appointment=appointment,
        date=timezone.localdate(),
        created_by=therapist,
    )
    made(Observation, mark, case=case, date=timezone.localdate(), created_by=therapist)
    made(SignalDecision, mark, case=case, decided_by=therapist, decision="accepted")
    made(TrackChange, mark, case=case, changed_by=therapist, track="eft")
    made(CycleVersion, mark, case=case, number=1, created_by=therapist, published_by=therapist)
    made(SessionRecord, mark, case=case, date=timezone.localdate(), recorded_by=therapist)
    _fill_rest(mark, {Case: case, User: therapist}, Case)


def _audit(user: User, partner: Partner, mark: str, ip: str) -> None:
    """Events written as the partner (from their device) and about them by the therapist."""
    request = RequestFactory().get(
        f"/me/diary/?q={mark}", HTTP_USER_AGENT=f"phone {mark}", REMOTE_ADDR=ip
    )
    request.user = user
    record(request, "diary.read", partner=partner, detail=f"seen by {partner.name}")
    record(request, "auth.login", user=user, detail=user.email)
    therapist = partner.case.created_by
    staff = RequestFactory().get("/cases/", REMOTE_ADDR="192.0.2.1")
    staff.user = therapist
    record(staff, "diary.read", partner=partner, detail=f"{partner.email}, {partner.name}")
    record(staff, "case.read", case=partner.case, detail=partner.case.label)


def seed_couple(practice: Practice, therapist: User, marks: dict[str, str]) -> Seeded:
    """A couple: partner A's texts carry ``marks["A"]``, B's ``marks["B"]``, the case's
    shared record ``marks["case"]``; a study both joined and a prepared export file."""
    case = made(
        Case,
        marks["case"],
        practice=practice,
        kind=CaseKind.COUPLE,
        created_by=therapist,
        status="closed",
        form="couple",
        outcome="referred",
        stopped_by="both",
    )
    case.therapists.add(therapist)
    users, partners = {}, {}
    for slot in ("A", "B"):
        mark = marks[slot]
        users[slot] = User.objects.create_user(
            email=f"{mark}@partner.example", name=mark, role=Role.PARTNER, practice=practice
        )
        partners[slot] = made(Partner, mark, case=case, slot=slot, user=users[slot], language="nl")
    couple_assignment = made(
        Assignment, marks["case"], case=case, partner=None, assigned_by=therapist, version=1
    )
    for slot, ip in (("A", "10.9.8.7"), ("B", "10.9.8.8")):
        _partner_rows(partners[slot], marks[slot], couple_assignment)
        _audit(users[slot], partners[slot], marks[slot], ip)
        AccessAttempt.objects.create(
            username=users[slot].email,
            ip_address=ip,
            user_agent=marks[slot],
            failures_since_start=1,
            get_data="",
            post_data="",
            http_accept="",
            path_info="/login/",
        )
    _case_rows(case, marks["case"])
    study = Study.objects.filter(practice=practice).first() or made(
        Study, "study", practice=practice, created_by=therapist, data_from=timezone.localdate()
    )
    for partner in partners.values():
        Consent.objects.create(study=study, partner=partner, given=True)
    prepared = PreparedExport.objects.create(
        study=study,
        researcher=therapist,
        format="csv",
        status=PreparedStatus.READY,
        cases=[case.pk],
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    folder = research_services.export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / prepared.file_name
    path.write_text(" ".join(marks.values()))
    return Seeded(case, partners["A"], partners["B"], users["A"], users["B"], therapist, path)


def client_tables() -> list[type[models.Model]]:
    """Every model that points (in one or more steps) at a case or a partner."""
    found: set[type[models.Model]] = {Case, Partner}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model in found:
                continue
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model in found:
                    found.add(model)
                    grew = True
                    break
    return sorted(found, key=lambda model: model._meta.label)


def orm_hits(marks: list[str]) -> list[str]:
    """Where any of ``marks`` appears in any field of any row, read through the ORM
    (so encrypted fields are searched as plain text)."""
    hits = []
    for model in apps.get_models():
        names = [field.attname for field in model._meta.concrete_fields]
        for row in model.objects.values_list(*names):
            for name, value in zip(names, row, strict=True):
                text = str(value)
                for mark in marks:
                    if mark.lower() in text.lower():
                        hits.append(f"{model._meta.label}.{name}: {mark}")
    return hits


def raw_hits(marks: list[str]) -> list[str]:
    """Where any of ``marks`` appears in any table of the database as it is stored."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row).lower()
                hits += [f"{table}: {mark}" for mark in marks if mark.lower() in text]
    return hits
