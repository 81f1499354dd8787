"""The streamed export writes what the tables in memory hold, byte for byte (no database)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pyreadstat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyade.clinic.diary import FIELDS, SCALE_MAX, SCALE_MIN, FieldKind
from dyade.clinic.research import DiaryRow, build, couple_tables, layout
from dyade.clinic.research.stream import encode
from dyade.research import writers
from dyade.research.files import ExportFiles, csv_bytes
from tests.clinic.test_research import stored

START = dt.date(2026, 3, 2)
# Notes that trip up CSV writers and readers; no lone carriage return here, which
# Python's csv module (and so pandas) leaves unquoted: see the test below.
NOTES = ["", "NA", "None", "null", " spaces ", 'say "hi"', "a,b", "two\nlines", "win\r\nline", "😊"]


def _value(field):  # type: ignore[no-untyped-def]
    if field.kind is FieldKind.SCALE:
        values = st.integers(SCALE_MIN, SCALE_MAX)
        return st.none() | values if field.optional else values
    if field.kind is FieldKind.YES_NO:
        return st.booleans()
    if field.kind is FieldKind.CHOICE:
        return st.sampled_from(("", *field.codes))
    return st.sampled_from(NOTES)


ENTRY = st.fixed_dictionaries({field.name: _value(field) for field in FIELDS})
ROWS = st.lists(
    st.tuples(
        st.sampled_from(["D0000000001", "D00000000FF", "DAAAAAAAAAA"]),
        st.sampled_from("AB"),
        st.integers(0, 40),
        ENTRY,
    ),
    max_size=40,
    unique_by=lambda row: row[:3],
)


def _streamed(rows: list[DiaryRow], free_text: bool, fmt: str, tmp: Path) -> zipfile.ZipFile:
    """The export as the service writes it: couple by couple, in pseudonym order."""
    tmp.mkdir(parents=True, exist_ok=True)
    shape = layout(free_text)
    by_dyad: dict[str, list[tuple[object, ...]]] = {}
    for row in rows:
        values = (row.values.get(name) for name in shape.source)
        by_dyad.setdefault(row.dyad, []).append((row.role, row.date, *values))
    out = io.BytesIO()
    files = ExportFiles(shape, fmt, "en", tmp)
    for dyad in sorted(by_dyad):
        files.add(couple_tables(shape, dyad, by_dyad[dyad], csv=True))
    files.finish("readme", out)
    return zipfile.ZipFile(out)


def _diary(rows) -> list[DiaryRow]:  # type: ignore[no-untyped-def]
    return [
        DiaryRow(dyad, role, START + dt.timedelta(days=day), values)
        for dyad, role, day, values in rows
    ]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROWS, free_text=st.booleans())
def test_streamed_csv_is_what_pandas_writes_of_the_tables(
    rows, free_text: bool, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    diary = _diary(rows)
    dataset = build(diary, free_text=free_text)
    archive = _streamed(diary, free_text, "csv", tmp_path)
    for name, frame in dataset.frames().items():
        assert archive.read(f"{name}.csv") == csv_bytes(frame), name


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROWS)
def test_streamed_parquet_holds_the_tables(rows, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    diary = _diary(rows)
    dataset = build(diary, free_text=True)
    archive = _streamed(diary, True, "parquet", tmp_path)
    for name, frame in dataset.frames().items():
        back = pd.read_parquet(io.BytesIO(archive.read(f"{name}.parquet")))
        pd.testing.assert_frame_equal(back, frame, check_dtype=False)
        assert [str(dtype) for dtype in back.dtypes] == [str(dtype) for dtype in frame.dtypes]


def test_awkward_notes_come_back_from_every_format(tmp_path: Path) -> None:
    notes = [*NOTES, "lone\rreturn"]
    diary = [
        DiaryRow("D0000000001", "A", START + dt.timedelta(days=day), stored(note=note))
        for day, note in enumerate(notes)
    ]
    expected = [note or None for note in notes]
    csv_long = pd.read_csv(
        io.BytesIO(_streamed(diary, True, "csv", tmp_path / "c").read("long.csv")),
        dtype=str,
        keep_default_na=False,
    )
    assert csv_long["note"].tolist() == [note or "" for note in notes]
    parquet = _streamed(diary, True, "parquet", tmp_path / "p").read("long.parquet")
    assert [None if pd.isna(v) else v for v in pd.read_parquet(io.BytesIO(parquet))["note"]] == (
        expected
    )
    (tmp_path / "long.sav").write_bytes(
        _streamed(diary, True, "sav", tmp_path / "s").read("long.sav")
    )
    sav, _ = pyreadstat.read_sav(str(tmp_path / "long.sav"))
    assert [text.rstrip(" ") for text in sav["note"]] == [note.rstrip(" ") for note in notes]


@pytest.mark.parametrize("field", FIELDS, ids=[field.name for field in FIELDS])
@pytest.mark.parametrize(
    "value", [None, "", 0, 1, 5, 10, 11, -1, True, False, "7", "touch", "me", "x", 2.0, b"1"]
)
def test_the_fast_encoder_agrees_with_the_rules(field, value: object) -> None:  # type: ignore[no-untyped-def]
    shape = layout(True)
    entry = (
        "A",
        START,
        *(value if name == field.name else stored()[name] for name in shape.source),
    )
    try:
        expected = encode(field, value)
    except ValueError:
        with pytest.raises(ValueError, match=field.name):
            couple_tables(shape, "DX", [entry])
        return
    row = couple_tables(shape, "DX", [entry]).long[0]
    assert row[shape.long.index(field.name)] == expected


def test_parquet_is_written_block_by_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    couples = [f"D{n:010X}" for n in range(30)]
    rows = [(dyad, role, day, stored()) for dyad in couples for role in "AB" for day in range(5)]
    diary = _diary(rows)
    whole = _streamed(diary, False, "parquet", tmp_path / "whole")
    monkeypatch.setattr(writers, "BLOCK_BYTES", 2_000)  # a few couples per block
    blocks = _streamed(diary, False, "parquet", tmp_path / "blocks")
    for name in ("long", "pairwise", "dyad"):
        one = pq.ParquetFile(io.BytesIO(whole.read(f"{name}.parquet")))
        many = pq.ParquetFile(io.BytesIO(blocks.read(f"{name}.parquet")))
        assert one.num_row_groups == 1 and many.num_row_groups > 3
        assert many.read().equals(one.read())
