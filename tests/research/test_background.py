"""Large studies: the export is prepared in the background and handed out by a link.

Tasks run at once in the tests (django-tasks' ImmediateBackend), so a request
that queues the export finds it ready right after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import stat
import uuid
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dyade.accounts.models import Role
from dyade.audit.models import AuditEvent
from dyade.research import prepared as prepared_exports
from dyade.research.models import Consent, Export, PreparedExport, PreparedStatus
from dyade.research.services import export_dir
from dyade.research.tasks import build_export, delete_expired_exports
from tests.conftest import A_PRIVATE, World, client_for, make_user


@pytest.fixture
def folder(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Every study counts as large; files go to a folder of this test."""
    settings.DYADE_EXPORT_DIR = str(tmp_path / "exports")
    settings.DYADE_EXPORT_BACKGROUND_ROWS = 0
    return tmp_path / "exports"


def _ask(world: World, fmt: str = "csv", request_id: str = ""):  # type: ignore[no-untyped-def]
    return client_for(world.researcher).post(
        reverse("research:export", args=[world.study.pk]),
        {"format": fmt, "request_id": request_id or str(uuid.uuid4())},
    )


def _link(item: PreparedExport) -> str:
    return reverse("research:download", args=[item.study_id, item.token])


def _events(name: str, **filters: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=name, **filters).order_by("id"))


def _zip(response) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="dyade-study-')
    # Reading the whole stream lets the test client close the response; closing it again
    # here would fire request_finished, and Django then closes a PostgreSQL connection that
    # sits in the test's transaction.
    data = b"".join(response.streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()} | {"": data}


def test_a_large_study_is_prepared_and_the_researcher_gets_a_link(
    world: World, folder: Path
) -> None:
    response = _ask(world)
    assert response.status_code == 302
    assert response["Location"] == reverse("research:study", args=[world.study.pk])
    item = PreparedExport.objects.get()
    assert (item.status, item.researcher, item.format) == ("ready", world.researcher, "csv")
    assert item.expires_at is not None and item.expires_at > timezone.now()
    page = client_for(world.researcher).get(response["Location"]).content.decode()
    assert _link(item) in page
    # the file lies in the private folder, readable by its owner only
    path = folder / f"{item.token}.zip"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    files = _zip(client_for(world.researcher).get(_link(item)))
    assert {"long.csv", "pairwise.csv", "dyad.csv", "codebook.csv", "README.txt"} <= set(files)
    long = pd.read_csv(io.BytesIO(files["long.csv"]), dtype=str, keep_default_na=False)
    assert len(long) == 3 and "note" not in long.columns
    export = Export.objects.get()
    assert item.export == export
    assert export.sha256 == hashlib.sha256(files[""]).hexdigest()
    assert (export.n_dyads, export.n_rows, export.format) == (1, 3, "csv")


def test_the_page_says_being_prepared_until_the_file_is_ready(world: World, folder: Path) -> None:
    item = PreparedExport.objects.create(
        study=world.study, researcher=world.researcher, format="csv"
    )
    client = client_for(world.researcher)
    page = client.get(reverse("research:study", args=[world.study.pk])).content.decode()
    assert "being prepared" in page or "wordt klaargemaakt" in page
    assert _link(item) not in page
    response = client.get(_link(item))
    assert response.status_code == 302  # not ready: back to the study with a message
    build_export.enqueue(item.pk)
    page = client.get(reverse("research:study", args=[world.study.pk])).content.decode()
    assert _link(item) in page


def test_preparing_and_downloading_are_both_in_the_audit_trail(world: World, folder: Path) -> None:
    _ask(world)
    item = PreparedExport.objects.get()
    assert len(_events("research.prepared.create", user_id=world.researcher.pk)) == 1
    made = _events("research.export.create", user_id=world.researcher.pk)
    assert len(made) == 1 and made[0].access_point == "system"
    reads = _events("research.data.read", user_id=world.researcher.pk)
    assert [(event.case_id, event.access_point) for event in reads] == [(world.case.pk, "system")]
    _zip(client_for(world.researcher).get(_link(item)))
    handed = _events("research.prepared.read", user_id=world.researcher.pk)
    assert len(handed) == 1 and handed[0].access_point.endswith(_link(item))
    reads = _events("research.data.read", user_id=world.researcher.pk)
    assert [event.case_id for event in reads] == [world.case.pk, world.case.pk]
    assert "download" in reads[-1].detail and reads[-1].ip_address == "127.0.0.1"


def test_the_file_goes_only_to_the_researcher_who_asked(world: World, folder: Path) -> None:
    _ask(world)
    item = PreparedExport.objects.get()
    colleague = make_user("lab2@one.example", Role.RESEARCHER, world.practice)
    world.study.researchers.add(colleague)  # named in the same study, but did not ask
    assert client_for(colleague).get(_link(item)).status_code == 404
    denied = _events("research.prepared.read", outcome="denied")
    assert [event.user_id for event in denied] == [colleague.pk]
    stranger = make_user("lab@two.example", Role.RESEARCHER, world.other_practice)
    assert client_for(stranger).get(_link(item)).status_code == 404
    for person in ("therapist", "admin", "partner_a", "other_therapist"):
        assert client_for(world.person(person)).get(_link(item)).status_code == 403
    # the link under another study of the researcher is not found either
    world.unnamed_study.researchers.add(world.researcher)
    other = reverse("research:download", args=[world.unnamed_study.pk, item.token])
    assert client_for(world.researcher).get(other).status_code == 404
    for bad in ("..%2F..%2Fsettings.py", item.token.upper(), item.token + ".zip"):
        url = reverse("research:study", args=[world.study.pk]) + f"exports/{bad}/"
        assert client_for(world.researcher).get(url).status_code == 404
    reads = _events("research.data.read", access_point__startswith="GET")
    assert reads == []  # nobody received anything


def test_a_researcher_no_longer_named_loses_the_prepared_file(world: World, folder: Path) -> None:
    _ask(world)
    item = PreparedExport.objects.get()
    world.study.researchers.remove(world.researcher)
    assert client_for(world.researcher).get(_link(item)).status_code == 404


def test_a_couple_that_took_consent_back_is_never_handed_out(world: World, folder: Path) -> None:
    _ask(world)
    item = PreparedExport.objects.get()
    Consent.objects.filter(partner=world.partner_b).update(given=False)
    response = client_for(world.researcher).get(_link(item))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == PreparedStatus.GONE
    assert not (folder / f"{item.token}.zip").exists()
    assert _events("research.prepared.delete")
    assert not _events("research.data.read", access_point__startswith="GET")


def test_files_expire_and_are_deleted(world: World, folder: Path) -> None:
    _ask(world)
    item = PreparedExport.objects.get()
    path = folder / f"{item.token}.zip"
    assert delete_expired_exports.enqueue().return_value == 0
    assert path.exists()
    PreparedExport.objects.filter(pk=item.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert client_for(world.researcher).get(_link(item)).status_code == 302
    assert not path.exists()
    item.refresh_from_db()
    assert item.status == PreparedStatus.GONE
    assert (
        _link(item)
        not in client_for(world.researcher)
        .get(reverse("research:study", args=[world.study.pk]))
        .content.decode()
    )


def test_the_clean_up_deletes_expired_files_and_leftovers(world: World, folder: Path) -> None:
    _ask(world)
    item = PreparedExport.objects.get()
    stray = folder / f"{'0' * 32}.zip.part"  # a build that crashed long ago
    stray.write_bytes(b"half")
    later = timezone.now() + dt.timedelta(hours=25)
    assert prepared_exports.delete_expired(later) == 1
    assert not (folder / f"{item.token}.zip").exists()
    assert not stray.exists()
    event = _events("research.prepared.delete")[0]
    assert (event.detail, event.practice_id) == ("expired", world.practice.pk)
    _ask(world)
    out = io.StringIO()
    call_command("delete_expired_exports", stdout=out)
    assert out.getvalue().startswith("0 ")  # the new one has not expired


def test_the_task_checks_access_again(world: World, folder: Path) -> None:
    item = PreparedExport.objects.create(
        study=world.study, researcher=world.researcher, format="csv"
    )
    world.study.researchers.remove(world.researcher)
    assert build_export.enqueue(item.pk).return_value == "refused"
    item.refresh_from_db()
    assert item.status == PreparedStatus.FAILED
    assert not list(folder.glob("*.zip"))
    assert _events("research.export.create", outcome="denied", user_id=world.researcher.pk)
    assert not Export.objects.exists()
    assert not _events("research.data.read")


def test_the_same_form_twice_prepares_once(world: World, folder: Path) -> None:
    request_id = str(uuid.uuid4())
    assert _ask(world, request_id=request_id).status_code == 302
    assert _ask(world, request_id=request_id).status_code == 302
    assert PreparedExport.objects.count() == 1
    assert Export.objects.count() == 1


def test_notes_only_with_free_text_in_the_prepared_file_too(world: World, folder: Path) -> None:
    world.study.allows_free_text = True
    world.study.save()
    _ask(world)
    files = _zip(client_for(world.researcher).get(_link(PreparedExport.objects.get())))
    assert A_PRIVATE in files["long.csv"].decode()
    assert A_PRIVATE not in files["pairwise.csv"].decode() + files["dyad.csv"].decode()


def test_spss_uses_the_same_threshold_as_the_other_formats(
    world: World, settings, folder: Path
) -> None:  # type: ignore[no-untyped-def]
    # SPSS streams like the others (Dyade writes .sav itself), so it waits for no lower limit.
    settings.DYADE_EXPORT_BACKGROUND_ROWS = 100
    direct = _ask(world, "sav")
    assert direct.status_code == 200 and direct["Content-Type"] == "application/zip"
    assert {"long.sav", "pairwise.sav", "dyad.sav"} <= set(
        zipfile.ZipFile(io.BytesIO(direct.content)).namelist()
    )
    settings.DYADE_EXPORT_BACKGROUND_ROWS = 0
    assert _ask(world, "sav").status_code == 302
    assert PreparedExport.objects.get().format == "sav"
    files = _zip(client_for(world.researcher).get(_link(PreparedExport.objects.get())))
    assert {"long.sav", "pairwise.sav", "dyad.sav"} <= set(files)


def test_the_default_folder_is_private_and_not_served(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.DYADE_EXPORT_DIR = None
    settings.LOCAL_DIR = tmp_path / "local"
    path = export_dir()
    assert path == tmp_path / "local" / "exports"
    assert not path.is_relative_to(Path(settings.STATIC_ROOT))
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
