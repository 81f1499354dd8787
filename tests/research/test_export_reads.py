"""What the export reads from the database: only what it exports, in a fixed number of queries."""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dyade import crypto
from dyade.audit.models import AuditEvent
from dyade.research import services
from tests.conftest import World, client_for
from tests.test_research_views import _add_couple


def _export(world: World, fmt: str = "csv"):  # type: ignore[no-untyped-def]
    return client_for(world.researcher).post(
        reverse("research:export", args=[world.study.pk]),
        {"format": fmt, "request_id": str(uuid.uuid4())},
    )


def _tables(response) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name) for name in archive.namelist() if name != "README.txt"}


@pytest.fixture
def decryptions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = crypto.decrypt

    def counting(token: str, where: str = "") -> str:
        seen.append(token)
        return real(token, where)

    monkeypatch.setattr(crypto, "decrypt", counting)
    return seen


def test_notes_are_not_even_decrypted_unless_the_study_receives_them(
    world: World, decryptions: list[str]
) -> None:
    _add_couple(world, "Ja", (True, True))
    _tables(_export(world))
    assert decryptions == []
    world.study.allows_free_text = True
    world.study.save()
    _tables(_export(world))
    assert len(decryptions) == 3  # the three notes of the world's couple; "Ja" wrote none


def test_the_models_on_the_web_decrypt_no_note_either(world: World, decryptions: list[str]) -> None:
    world.study.allows_free_text = True
    world.study.save()
    response = client_for(world.researcher).get(
        reverse("research:analysis", args=[world.study.pk]),
        {"model": "growth", "outcome": "closeness", "method": "reml"},
    )
    assert response.status_code == 200
    assert decryptions == []


def _queries(world: World) -> tuple[list[str], list[str]]:
    """The queries of one export: those that read or write data, and the audit inserts."""
    with CaptureQueriesContext(connection) as queries:
        _tables(_export(world))
    audit = [q["sql"] for q in queries if "audit_auditevent" in q["sql"]]
    return [q["sql"] for q in queries if "audit_auditevent" not in q["sql"]], audit


def test_the_export_reads_the_diaries_in_a_fixed_number_of_queries(world: World) -> None:
    one, one_audit = _queries(world)
    for label in ("Een", "Twee", "Drie", "Vier"):
        _add_couple(world, label, (True, True))
    five, five_audit = _queries(world)
    assert len(five) == len(one)
    assert sum("diary_diaryentry" in sql for sql in five) == 2  # rows per couple, then the rows
    # the reads of all five couples are written in one statement
    assert len(five_audit) == len(one_audit)
    assert sum("research.data.read" in sql for sql in five_audit) == 1
    assert AuditEvent.objects.filter(event="research.data.read").count() == 1 + 5


def test_small_batches_give_the_same_files(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    for label in ("Een", "Twee", "Drie", "Vier"):
        _add_couple(world, label, (True, True))
    world.study.allows_free_text = True
    world.study.save()
    for fmt in ("csv", "parquet"):
        whole = _tables(_export(world, fmt))
        monkeypatch.setattr(services, "BATCH_ROWS", 10)  # a couple has 3 to 14 rows
        with CaptureQueriesContext(connection) as queries:
            batched = _tables(_export(world, fmt))
        monkeypatch.setattr(services, "BATCH_ROWS", 20_000)
        assert batched == whole
        assert sum('FROM "diary_diaryentry"' in q["sql"] for q in queries) >= 4
