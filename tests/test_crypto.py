"""Encryption at rest and key rotation."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from dyade import crypto
from dyade.diary.models import DiaryEntry
from tests.conftest import World


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
