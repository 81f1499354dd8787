"""Prepared statements (dyade.db.prepared) give what the ORM gives, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dyade.accounts.models import User
from dyade.audit.models import AuditEvent
from dyade.cases.models import Partner
from dyade.db import prepared
from dyade.diary.models import DiaryEntry
from tests.conftest import A_PRIVATE, World


def fields_of(instance: object) -> dict[str, object]:
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields  # type: ignore[attr-defined]
    }


def test_a_read_gives_the_same_instance_as_the_orm(world: World) -> None:
    users = prepared.Reader(User, by=("id",))
    found = users.first(world.therapist.pk)
    assert fields_of(found) == fields_of(User.objects.get(pk=world.therapist.pk))
    assert found._state.adding is False and found._state.db == "default"
    assert users.first(-1) is None


def test_a_read_follows_one_foreign_key_in_the_same_statement(world: World) -> None:
    partners = prepared.Reader(Partner, by=("user",), related="case")
    with CaptureQueriesContext(connection) as captured:
        partner = partners.first(world.user_a.pk)
        assert partner.case.label == world.case.label
    assert len(captured) == 1
    assert fields_of(partner) == fields_of(world.partner_a)
    assert fields_of(partner.case) == fields_of(world.case)


def test_dates_and_encrypted_text_come_back_as_the_orm_gives_them(world: World) -> None:
    entries = prepared.Reader(DiaryEntry, by=("partner", "date"))
    entry = entries.first(world.partner_a.pk, world.entry_a_private.date)
    assert entry.note == A_PRIVATE
    assert entry.date == world.entry_a_private.date
    assert fields_of(entry) == fields_of(DiaryEntry.objects.get(pk=world.entry_a_private.pk))


def test_a_read_of_some_columns_defers_the_others(world: World) -> None:
    found = prepared.Reader(User, by=("email",), fields=("id", "email")).first(world.user_b.email)
    assert found.pk == world.user_b.pk
    assert found.get_deferred_fields() >= {"name", "password"}
    assert found.name == "Thomas"  # loaded on demand, as with only()


def test_a_greater_than_condition(world: World) -> None:
    later = prepared.Reader(AuditEvent, by=("time__gt",))
    assert later.first(timezone.now() + dt.timedelta(days=1)) is None


def test_an_update_returns_what_it_changed_and_encrypts(world: World) -> None:
    update = prepared.Updater(DiaryEntry, ["closeness", "note"], by=("partner", "date"))
    entry = world.entry_a_shared
    with transaction.atomic():
        changed = update.run({"closeness": 9, "note": "nieuw"}, world.partner_a.pk, entry.date)
    assert changed == [entry.pk]
    entry.refresh_from_db()
    assert (entry.closeness, entry.note) == (9, "nieuw")
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM diary_diaryentry WHERE id = %s", [entry.pk])
        assert "nieuw" not in cursor.fetchone()[0]
    assert update.run({"closeness": 1, "note": ""}, world.partner_b.pk, entry.date) == []


def test_an_insert_sets_the_new_key_and_every_value(world: World) -> None:
    event = AuditEvent(event="diary.read", action="read", user_id=7, ip_address="127.0.0.1")
    prepared.Inserter(AuditEvent).insert(event)
    assert event.pk is not None and event._state.adding is False
    assert fields_of(AuditEvent.objects.get(pk=event.pk)) == fields_of(event)
