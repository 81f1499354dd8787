"""``manage.py backup`` and ``restore``: a round trip leaves every table row for row the same.

The suite runs on SQLite (the online backup API) and, in CI, on PostgreSQL
(pg_dump and pg_restore), so both ways are tried here. The backup refuses to run
until the operator says where the field keys are kept; the restore refuses a
backup whose keys are not configured.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from dyade import crypto
from dyade.audit.models import AuditEvent
from dyade.cases.models import Case, CaseKind
from dyade.diary.models import DiaryEntry
from tests.conftest import World

KEPT = "kluis van de praktijk, envelop 'Dyade sleutels'"


def plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as stored (encrypted text stays ciphertext)."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = [tuple(plain(value) for value in row) for row in cursor.fetchall()]
            tables[table] = sorted(rows, key=repr)
    return tables


def back_up(path: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command("backup", str(path), *extra, stdout=out)
    return out.getvalue()


def change_everything(world: World) -> None:
    DiaryEntry.objects.filter(pk=world.entry_b.pk).delete()
    entry = DiaryEntry.objects.get(pk=world.entry_a_private.pk)
    entry.note = "na de backup geschreven"
    entry.save()
    Case.objects.create(
        practice=world.practice,
        label="Na de backup",
        kind=CaseKind.INDIVIDUAL,
        created_by=world.therapist,
    )


@pytest.mark.django_db(transaction=True)
def test_a_round_trip_leaves_every_table_row_for_row_identical(
    world: World, tmp_path: Path
) -> None:
    target = tmp_path / "dyade.backup"
    said = back_up(target, "--keys-backed-up-at", KEPT)
    before = snapshot()
    assert AuditEvent.objects.filter(event="backup.create").count() == 1  # in the backup too
    assert sum(len(rows) for rows in before.values()) > 50
    assert target.stat().st_mode & 0o777 == 0o600
    manifest = json.loads((tmp_path / "dyade.backup.json").read_text())
    assert manifest["database"] == connection.vendor
    assert manifest["field_keys_backed_up_at"] == KEPT
    assert manifest["field_key_fingerprints"] == [
        crypto.fingerprint(key) for key in crypto.settings.FIELD_ENCRYPTION_KEYS
    ]
    assert KEPT in said and manifest["field_key_fingerprints"][0] in said

    change_everything(world)
    assert snapshot() != before

    call_command("restore", str(target), "--yes", stdout=io.StringIO())
    after = snapshot()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert DiaryEntry.objects.get(pk=world.entry_a_private.pk).note == world.entry_a_private.note


@pytest.mark.django_db(transaction=True)
def test_no_backup_without_saying_where_the_keys_are(
    world: World, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DYADE_KEYS_BACKED_UP_AT", raising=False)
    target = tmp_path / "dyade.backup"
    for note in ([], ["--keys-backed-up-at", "  "]):
        with pytest.raises(CommandError, match="must not be stored with it"):
            back_up(target, *note)
    assert list(tmp_path.iterdir()) == []
    assert not AuditEvent.objects.filter(event="backup.create").exists()
    monkeypatch.setenv("DYADE_KEYS_BACKED_UP_AT", KEPT)
    back_up(target)
    assert json.loads((tmp_path / "dyade.backup.json").read_text())["field_keys_backed_up_at"] == (
        KEPT
    )
    with pytest.raises(CommandError, match="exists already"):
        back_up(target)


@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_a_backup_whose_keys_are_not_configured(
    world: World, tmp_path: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "dyade.backup"
    back_up(target, "--keys-backed-up-at", KEPT)
    old = crypto.fingerprint(settings.FIELD_ENCRYPTION_KEYS[0])
    change_everything(world)
    changed = snapshot()
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match=rf"{old} is not in DYADE_FIELD_KEYS.*{KEPT}"):
        call_command("restore", str(target), "--yes", stdout=io.StringIO())
    assert snapshot() == changed
    # Told to go on anyway, it restores and then says which column it cannot read.
    with pytest.raises(CommandError, match=r"restored, but: Stored text cannot be decrypted"):
        call_command("restore", str(target), "--yes", "--without-all-keys", stdout=io.StringIO())
    assert DiaryEntry.objects.filter(pk=world.entry_b.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_restore_asks_for_yes_and_checks_the_file(world: World, tmp_path: Path) -> None:
    target = tmp_path / "dyade.backup"
    back_up(target, "--keys-backed-up-at", KEPT)
    change_everything(world)
    changed = snapshot()
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(target), stdout=io.StringIO())
    with target.open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(CommandError, match="not the file its manifest describes"):
        call_command("restore", str(target), "--yes", stdout=io.StringIO())
    assert snapshot() == changed
