"""An SPSS system file (``.sav``) written while the rows stream in.

pyreadstat, the SPSS writer Dyade used before, needs the whole table in memory.
This writer follows the system file format as GNU PSPP documents it (PSPP
Developers Guide, "System File Format"): the dictionary first, then the cases
uncompressed, one block at a time, and the number of cases written into the
header when the file is closed. Memory holds one block.

What it writes:

* the file header (layout 2, uncompressed, bias 100);
* one variable record per variable, and per 8 bytes of a string after the
  first 8 a continuation record; a string wider than 255 bytes (a *very long
  string*) as segments of 255 bytes each but the last, the way SPSS does;
* the variable label, the print and write format (``F8.0`` for numbers,
  ``A<width>`` for text) and the value labels of coded numbers;
* machine integer and floating-point information (IEEE, little-endian, UTF-8),
  the measurement levels (variable display record), the long variable names,
  the very long string map and the character encoding ("UTF-8").

A string variable is as wide as its longest value in UTF-8 bytes (at least 1),
so the widths must be known before the first case: the caller passes them.
SPSS pads text with spaces, so a value's trailing spaces are not kept.
"""

from __future__ import annotations

import datetime as dt
import math
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from dyade.clinic.research import Variable

SYSMIS = -np.finfo(np.float64).max  # SPSS's system-missing value
HIGHEST = np.finfo(np.float64).max
LOWEST = float(np.nextafter(-np.finfo(np.float64).max, 0))
SEGMENT = 255  # widest string segment; a very long string has one per 252 bytes of width
NUMBER_FORMAT = (5 << 16) | (8 << 8)  # F8.0
MEASURES = {"nominal": 1, "ordinal": 2, "scale": 3}
CASES_AT = 80  # byte offset of the number of cases in the file header
UTF8_CODE_PAGE = 65001


def _slots(width: int) -> int:
    """How many 8-byte slots a string segment of ``width`` bytes takes."""
    return max(1, math.ceil(width / 8))


def segment_widths(width: int) -> list[int]:
    """The widths of a string's segments (one unless it is wider than 255 bytes)."""
    if width <= SEGMENT:
        return [width]
    count = math.ceil(width / 252)
    return [SEGMENT] * (count - 1) + [width - (count - 1) * 252]


def _cut(value: str, size: int) -> bytes:
    """``value`` in UTF-8, at most ``size`` bytes, without splitting a character."""
    return value.encode("utf-8")[:size].decode("utf-8", "ignore").encode("utf-8")


def _text(value: str, size: int) -> bytes:
    """``value`` in UTF-8 as exactly ``size`` bytes, padded with spaces."""
    return _cut(value, size).ljust(size, b" ")


def _padded_label(value: str, limit: int, multiple: int) -> tuple[int, bytes]:
    raw = _cut(value, limit)
    size = math.ceil(len(raw) / multiple) * multiple
    return len(raw), raw.ljust(size, b" ")


@dataclass(frozen=True)
class _Column:
    variable: Variable
    short: str  # the 8-byte name of its first segment
    width: int  # 0 for a number, else the string's width in bytes
    segments: tuple[str, ...]  # short names of every segment
    first_slot: int  # 1-based dictionary index of the first segment


class SavWriter:
    """Write one table: ``SavWriter(...)``, then :meth:`write` blocks, then :meth:`close`."""

    def __init__(
        self,
        path: Path,
        variables: Sequence[Variable],
        *,
        language: str,
        widths: Mapping[str, int],
        file_label: str = "",
        now: dt.datetime | None = None,
    ) -> None:
        self.path = path
        self.language = language
        self.columns = self._layout(variables, widths)
        self.case_size = sum(_total_slots(column.width) for column in self.columns)
        self._number_slots = np.array(
            [column.first_slot - 1 for column in self.columns if not column.width], dtype=np.intp
        )
        self.cases = 0
        self._handle: BinaryIO = path.open("wb")
        self._write_dictionary(file_label, now or dt.datetime.now())

    # --- the dictionary ----------------------------------------------------------------------

    @staticmethod
    def _layout(variables: Sequence[Variable], widths: Mapping[str, int]) -> list[_Column]:
        columns = []
        number = 0  # short names V1, V2, ... one per segment
        slot = 1  # 1-based index of the next 8-byte slot in a case
        for variable in variables:
            width = max(1, int(widths.get(variable.name, 1))) if variable.type == "string" else 0
            segments = segment_widths(width) if width else [0]
            names = tuple(f"V{number + index + 1}" for index in range(len(segments)))
            number += len(segments)
            columns.append(_Column(variable, names[0], width, names, slot))
            slot += sum(_slots(segment) for segment in segments) if width else 1
        return columns

    def _write_dictionary(self, file_label: str, now: dt.datetime) -> None:
        out = self._handle
        out.write(b"$FL2")
        out.write(_text("@(#) SPSS DATA FILE Dyade", 60))
        out.write(struct.pack("<5i", 2, self.case_size, 0, 0, -1))
        out.write(struct.pack("<d", 100.0))
        out.write(now.strftime("%d %b %y").encode("ascii"))
        out.write(now.strftime("%H:%M:%S").encode("ascii"))
        out.write(_text(file_label, 64))
        out.write(b"\0\0\0")
        for column in self.columns:
            self._write_variable(column)
        self._write_value_labels()
        self._write_extensions()
        out.write(struct.pack("<2i", 999, 0))

    def _write_variable(self, column: _Column) -> None:
        out = self._handle
        label = column.variable.label(self.language)
        widths = segment_widths(column.width) if column.width else [0]
        for index, (name, width) in enumerate(zip(column.segments, widths, strict=True)):
            has_label = 1 if index == 0 and label else 0
            fmt = (1 << 16) | (width << 8) if column.width else NUMBER_FORMAT
            out.write(struct.pack("<6i", 2, width, has_label, 0, fmt, fmt))
            out.write(_text(name, 8))
            if has_label:
                size, raw = _padded_label(label, 255, 4)
                out.write(struct.pack("<i", size) + raw)
            for _ in range(_slots(width) - 1 if column.width else 0):
                out.write(struct.pack("<6i", 2, -1, 0, 0, 0, 0) + b" " * 8)

    def _write_value_labels(self) -> None:
        out = self._handle
        for column in self.columns:
            labels = column.variable.value_labels(self.language) if not column.width else {}
            if not labels:
                continue
            out.write(struct.pack("<2i", 3, len(labels)))
            for code, text in labels.items():
                size, raw = _padded_label(text, 120, 1)
                record = struct.pack("<d", float(code)) + bytes([size]) + raw
                out.write(record.ljust(8 + math.ceil((1 + size) / 8) * 8, b" "))
            out.write(struct.pack("<3i", 4, 1, column.first_slot))

    def _extension(self, subtype: int, size: int, payload: bytes) -> None:
        self._handle.write(struct.pack("<4i", 7, subtype, size, len(payload) // size) + payload)

    def _write_extensions(self) -> None:
        self._extension(3, 4, struct.pack("<8i", 1, 0, 0, -1, 1, 1, 2, UTF8_CODE_PAGE))
        self._extension(4, 8, struct.pack("<3d", SYSMIS, HIGHEST, LOWEST))
        display = b""
        for column in self.columns:
            measure = MEASURES.get(column.variable.measure, 0)
            width = 8 if not column.width else min(column.width, 40)
            alignment = 1 if not column.width else 0  # numbers right, text left
            for _ in column.segments:
                display += struct.pack("<3i", measure, width, alignment)
        self._extension(11, 4, display)
        names = "\t".join(f"{c.short}={c.variable.name}" for c in self.columns)
        self._extension(13, 1, names.encode("utf-8"))
        long_strings = "".join(
            f"{c.short}={c.width:05d}\0\t" for c in self.columns if c.width > SEGMENT
        )
        if long_strings:
            self._extension(14, 1, long_strings.encode("ascii"))
        self._extension(20, 1, b"UTF-8")

    # --- the cases ---------------------------------------------------------------------------

    @property
    def numbers(self) -> list[str]:
        """The names of the numeric variables, in the order :meth:`write_columns` takes them."""
        return [column.variable.name for column in self.columns if not column.width]

    @property
    def texts(self) -> list[tuple[str, int]]:
        """The text variables and the bytes each holds, in the order :meth:`write_columns`
        takes them (as wide as the variable; wider than it when it has several segments)."""
        return [
            (column.variable.name, _capacity(column.width))
            for column in self.columns
            if column.width
        ]

    def write(self, frame: pd.DataFrame) -> None:
        """Append the rows of ``frame``: numbers (NaN or NA when missing) and text (None,
        NA or "" when empty)."""
        numbers = [
            pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="<f8", na_value=np.nan)
            for name in self.numbers
        ]
        texts = []
        for name, capacity in self.texts:
            cells = [
                value.encode("utf-8") if isinstance(value, str) else b"" for value in frame[name]
            ]
            lengths = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
            offsets = np.concatenate(([0], np.cumsum(lengths)))
            data = np.frombuffer(b"".join(cells), dtype=np.uint8)
            texts.append(text_matrix(data, offsets, capacity))
        self.write_columns(numbers, texts, rows=len(frame))

    def write_columns(
        self, numbers: Sequence[np.ndarray], texts: Sequence[np.ndarray], *, rows: int
    ) -> None:
        """Append ``rows`` cases given column by column.

        ``numbers`` holds one float array per name in :attr:`numbers` (NaN when missing);
        ``texts`` one matrix of bytes per text variable in :attr:`texts`, a row per case and
        as many columns as the variable holds, padded with spaces (see :func:`text_matrix`).
        """
        if rows == 0:
            return
        case = np.empty((rows, self.case_size), dtype="<f8")
        if numbers:
            block = np.column_stack(numbers).astype("<f8", copy=False)
            case[:, self._number_slots] = np.where(np.isnan(block), SYSMIS, block)
        raw = case.view(np.uint8)  # each case as its bytes, 8 per slot
        for column, text in zip((c for c in self.columns if c.width), texts, strict=True):
            offset = (column.first_slot - 1) * 8
            start = 0
            for width in segment_widths(column.width):
                stored = _slots(width) * 8
                raw[:, offset : offset + width] = text[:, start : start + width]
                raw[:, offset + width : offset + stored] = 32
                offset += stored
                start += width
        self._handle.write(case.data)
        self.cases += rows

    def close(self) -> None:
        self._handle.seek(CASES_AT)
        self._handle.write(struct.pack("<i", self.cases))
        self._handle.close()


def _total_slots(width: int) -> int:
    return sum(_slots(segment) for segment in segment_widths(width)) if width else 1


def _capacity(width: int) -> int:
    """The bytes of text a string of ``width`` holds over its segments."""
    widths = segment_widths(width)
    return SEGMENT * (len(widths) - 1) + widths[-1]


def text_matrix(data: np.ndarray, offsets: np.ndarray, capacity: int) -> np.ndarray:
    """Texts as a matrix of bytes, a row per text, ``capacity`` columns, padded with spaces.

    ``data`` holds the UTF-8 bytes of all texts one after the other and text ``i``
    runs from ``offsets[i]`` to ``offsets[i + 1]`` (the layout of an Arrow binary
    array). A text longer than ``capacity`` is cut; a NUL byte becomes a space, as
    SPSS pads with spaces.
    """
    rows = len(offsets) - 1
    lengths = np.diff(offsets)
    out = np.full((rows, capacity), 32, dtype=np.uint8)
    if rows == 0 or capacity == 0:
        return out
    source = data[offsets[0] : offsets[-1]]
    cut = np.minimum(lengths, capacity)
    if int(lengths.max()) > capacity:  # keep each text's first ``capacity`` bytes only
        within = np.arange(len(source)) - np.repeat(offsets[:-1] - offsets[0], lengths)
        source = source[within < capacity]
    out[np.arange(capacity) < cut[:, None]] = source
    out[out == 0] = 32
    return out
