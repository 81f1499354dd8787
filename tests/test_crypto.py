"""Encryption at rest and key rotation."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from cryptography.fernet import Fernet
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.urls import reverse

from dyade import crypto
from dyade.audit import keys_check
from dyade.diary.models import DiaryEntry
from tests.conftest import A_PRIVATE, A_SHARED, B_PRIVATE, World, client_for, make_entry


def raw_note(entry: DiaryEntry) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM diary_diaryentry WHERE id = %s", [entry.pk])
        return cursor.fetchone()[0]


def test_rotation_moves_every_value_to_the_newest_key(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_field_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key is gone now
    for entry in (world.entry_a_private, world.entry_a_shared, world.entry_b):
        stored = raw_note(entry)
        assert Fernet(new.encode()).decrypt(stored.encode())
        assert DiaryEntry.objects.get(pk=entry.pk).note == entry.note


def test_without_the_key_nothing_can_be_read(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ValueError, match="cannot be decrypted"):
        DiaryEntry.objects.get(pk=world.entry_a_private.pk)


def test_empty_text_stays_empty(db: None) -> None:
    field = crypto.EncryptedTextField()
    assert field.get_prep_value("") == ""
    assert field.get_prep_value("x") != "x"


# A database restored without its keys (issue 18): Dyade says which key is missing and
# refuses to start; a page that still meets such a value is a plain 503, never a 500.


def lose_the_key(settings) -> str:  # type: ignore[no-untyped-def]
    """Start with a key that never wrote anything here, as after a restore without keys."""
    stranger = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [stranger]
    return stranger


def test_the_system_check_names_each_unreadable_column_and_the_keys_it_tried(
    world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    stranger = lose_the_key(settings)
    errors = checks.run_checks(tags=["dyade_keys"])
    assert [error.id for error in errors] == ["dyade.E001"]
    message = errors[0].msg
    assert "diary_diaryentry.note (row " in message
    assert re.search(r"written at 20\d\d-\d\d-\d\d \d\d:\d\d UTC", message)
    assert f"1 key(s) in DYADE_FIELD_KEYS (fingerprints {crypto.fingerprint(stranger)})" in message
    assert "The key that was in use when these values were written is missing" in message
    with pytest.raises(SystemCheckError, match=r"dyade\.E001"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


def test_with_the_keys_every_sample_reads_and_the_check_is_quiet(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    assert checks.run_checks(tags=["dyade_keys"]) == []
    keys_check.refuse_without_keys()  # returns: the web server may start
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]  # before rotating
    assert checks.run_checks(tags=["dyade_keys"]) == []


def test_an_empty_database_passes(db: None, settings) -> None:  # type: ignore[no-untyped-def]
    lose_the_key(settings)
    assert checks.run_checks(tags=["dyade_keys"]) == []


def test_the_web_server_refuses_to_start_without_the_key(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    lose_the_key(settings)
    with pytest.raises(ImproperlyConfigured, match=r"diary_diaryentry\.note"):
        keys_check.refuse_without_keys()


def test_a_key_lost_before_rotation_finished_is_found_at_the_newest_row(
    world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_field_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [old]
    newest = make_entry(world.partner_b, world.entry_b.date - dt.timedelta(days=1), note="later")
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key went before this row was rotated
    message = checks.run_checks(tags=["dyade_keys"])[0].msg
    assert f"diary_diaryentry.note (row {newest.pk}," in message


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("therapist", lambda w: reverse("cases:detail", args=[w.case.pk])),
        ("user_a", lambda w: reverse("diary:home")),
        ("user_b", lambda w: reverse("diary:home")),
    ],
)
def test_pages_without_the_key_say_so_instead_of_a_server_error(
    world: World, settings, caplog, who: str, page
) -> None:  # type: ignore[no-untyped-def]
    lose_the_key(settings)
    response = client_for(getattr(world, who)).get(page(world))
    assert response.status_code == 503
    body = response.content.decode()
    assert "Dyade kan deze pagina nu niet tonen" in body
    assert "sleutel ontbreekt" in body
    for marker in (A_PRIVATE, A_SHARED, B_PRIVATE, "20"):  # no content, no dates
        assert marker not in body.split("<h1>")[1]
    assert any("a field key is missing" in record.getMessage() for record in caplog.records)
    assert ('id="quick-exit"' in body) == (who != "therapist")  # a partner can always leave
