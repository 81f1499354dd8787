"""Dyade's streaming SPSS writer against the format's documentation and ReadStat.

The reference for the format is the PSPP Developers Guide, "System File
Format" (GNU PSPP); ReadStat (through pyreadstat) is an independent reader and
writer of the same format: a file from Dyade's writer must read back as the
same data and dictionary as the file pyreadstat writes from the same table.
"""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from dyade.clinic.research.model import Variable
from dyade.research.sav import SavWriter, segment_widths

VARIABLES = [
    Variable("couple", "Couple", "Koppel", "numeric", "nominal", ("long",)),
    Variable(
        "mood",
        "Mood today",
        "Stemming vandaag",
        "numeric",
        "ordinal",
        ("long",),
        values=((1, "low", "laag"), (2, "high", "hoog")),
    ),
    Variable("minutes", "Minutes", "Minuten", "numeric", "scale", ("long",)),
    Variable("note", "Note", "Notitie", "string", "nominal", ("long",)),
    Variable("tag", "Tag", "Label", "string", "nominal", ("long",)),
]
TABLE = pd.DataFrame(
    {
        "couple": [1.0, 2.0, 3.0, 4.0],
        "mood": [1.0, np.nan, 2.0, 1.0],
        "minutes": [12.0, 0.0, np.nan, 1234567.0],
        # A very long string in two-byte characters, one that ends a segment in the middle of
        # a character, text with a comma and quotes, and an empty note.
        "note": ["é" * 400, "x" * 254 + "ë" + "y" * 300, 'say "hi", then go', ""],
        "tag": ["a", "bb", "", "😊"],
    }
)
NOW = dt.datetime(2026, 12, 2, 9, 30, 0)


def widths(frame: pd.DataFrame) -> dict[str, int]:
    return {
        name: max(1, int(frame[name].str.encode("utf-8").str.len().max()))
        for name in ("note", "tag")
    }


def ours(path: Path, frame: pd.DataFrame, language: str = "en", blocks: int = 1) -> Path:
    writer = SavWriter(
        path, VARIABLES, language=language, widths=widths(TABLE), file_label="study", now=NOW
    )
    for block in np.array_split(np.arange(len(frame)), blocks):
        writer.write(frame.iloc[block])
    writer.close()
    return path


def theirs(path: Path, language: str = "en") -> Path:
    numeric = [v for v in VARIABLES if v.type == "numeric"]
    pyreadstat.write_sav(
        TABLE,
        str(path),
        file_label="study",
        column_labels={v.name: v.label(language) for v in VARIABLES},
        variable_value_labels={
            v.name: {float(code): text for code, text in v.value_labels(language).items()}
            for v in numeric
            if v.values
        },
        variable_measure={v.name: v.measure for v in VARIABLES},
        variable_format={v.name: "F8.0" for v in numeric},
    )
    return path


@pytest.mark.parametrize("language", ["en", "nl"])
def test_reads_back_as_the_file_readstat_writes(tmp_path: Path, language: str) -> None:
    mine, my_meta = pyreadstat.read_sav(str(ours(tmp_path / "ours.sav", TABLE, language)))
    reference, meta = pyreadstat.read_sav(str(theirs(tmp_path / "theirs.sav", language)))
    pd.testing.assert_frame_equal(mine, reference)
    assert my_meta.column_labels == meta.column_labels
    assert my_meta.variable_value_labels == meta.variable_value_labels
    assert my_meta.variable_measure == meta.variable_measure
    assert my_meta.original_variable_types == meta.original_variable_types
    assert my_meta.file_label == meta.file_label == "study"
    assert my_meta.number_rows == len(TABLE)
    # And the data itself, against the table rather than against another writer.
    assert mine["note"].tolist() == TABLE["note"].tolist()
    assert mine["tag"].tolist() == TABLE["tag"].tolist()
    assert mine["mood"].isna().tolist() == [False, True, False, False]


def test_blocks_give_the_same_file_as_one_write(tmp_path: Path) -> None:
    whole = ours(tmp_path / "whole.sav", TABLE).read_bytes()
    blocked = ours(tmp_path / "blocks.sav", TABLE, blocks=3).read_bytes()
    assert blocked == whole


def test_the_header_holds_the_number_of_cases(tmp_path: Path) -> None:
    data = ours(tmp_path / "cases.sav", TABLE).read_bytes()
    assert data[:4] == b"$FL2"
    layout, case_size, compression, weight, cases = struct.unpack("<5i", data[64:84])
    assert (layout, compression, weight, cases) == (2, 0, 0, 4)
    # couple, mood, minutes: one slot each; note (400 two-byte characters, width 800) has
    # four segments of 255, 255, 255 and 44 bytes (32 + 32 + 32 + 6 slots); tag (an emoji,
    # width 4) one slot.
    assert case_size == 3 + 32 * 3 + 6 + 1


def test_an_empty_table_is_a_valid_file(tmp_path: Path) -> None:
    frame, meta = pyreadstat.read_sav(str(ours(tmp_path / "empty.sav", TABLE.iloc[:0])))
    assert len(frame) == 0 and meta.number_rows == 0
    assert list(frame.columns) == [v.name for v in VARIABLES]


def test_very_long_string_segments_follow_the_documented_example() -> None:
    # PSPP Developers Guide, "Very Long String Record": a string of width 20,000 has 80
    # segments; the first 79 have width 255 and the last 20,000 - 79 * 252 = 92.
    segments = segment_widths(20_000)
    assert len(segments) == 80
    assert segments[:79] == [255] * 79
    assert segments[-1] == 92
    assert segment_widths(255) == [255]
    assert segment_widths(256) == [255, 4]
