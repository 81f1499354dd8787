"""Key rotation while partners keep writing loses no acknowledged edit (issue 18).

Before, ``rotate_field_keys`` read every value, re-encrypted it and wrote it back
whatever had happened to the row in between: 2 of 17 edits made during a run
were replaced by re-encrypted older text. Now a value is written back only where
the row still holds the ciphertext that was read; other rows are counted and
read again.

Two ways to write during a rotation:

* on SQLite and PostgreSQL, the partners save through the diary page at the exact
  moment between the rotation's read of a batch and its write
  (``rotate_field_keys.between_read_and_write``);
* on PostgreSQL, threads keep saving while the rotation runs in the main thread.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection, connections, models
from django.urls import reverse
from django.utils import timezone

from dyade import crypto
from dyade.audit.management.commands import rotate_field_keys
from dyade.diary.models import DiaryEntry
from tests.conftest import World, client_for, make_entry
from tests.diary_data import diary_form


def stored_notes() -> dict[int, str]:
    """Every diary note as stored, read only with the newest key (the old one is gone)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, note FROM diary_diaryentry WHERE note <> ''")
        rows = cursor.fetchall()
    return {pk: crypto.decrypt(token) for pk, token in rows}


def fill(world: World, days: int) -> dict[int, str]:
    """Older entries for both partners (read-only in the app), returned as pk -> note."""
    today = timezone.localdate()
    notes = {}
    for partner in (world.partner_a, world.partner_b):
        for back in range(6, 6 + days):
            note = f"{partner.slot}-oud-{back}"
            notes[make_entry(partner, today - dt.timedelta(days=back), note=note).pk] = note
    return notes


@pytest.fixture
def keys(settings) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The key every value was written with, and the new one put in front of it."""
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    return old, new


def save_through_the_page(user: Any, day: dt.date, note: str) -> bool:
    """A partner saves the diary form; True when Dyade said it was saved."""
    response = client_for(user).post(
        reverse("diary:entry", args=[day.isoformat()]), diary_form(note=note)
    )
    return response.status_code == 302


def write_with_the_old_key(pk: int, note: str, old: str, settings: Any) -> None:
    keys = settings.FIELD_ENCRYPTION_KEYS
    settings.FIELD_ENCRYPTION_KEYS = [old]
    assert DiaryEntry.objects.filter(pk=pk).update(note=note) == 1
    settings.FIELD_ENCRYPTION_KEYS = keys


def test_edits_between_read_and_write_are_kept_and_rotated_in_the_next_round(
    world: World, settings, monkeypatch, keys: tuple[str, str]
) -> None:  # type: ignore[no-untyped-def]
    old, new = keys
    settings.FIELD_ENCRYPTION_KEYS = [old]  # the data as it was before the new key came
    expected = {
        world.entry_a_private.pk: world.entry_a_private.note,
        world.entry_a_shared.pk: world.entry_a_shared.note,
        world.entry_b.pk: world.entry_b.note,
        **fill(world, 20),
    }
    today = timezone.localdate()
    editable = {}
    for user, partner in ((world.user_a, world.partner_a), (world.user_b, world.partner_b)):
        for day in (today, today - dt.timedelta(days=1)):
            entry = make_entry(partner, day, note=f"{partner.slot}-{day}-eerste")
            editable[entry.pk] = (user, day)
            expected[entry.pk] = entry.note
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    acknowledged: list[tuple[int, str]] = []

    older = sorted(set(expected) - set(editable))[::9]  # some read-only rows too

    def partners_save(model: type[models.Model], field: Any, pks: list[Any]) -> None:
        if model is not DiaryEntry or field.name != "note":
            return
        for pk in pks:
            if pk in dict(acknowledged):
                continue
            note = f"bewerkt-{pk}-tijdens-rotatie"
            if pk in editable:
                user, day = editable[pk]
                assert save_through_the_page(user, day, note)
                acknowledged.append((pk, note))
            elif pk in older:
                # A program that still encrypts with the old key only writes this one,
                # so the next round has to rotate what it wrote.
                write_with_the_old_key(pk, note, old, settings)
                acknowledged.append((pk, note))

    monkeypatch.setattr(rotate_field_keys, "between_read_and_write", partners_save)
    out = io.StringIO()
    call_command("rotate_field_keys", "--batch", "7", stdout=out)

    assert len(acknowledged) == len(editable) + len(older) == 4 + 5
    expected.update(dict(acknowledged))
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key is removed after the rotation
    assert stored_notes() == expected
    # 47 notes: 9 changed between read and write; the 4 saved through the page are on the
    # newest key already, the 5 written with the old key are rotated in the second round.
    line = "diary.DiaryEntry.note: 43 value(s) re-encrypted, 9 changed while being read"
    assert len(expected) == 47 and line in out.getvalue()


def test_a_row_that_keeps_changing_is_named_and_never_overwritten(
    world: World, settings, monkeypatch, keys: tuple[str, str]
) -> None:  # type: ignore[no-untyped-def]
    old, new = keys
    today = timezone.localdate()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    entry = make_entry(world.partner_a, today, note="eerste versie")
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    saves: list[str] = []

    def keeps_saving(model: type[models.Model], field: Any, pks: list[Any]) -> None:
        if model is DiaryEntry and entry.pk in pks:
            note = f"versie {len(saves) + 2}"
            write_with_the_old_key(entry.pk, note, old, settings)
            saves.append(note)

    monkeypatch.setattr(rotate_field_keys, "between_read_and_write", keeps_saving)
    with pytest.raises(CommandError, match=rf"diary\.DiaryEntry\.note #{entry.pk}\b"):
        call_command("rotate_field_keys", "--rounds", "3", stdout=io.StringIO())
    assert len(saves) == 3
    assert DiaryEntry.objects.get(pk=entry.pk).note == "versie 4"
    monkeypatch.setattr(rotate_field_keys, "between_read_and_write", lambda *args: None)
    call_command("rotate_field_keys", stdout=io.StringIO())  # run again once it is quiet
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert stored_notes()[entry.pk] == "versie 4"


def test_a_value_no_key_reads_stops_the_rotation_with_its_column(
    world: World, settings, keys: tuple[str, str]
) -> None:  # type: ignore[no-untyped-def]
    old, new = keys
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key was lost before rotating
    with pytest.raises(
        CommandError, match=r"^\w+\.\w+: a value written at 20\d\d-\d\d-\d\d \d\d:\d\d UTC"
    ):
        call_command("rotate_field_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert DiaryEntry.objects.get(pk=world.entry_b.pk).note == world.entry_b.note


def test_values_already_on_the_newest_key_are_left_alone(
    world: World, keys: tuple[str, str]
) -> None:
    call_command("rotate_field_keys", stdout=io.StringIO())
    before = stored_notes()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, note FROM diary_diaryentry")
        tokens = cursor.fetchall()
    out = io.StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "diary.DiaryEntry.note: 0 value(s) re-encrypted" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, note FROM diary_diaryentry")
        assert cursor.fetchall() == tokens
    assert stored_notes() == before


# A second writer needs PostgreSQL or SQLite in a file; on the in-memory SQLite test
# database tests/test_second_writer.py runs this test in a file database instead.
needs_second_writer = pytest.mark.second_writer


@needs_second_writer
@pytest.mark.django_db(transaction=True)
def test_threads_writing_during_a_rotation_lose_nothing(
    world: World, settings, monkeypatch, keys: tuple[str, str]
) -> None:  # type: ignore[no-untyped-def]
    old, new = keys
    settings.FIELD_ENCRYPTION_KEYS = [old]
    fill(world, 60)
    today = timezone.localdate()
    for partner in (world.partner_a, world.partner_b):
        make_entry(partner, today, note="vandaag")
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    pks = sorted(DiaryEntry.objects.values_list("pk", flat=True))
    writers = 4
    owned = [pks[i::writers] for i in range(writers)]  # each writer keeps to its own rows
    last: list[dict[int, str]] = [{} for _ in range(writers)]
    counts = [0] * writers
    rotating = threading.Event()
    done = threading.Event()
    failures: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            rotating.wait()
            round_ = 0
            while not done.is_set():
                round_ += 1
                for pk in owned[number]:
                    note = f"schrijver {number} ronde {round_} rij {pk}"
                    entry = DiaryEntry.objects.get(pk=pk)
                    entry.note = note
                    entry.save(update_fields=["note"])  # returned: the edit is acknowledged
                    last[number][pk] = note
                    counts[number] += 1
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    def through_the_page() -> None:
        try:
            rotating.wait()
            round_ = 0
            while not done.is_set():
                round_ += 1
                note = f"pagina ronde {round_}"
                if save_through_the_page(world.user_a, today, note):
                    last_page["note"] = note
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    last_page: dict[str, str] = {}
    page_pk = DiaryEntry.objects.get(partner=world.partner_a, date=today).pk
    owned = [[pk for pk in rows if pk != page_pk] for rows in owned]

    def widen(model: type[models.Model], field: Any, batch: list[Any]) -> None:
        rotating.set()
        threading.Event().wait(0.01)  # give the writers time to write in between

    monkeypatch.setattr(rotate_field_keys, "between_read_and_write", widen)
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    threads.append(threading.Thread(target=through_the_page))
    for thread in threads:
        thread.start()
    try:
        call_command("rotate_field_keys", "--batch", "5", "--rounds", "50", stdout=io.StringIO())
    finally:
        rotating.set()
        done.set()
        for thread in threads:
            thread.join()
    assert not failures, failures
    assert sum(counts) > 0 and last_page
    expected = {pk: note for mine in last for pk, note in mine.items()}
    expected[page_pk] = last_page["note"]
    settings.FIELD_ENCRYPTION_KEYS = [new]
    stored = stored_notes()
    assert {pk: stored[pk] for pk in expected} == expected
