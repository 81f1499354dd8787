"""Writing the export's tables while the rows stream in, one file per table.

Every table is first written as CSV, batch by batch, as the couples come (the
rows arrive as CSV text, see :func:`dyade.clinic.research.couple_tables`), so
memory holds one batch. Then:

* CSV: that file is the table.
* Parquet: the CSV file is read back one block at a time (about
  :data:`BLOCK_BYTES` of CSV text, cut between couples where it was written),
  parsed by pyarrow and written as a row group with
  ``pyarrow.parquet.ParquetWriter``: memory holds one block. (pyarrow's own
  streaming CSV reader reads the whole file ahead, so it is not used.)
* SPSS (``.sav``): the CSV file is read back in the same blocks, parsed by
  pyarrow (numbers as floats, text as its UTF-8 bytes) and written with
  :class:`dyade.research.sav.SavWriter`, whose cases are assembled column by
  column in numpy: memory holds one block. SPSS declares each text column's
  width before the first case: the identifiers' widths are measured as the
  rows are written; a text column that arrives joined with others (the note)
  is measured in a first pass over the blocks.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator, Sequence
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from dyade.clinic.research import Variable, csv_text
from dyade.research.sav import SavWriter, text_matrix

BLOCK_BYTES = 1 << 20  # CSV text read back at once for Parquet (one row group), about


class CsvTable:
    """UTF-8, comma-separated, a header row, an empty cell for a missing value.

    It also notes where its rows can be cut into blocks of about
    :data:`BLOCK_BYTES` (always between two couples), so that the table can be
    read back one block at a time.
    """

    def __init__(self, path: Path, columns: Sequence[str], measured: Sequence[str] = ()) -> None:
        self.path = path
        # The longest cell of each ``measured`` column in UTF-8 bytes, as written (quotes
        # included: never less than the value), for an SPSS file's text widths.
        self._measured = [(name, list(columns).index(name)) for name in measured]
        # A column stays here only while every row gave it its own cell.
        self.widths = dict.fromkeys(measured, 1)
        self._file = path.open("wb")
        header = (",".join(csv_text(name) for name in columns) + "\n").encode("utf-8")
        self._file.write(header)
        self.header_size = self.size = len(header)
        self.blocks: list[tuple[int, int]] = []  # (start, end) in bytes

    def write(self, rows: Sequence[Sequence[object]]) -> None:
        """Rows of CSV text cells (see :func:`dyade.clinic.research.couple_tables`)."""
        if not rows:
            return
        # Measured on the distinct values: a couple's rows repeat its identifiers.
        shortest = min(map(len, rows))
        for name, index in list(self._measured):
            if shortest <= index:
                # Cells after the leading ones may arrive joined into one: not measurable.
                self._measured.remove((name, index))
                del self.widths[name]
                continue
            distinct = set(map(itemgetter(index), rows))
            longest = max(map(len, map(str.encode, map(str, distinct))))  # UTF-8 bytes
            if longest > self.widths[name]:
                self.widths[name] = longest
        data = ("\n".join(map(",".join, rows)) + "\n").encode("utf-8")  # type: ignore[arg-type]
        self._file.write(data)
        self.size += len(data)
        start = self.blocks[-1][1] if self.blocks else self.header_size
        if self.size - start >= BLOCK_BYTES:
            self.blocks.append((start, self.size))

    def close(self) -> CsvTable:
        start = self.blocks[-1][1] if self.blocks else self.header_size
        if self.size > start:
            self.blocks.append((start, self.size))
        self._file.close()
        return self

    def read_blocks(self, schema: pa.Schema, *, empty_text: bool = False) -> Iterator[pa.Table]:
        """The closed table back, one block at a time, in the types of ``schema``.

        Only an empty cell is missing: a note that reads "NA" stays "NA". With
        ``empty_text`` an empty text cell is an empty text instead of missing.
        """
        convert = pa_csv.ConvertOptions(
            column_types={field.name: field.type for field in schema},
            null_values=[""],
            strings_can_be_null=not empty_text,
            quoted_strings_can_be_null=False,
        )
        with self.path.open("rb") as source:
            header = source.read(self.header_size)
            for start, end in self.blocks:
                source.seek(start)
                yield pa_csv.read_csv(
                    io.BytesIO(header + source.read(end - start)),
                    read_options=pa_csv.ReadOptions(use_threads=False),
                    parse_options=pa_csv.ParseOptions(newlines_in_values=True),
                    convert_options=convert,
                )


def arrow_schema(variables: Sequence[Variable]) -> pa.Schema:
    """Whole numbers (with nulls) and text, with pandas' metadata so pandas reads
    ``Int64`` and ``string`` columns back, as from ``DataFrame.to_parquet``."""
    empty = pd.DataFrame(
        {
            variable.name: pd.array([], dtype="string" if variable.type == "string" else "Int64")
            for variable in variables
        }
    )
    return pa.Schema.from_pandas(empty, preserve_index=False)


def parquet_from_csv(table: CsvTable, target: Path, variables: Sequence[Variable]) -> None:
    """The Parquet file of a CSV table, one row group per block."""
    schema = arrow_schema(variables)
    with pq.ParquetWriter(str(target), schema) as writer:
        for block in table.read_blocks(schema):
            writer.write_table(block.cast(schema))


def _sav_schema(variables: Sequence[Variable]) -> pa.Schema:
    """Numbers as floats (SPSS stores every number so) and text as its UTF-8 bytes."""
    return pa.schema(
        (variable.name, pa.binary() if variable.type == "string" else pa.float64())
        for variable in variables
    )


def _binary_parts(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The bytes and the offsets of an Arrow binary array (see :func:`sav.text_matrix`)."""
    _validity, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[
        array.offset : array.offset + len(array) + 1
    ]
    if data_buffer is None:  # every text empty
        return np.zeros(0, dtype=np.uint8), np.zeros(len(array) + 1, dtype=np.int32)
    return np.frombuffer(data_buffer, dtype=np.uint8), offsets


def _string_widths(table: CsvTable, names: Sequence[str], schema: pa.Schema) -> dict[str, int]:
    """The longest value of each text column in UTF-8 bytes (a first pass over the CSV)."""
    widths = dict.fromkeys(names, 1)
    if not names:
        return widths
    for block in table.read_blocks(schema, empty_text=True):
        for name in names:
            longest = pc.max(pc.binary_length(block.column(name))).as_py()
            if longest is not None and longest > widths[name]:
                widths[name] = longest
    return widths


def sav_from_csv(
    table: CsvTable, target: Path, variables: Sequence[Variable], *, language: str, name: str
) -> None:
    """The SPSS file of a CSV table, read back and written one block of rows at a time.

    pyarrow parses each block (numbers as floats, text as its bytes) and the cases
    are assembled column by column (:meth:`SavWriter.write_columns`). The text
    widths are the ones the table measured while it was written, or else found in
    a first pass over the file.
    """
    schema = _sav_schema(variables)
    strings = [variable.name for variable in variables if variable.type == "string"]
    unmeasured = [name for name in strings if name not in table.widths]
    widths = {**table.widths, **_string_widths(table, unmeasured, schema)}
    writer = SavWriter(
        target,
        variables,
        language=language,
        widths=widths,
        file_label=f"Dyade diary study: {name}",
    )
    try:
        for block in table.read_blocks(schema, empty_text=True):
            for batch in block.to_batches():
                numbers = [
                    batch.column(name).to_numpy(zero_copy_only=False) for name in writer.numbers
                ]
                texts = [
                    text_matrix(*_binary_parts(batch.column(name)), capacity)
                    for name, capacity in writer.texts
                ]
                writer.write_columns(numbers, texts, rows=batch.num_rows)
    finally:
        writer.close()


def _longest(column: pd.Series) -> int:
    """The longest text of a column in UTF-8 bytes, at least 1."""
    lengths = column.dropna().astype(str).str.encode("utf-8").str.len()
    return max(1, int(lengths.max())) if len(lengths) else 1


def sav_bytes(
    frame: pd.DataFrame, variables: Sequence[Variable], language: str, *, file_label: str = ""
) -> bytes:
    """An SPSS file of a table in memory (``Int64`` and ``string`` columns)."""
    widths = {
        variable.name: _longest(frame[variable.name])
        for variable in variables
        if variable.type == "string"
    }
    with tempfile.TemporaryDirectory(prefix="dyade-sav-") as directory:
        path = Path(directory) / "table.sav"
        writer = SavWriter(path, variables, language=language, widths=widths, file_label=file_label)
        try:
            writer.write(frame)
        finally:
            writer.close()
        return path.read_bytes()


def finish_table(
    fmt: str, table: CsvTable, variables: Sequence[Variable], *, language: str, name: str
) -> Path:
    """The file of one table in ``fmt``, made from its closed CSV file (which may then go)."""
    if fmt == "csv":
        return table.path
    target = table.path.with_name(f"{name}.{fmt}")
    if fmt == "parquet":
        parquet_from_csv(table, target, variables)
    else:
        sav_from_csv(table, target, variables, language=language, name=name)
    table.path.unlink()
    return target
