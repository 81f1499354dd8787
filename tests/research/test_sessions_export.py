"""The export's ``sessions`` file: outcome and alliance per person per session, pseudonymous.

Only couples in which both partners said yes are in it, as for the diary; no
calendar date leaves; the scores are those of the published keys (CSI-4: the
sum of its four items, Funk & Rogge 2007) and the alliance check's own answers.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
import zipfile

import pandas as pd
import pytest
from django.urls import reverse

from dyade.clinic.research import layout
from dyade.clinic.research import sessions as table
from dyade.research.models import Consent
from dyade.research.services import dyad_id
from tests.conftest import World, client_for
from tests.progress.helpers import add_sessions


def _sessions_csv(world: World) -> pd.DataFrame:
    response = client_for(world.researcher).post(
        reverse("research:export", args=[world.study.pk]),
        {"format": "csv", "request_id": str(uuid.uuid4())},
    )
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    raw = archive.read("sessions.csv").decode()
    assert not re.search(r"\d{4}-\d{2}-\d{2}", raw)  # no calendar date
    return pd.read_csv(io.StringIO(raw), dtype=str, keep_default_na=False)


@pytest.mark.django_db
def test_each_person_has_a_row_per_session_with_score_and_alliance(world: World) -> None:
    world.study.data_from = world.study.data_from - dt.timedelta(days=60)
    world.study.save()
    add_sessions(
        world.case,
        world.therapist,
        {"A": [8, 10, 15], "B": [12, None, 11]},
        {"A": [7, 8, 9], "B": [4, None, 2]},
        attendance=["both", "A", "both"],
    )
    frame = _sessions_csv(world)
    assert list(frame.columns) == list(table.COLUMNS)
    assert set(frame["dyad"]) == {dyad_id(world.study, world.case)}
    assert frame["session"].tolist() == ["1", "1", "2", "2", "3", "3"]
    assert frame["role"].tolist() == ["A", "B"] * 3
    assert frame["session_day"].tolist() == ["0", "0", "7", "7", "14", "14"]
    assert frame["attended"].tolist() == ["1", "1", "1", "0", "1", "1"]
    assert frame["outcome"].tolist() == ["8", "12", "10", "", "15", "11"]
    assert frame["outcome_measure"].tolist() == ["csi-4", "csi-4", "csi-4", "", "csi-4", "csi-4"]
    # The CSI-4 key has no published SD and reliability: no status.
    assert set(frame["outcome_status"]) == {""}
    assert frame["alliance_heard"].tolist() == ["7", "4", "8", "", "9", "2"]


@pytest.mark.django_db
def test_a_couple_without_both_yeses_has_no_session_rows(world: World) -> None:
    world.study.data_from = world.study.data_from - dt.timedelta(days=60)
    world.study.save()
    Consent.objects.filter(partner=world.partner_b).update(given=False)
    add_sessions(world.case, world.therapist, {"A": [8, 9], "B": [12, 12]}, {"A": [7, 8]})
    response = client_for(world.researcher).post(
        reverse("research:export", args=[world.study.pk]),
        {"format": "csv", "request_id": str(uuid.uuid4())},
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.read("sessions.csv").decode().strip() == ",".join(table.COLUMNS)


@pytest.mark.django_db
def test_sessions_before_the_study_period_stay_out(world: World) -> None:
    # The study's data start 30 days ago (conftest); these sessions are 5 to 7 weeks old.
    add_sessions(world.case, world.therapist, {"A": [8, 9, 10, 11, 12, 13, 14], "B": [12] * 7})
    frame = _sessions_csv(world)
    assert frame["session"].tolist() == [str(n) for n in (1, 1, 2, 2, 3, 3, 4, 4)]
    assert frame["outcome"].tolist()[::2] == ["11", "12", "13", "14"]


@pytest.mark.parametrize("name", ["therapist", "partner_a", "admin", "stranger"])
@pytest.mark.django_db
def test_nobody_but_the_studys_researcher_gets_the_file(world: World, name: str) -> None:
    add_sessions(world.case, world.therapist, {"A": [8], "B": [9]}, {"A": [7]})
    response = client_for(world.person(name)).post(
        reverse("research:export", args=[world.study.pk]),
        {"format": "csv", "request_id": str(uuid.uuid4())},
    )
    assert response.status_code in (302, 403, 404)
    assert response.get("Content-Type") != "application/zip"


def test_every_column_of_the_file_has_a_codebook_line() -> None:
    for free_text in (False, True):
        shape = layout(free_text)
        named = {variable.name: variable for variable in shape.codebook}
        for column in shape.tables()["sessions"]:
            assert table.FILE in named[column].files, column


def test_rows_refuse_what_cannot_be_right() -> None:
    alliance = (5, 5, 5, 5)
    good = ("A", 1, 0, True, "csi-4", 10, None, alliance)
    assert table.rows("D1", [good])[0][:4] == ["D1", "D1-A", "A", 1]
    for bad in (
        ("C", 1, 0, True, "csi-4", 10, None, alliance),
        ("A", 1, 0, True, "csi-4", 10, "better", alliance),
        ("A", 1, 0, True, "csi-4", 10, None, (11, 5, 5, 5)),
        ("A", 1, 0, True, "csi-4", 10.5, None, alliance),
        ("A", 1, 0, True, "csi-4", 10, None, (5, 5)),
    ):
        with pytest.raises(ValueError):
            table.rows("D1", [bad])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        table.rows("D1", [good, good])


def test_statuses_are_coded_as_the_codebook_says() -> None:
    entry = ("B", 2, 7, None, "x", 20, "deteriorated", (None, None, None, None))
    row = table.rows("D1", [entry], csv=True)[0]
    codes = dict(table.STATUSES[i][:2] for i in range(4))
    assert codes[int(row[8])] == "deteriorated"
    assert row[5] == ""  # attendance not recorded
