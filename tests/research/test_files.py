"""The research export's ZIP: CSV, Parquet and SPSS files read back (no database)."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyreadstat
import pytest

from dyade.clinic.research import Dataset, DiaryRow, build
from dyade.research.files import FORMATS, bundle
from tests.clinic.test_research import stored

COUPLE = "D1111111111"
# A long note with letters of two, three and four bytes in UTF-8: the SPSS string
# variable must be wide enough in bytes, not in characters. (No trailing space: SPSS
# pads strings with spaces and so cannot keep one.)
LONG_NOTE = " ".join(["Vandaag één ruzie – daarna 😊"] * 100)
README = "Dagboekstudie: lees eerst de codebook.csv (één regel per kolom)."


ROWS = (
    DiaryRow(
        COUPLE,
        "A",
        dt.date(2026, 3, 2),  # a Monday: day 0
        stored(
            closeness=7,
            sexual_contact=True,
            contact_kind="touch",
            bid_answer="accepted",
            sexual_satisfaction=8,
            note=LONG_NOTE,
        ),
    ),
    DiaryRow(
        COUPLE,
        "B",
        dt.date(2026, 3, 2),
        stored(closeness=2, sexual_contact=True, bid_answer="loving-boundary"),
    ),
    DiaryRow(COUPLE, "B", dt.date(2026, 3, 5), stored(closeness=9, conflict=True, note="kort")),
)
DATES = [row.date.isoformat() for row in ROWS]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return build(ROWS, free_text=True)


def _open(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def _sav(archive: zipfile.ZipFile, name: str, tmp_path: Path) -> tuple[pd.DataFrame, Any]:
    path = tmp_path / name
    path.write_bytes(archive.read(name))
    return pyreadstat.read_sav(str(path))


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_zip_holds_four_tables_a_codebook_and_the_readme(dataset: Dataset, fmt: str) -> None:
    archive = _open(bundle(dataset, fmt, language="en", readme=README))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == sorted(
        [
            "README.txt",
            "codebook.csv",
            f"long.{fmt}",
            f"pairwise.{fmt}",
            f"dyad.{fmt}",
            f"sessions.{fmt}",
        ]
    )
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
    assert archive.read("README.txt").decode("utf-8") == README


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_diary_date_in_any_file(dataset: Dataset, fmt: str) -> None:
    archive = _open(bundle(dataset, fmt, language="nl", readme=README))
    for name in archive.namelist():
        data = archive.read(name)
        for date in DATES:
            assert date.encode() not in data, (name, date)


def test_unknown_format_or_language_is_refused(dataset: Dataset) -> None:
    with pytest.raises(ValueError, match="format"):
        bundle(dataset, "xlsx", language="en", readme="")
    with pytest.raises(ValueError, match="language"):
        bundle(dataset, "csv", language="fr", readme="")


def test_csv_reads_back_with_empty_cells_for_missing(dataset: Dataset) -> None:
    archive = _open(bundle(dataset, "csv", language="en", readme=README))
    long = pd.read_csv(io.BytesIO(archive.read("long.csv")), encoding="utf-8")
    assert list(long.columns) == list(dataset.long.columns)  # no index column
    assert long["person"].tolist() == [f"{COUPLE}-A", f"{COUPLE}-B", f"{COUPLE}-B"]
    assert long["day"].tolist() == [0, 0, 3]
    assert long["weekday"].tolist() == [1, 1, 4]
    assert long["closeness"].tolist() == [7, 2, 9]
    assert long["bid_answer"].tolist()[:2] == [2, 3]
    assert long["note"].tolist()[0] == LONG_NOTE
    assert math.isnan(long["sexual_satisfaction"].tolist()[1])
    header, first = archive.read("long.csv").decode("utf-8").splitlines()[:2]
    assert first.startswith(f"{COUPLE},{COUPLE}-A,A,0,1,7,")
    assert header.startswith("dyad,person,role,day,weekday,closeness,")
    # B's own ratings on day 3 are there, A's cells on that day are empty in pairwise
    pairwise = pd.read_csv(io.BytesIO(archive.read("pairwise.csv")))
    a_day_3 = pairwise[(pairwise["role"] == "A") & (pairwise["day"] == 3)]
    assert a_day_3["closeness"].isna().all()
    assert a_day_3["closeness_p"].tolist() == [9]
    assert ",," in archive.read("dyad.csv").decode("utf-8")


def test_codebook_csv_has_the_agreed_columns_in_the_chosen_language(dataset: Dataset) -> None:
    archive = _open(bundle(dataset, "csv", language="nl", readme=README))
    codebook = pd.read_csv(
        io.BytesIO(archive.read("codebook.csv")), dtype=str, keep_default_na=False
    )
    assert list(codebook.columns) == [
        "name",
        "files",
        "type",
        "measure",
        "label",
        "label_en",
        "label_nl",
        "values",
        "missing",
    ]
    assert codebook["name"].tolist() == [variable.name for variable in dataset.codebook]
    bid = codebook.set_index("name").loc["bid_answer"]
    assert bid["values"] == (
        "1 = geen toenadering; 2 = erop ingegaan; 3 = liefdevolle grens; 4 = afgewezen"
    )
    assert bid["label"] == bid["label_nl"] != bid["label_en"]
    assert bid["files"] == "long; pairwise"
    assert bid["type"] == "numeric"
    assert bid["missing"].startswith("Leeg als")
    english = _open(bundle(dataset, "csv", language="en", readme=README))
    codebook_en = pd.read_csv(io.BytesIO(english.read("codebook.csv")), dtype=str)
    assert codebook_en.set_index("name").loc["sexual_contact", "values"] == "0 = no; 1 = yes"


def test_parquet_keeps_whole_numbers_with_nulls(dataset: Dataset) -> None:
    archive = _open(bundle(dataset, "parquet", language="en", readme=README))
    table = pq.read_table(io.BytesIO(archive.read("pairwise.parquet")))
    assert pa.types.is_integer(table.schema.field("closeness").type)
    assert pa.types.is_integer(table.schema.field("closeness_p").type)
    assert pa.types.is_string(table.schema.field("person").type) or pa.types.is_large_string(
        table.schema.field("person").type
    )
    assert table.column("closeness").null_count == 1  # A wrote nothing on day 3
    long = pd.read_parquet(io.BytesIO(archive.read("long.parquet")))
    assert list(long.columns) == list(dataset.long.columns)
    assert long["closeness"].tolist() == [7, 2, 9]
    assert long["note"].tolist()[0] == LONG_NOTE
    assert pd.isna(long["sexual_satisfaction"].tolist()[1])
    dyad = pd.read_parquet(io.BytesIO(archive.read("dyad.parquet")))
    assert dyad["closeness_A"].tolist()[0] == 7
    assert pd.isna(dyad["closeness_A"].tolist()[1])


def test_sav_keeps_values_labels_and_missing(dataset: Dataset, tmp_path: Path) -> None:
    archive = _open(bundle(dataset, "sav", language="nl", readme=README))
    long, meta = _sav(archive, "long.sav", tmp_path)
    assert list(long.columns) == list(dataset.long.columns)
    assert long["closeness"].tolist() == [7, 2, 9]
    assert long["weekday"].tolist() == [1, 1, 4]
    assert long["person"].tolist()[2] == f"{COUPLE}-B"
    assert long["note"].tolist() == [LONG_NOTE, "", "kort"]  # the long note is not cut off
    assert math.isnan(long["sexual_satisfaction"].tolist()[1])  # a missing rating stays missing
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["desire"].startswith("Seksueel verlangen")
    assert labels["weekday"].startswith("Dag van de week")
    value_labels = meta.variable_value_labels
    assert value_labels["bid_answer"] == {
        1: "geen toenadering",
        2: "erop ingegaan",
        3: "liefdevolle grens",
        4: "afgewezen",
    }
    assert value_labels["sexual_contact"] == {0: "nee", 1: "ja"}
    assert value_labels["weekday"][7] == "zondag"
    measure = meta.variable_measure
    assert (measure["closeness"], measure["bid_answer"], measure["role"]) == (
        "scale",
        "nominal",
        "nominal",
    )
    pairwise, meta_p = _sav(archive, "pairwise.sav", tmp_path)
    assert dict(zip(meta_p.column_names, meta_p.column_labels, strict=True))[
        "closeness_p"
    ].endswith("(partner)")
    a_day_3 = pairwise[(pairwise["role"] == "A") & (pairwise["day"] == 3)]
    assert math.isnan(a_day_3["closeness"].iloc[0])
    assert a_day_3["closeness_p"].iloc[0] == 9


def test_sav_labels_in_english(dataset: Dataset, tmp_path: Path) -> None:
    archive = _open(bundle(dataset, "sav", language="en", readme=README))
    _, meta = _sav(archive, "dyad.sav", tmp_path)
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["closeness_B"].endswith("(partner B)")
    assert meta.variable_value_labels["bid_answer_A"][3] == "loving boundary"


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_study_still_gives_readable_files(fmt: str, tmp_path: Path) -> None:
    empty = build([], free_text=False)
    archive = _open(bundle(empty, fmt, language="en", readme=""))
    name = f"long.{fmt}"
    if fmt == "csv":
        long = pd.read_csv(io.BytesIO(archive.read(name)))
    elif fmt == "parquet":
        long = pd.read_parquet(io.BytesIO(archive.read(name)))
    else:
        long, _ = _sav(archive, name, tmp_path)
    assert len(long) == 0
    assert list(long.columns) == list(empty.long.columns)
