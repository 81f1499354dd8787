"""The SPSS files of the streamed export: read back block by block with pyarrow and
assembled column by column, they are the files the writer makes of the same tables in
memory (pandas), byte for byte, and ReadStat reads back the tables (no database)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from hypothesis import HealthCheck, given, settings

from dyade.clinic.research import DiaryRow, build, couple_tables, layout
from dyade.research import writers
from dyade.research.files import ExportFiles
from dyade.research.sav import text_matrix
from tests.clinic.test_research import stored
from tests.research.test_stream import NOTES, ROWS, START

# The file header's creation date and time (bytes 92 to 108): the only bytes that may
# differ between two files of the same table written a moment apart.
STAMP = slice(92, 109)


def _without_stamp(data: bytes) -> bytes:
    return data[: STAMP.start] + data[STAMP.stop :]


def _streamed(rows: list[DiaryRow], free_text: bool, tmp: Path) -> zipfile.ZipFile:
    """The SPSS export as the service writes it: couple by couple, in pseudonym order."""
    tmp.mkdir(parents=True, exist_ok=True)
    shape = layout(free_text)
    by_dyad: dict[str, list[tuple[object, ...]]] = {}
    for row in rows:
        values = (row.values.get(name) for name in shape.source)
        by_dyad.setdefault(row.dyad, []).append((row.role, row.date, *values))
    out = io.BytesIO()
    files = ExportFiles(shape, "sav", "nl", tmp)
    for dyad in sorted(by_dyad):
        files.add(couple_tables(shape, dyad, by_dyad[dyad], csv=True))
    files.finish("readme", out)
    return zipfile.ZipFile(out)


def _in_memory(frame: pd.DataFrame, free_text: bool, name: str) -> bytes:
    """The same table written by the writer straight from pandas (no CSV in between)."""
    by_name = {variable.name: variable for variable in layout(free_text).codebook}
    variables = [by_name[str(column)] for column in frame.columns]
    return writers.sav_bytes(frame, variables, "nl", file_label=f"Dyade diary study: {name}")


@pytest.mark.parametrize(
    ("texts", "capacity"),
    [
        (["ab", "", "é", "abcdef", "a\0b", "😊x"], 4),
        (["", "", ""], 3),
        (["x" * 300, "y"], 255),
        ([], 5),
    ],
)
def test_text_matrix_pads_with_spaces_and_cuts_at_the_capacity(
    texts: list[str], capacity: int
) -> None:
    encoded = [text.encode("utf-8") for text in texts]
    offsets = np.cumsum([0, *map(len, encoded)])
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    matrix = text_matrix(data, offsets, capacity)
    expected = [raw[:capacity].replace(b"\0", b" ").ljust(capacity, b" ") for raw in encoded]
    assert matrix.shape == (len(texts), capacity)
    assert [row.tobytes() for row in matrix] == expected


def test_text_matrix_reads_from_an_offset_into_the_bytes() -> None:
    # An Arrow array cut from a longer one starts its offsets past zero.
    data = np.frombuffer(b"skipped" + b"abc" + b"de", dtype=np.uint8)
    matrix = text_matrix(data, np.array([7, 10, 12]), 3)
    assert [row.tobytes() for row in matrix] == [b"abc", b"de "]


def _diary(rows) -> list[DiaryRow]:  # type: ignore[no-untyped-def]
    return [
        DiaryRow(dyad, role, START + dt.timedelta(days=day), values)
        for dyad, role, day, values in rows
    ]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROWS)
def test_streamed_sav_is_the_file_of_the_tables_in_memory(rows, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    diary = _diary(rows)
    for free_text in (False, True):
        dataset = build(diary, free_text=free_text)
        archive = _streamed(diary, free_text, tmp_path / str(free_text))
        for name in ("long", "pairwise", "dyad"):
            frame = dataset.frames()[name]
            streamed = archive.read(f"{name}.sav")
            assert _without_stamp(streamed) == _without_stamp(_in_memory(frame, free_text, name)), (
                name
            )


def test_sav_read_back_in_small_blocks_is_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    couples = [f"D{n:010X}" for n in range(30)]
    diary = [
        DiaryRow(
            dyad,
            role,
            START + dt.timedelta(days=day),
            stored(closeness=day % 11, note=NOTES[(day + n) % len(NOTES)]),
        )
        for n, dyad in enumerate(couples)
        for role in "AB"
        for day in range(5)
    ]
    whole = _streamed(diary, True, tmp_path / "whole")
    monkeypatch.setattr(writers, "BLOCK_BYTES", 2_000)  # a few couples per block
    blocks = _streamed(diary, True, tmp_path / "blocks")
    for name in ("long", "pairwise", "dyad"):
        one, many = whole.read(f"{name}.sav"), blocks.read(f"{name}.sav")
        assert _without_stamp(many) == _without_stamp(one), name
    path = tmp_path / "long.sav"
    path.write_bytes(blocks.read("long.sav"))
    long, _ = pyreadstat.read_sav(str(path))
    in_order = sorted(diary, key=lambda row: (row.dyad, row.date, row.role))  # as in long
    assert len(long) == len(diary)
    assert long["closeness"].tolist() == [row.values["closeness"] for row in in_order]
    assert long["person"].tolist() == [f"{row.dyad}-{row.role}" for row in in_order]
    assert [text.rstrip(" ") for text in long["note"]] == [
        str(row.values["note"]).rstrip(" ") for row in in_order
    ]
