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
* SPSS (``.sav``): pyreadstat writes a whole data frame at once and cannot
  append, so the table is read back whole and written in one go: memory then
  holds the largest table of the export (``pairwise``) as numbers and text,
  about 8 bytes per cell. Large SPSS exports are therefore always built in the
  background (see :mod:`dyade.research.prepared`).
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pyreadstat

from dyade.clinic.research import Variable, csv_text

BLOCK_BYTES = 1 << 20  # CSV text read back at once for Parquet (one row group), about
_NUMBER_FORMAT = "F8.0"  # SPSS shows the whole numbers without decimals
# SPSS's system-missing value, -DBL_MAX: what ReadStat writes for a missing
# number. Writing it in place of NaN gives the same file and spares pyreadstat
# a pandas isna() call for every cell.
SPSS_MISSING = -np.finfo(np.float64).max


class CsvTable:
    """UTF-8, comma-separated, a header row, an empty cell for a missing value.

    It also notes where its rows can be cut into blocks of about
    :data:`BLOCK_BYTES` (always between two couples), so that the table can be
    read back one block at a time.
    """

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.path = path
        self._file = path.open("wb")
        header = (",".join(csv_text(name) for name in columns) + "\n").encode("utf-8")
        self._file.write(header)
        self.header_size = self.size = len(header)
        self.blocks: list[tuple[int, int]] = []  # (start, end) in bytes

    def write(self, rows: Sequence[Sequence[object]]) -> None:
        """Rows of CSV text cells (see :func:`dyade.clinic.research.couple_tables`)."""
        if not rows:
            return
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

    def read_blocks(self, schema: pa.Schema) -> Iterator[pa.Table]:
        """The closed table back, one block at a time, in the types of ``schema``.

        Only an empty cell is missing: a note that reads "NA" stays "NA".
        """
        convert = pa_csv.ConvertOptions(
            column_types={field.name: field.type for field in schema},
            null_values=[""],
            strings_can_be_null=True,
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


def sav_frame_from_csv(source: Path, variables: Sequence[Variable]) -> pd.DataFrame:
    """The whole table as pyreadstat wants it: floats (system-missing) and text ("" missing).

    pandas' C reader builds the frame's columns directly, so the table is in
    memory about once (half the peak of going through Arrow arrays).
    """
    frame = pd.read_csv(
        source,
        dtype={v.name: object if v.type == "string" else np.float64 for v in variables},
        keep_default_na=False,
        na_values={v.name: [""] for v in variables if v.type != "string"},
        encoding="utf-8",
        engine="c",
    )
    for variable in variables:
        if variable.type != "string":
            frame[variable.name] = frame[variable.name].fillna(SPSS_MISSING)
    return frame


def _sav_frame(frame: pd.DataFrame, variables: Sequence[Variable]) -> pd.DataFrame:
    """A table in memory as pyreadstat wants it (see :func:`sav_frame_from_csv`)."""
    columns: dict[str, object] = {}
    for variable in variables:
        series = frame[variable.name]
        if variable.type == "string":
            text = series.astype(object)
            columns[variable.name] = text.where(series.notna(), "").astype(object)
        else:
            columns[variable.name] = series.to_numpy(dtype=np.float64, na_value=SPSS_MISSING)
    return pd.DataFrame(columns, columns=[variable.name for variable in variables])


def write_sav(
    frame: pd.DataFrame,
    variables: Sequence[Variable],
    language: str,
    path: Path,
    *,
    file_label: str = "",
) -> None:
    """An SPSS ``.sav`` file with variable labels, value labels and measurement levels.

    ``frame`` holds floats (:data:`SPSS_MISSING` when missing) and text ("" when
    missing). pyreadstat sizes each string variable to its longest value in
    bytes (UTF-8). SPSS pads strings with spaces, so a missing text reads back
    as ``""`` and trailing spaces of a note are lost.
    """
    numeric = [variable for variable in variables if variable.type == "numeric"]
    pyreadstat.write_sav(
        frame,
        str(path),
        file_label=file_label,
        column_labels={variable.name: variable.label(language) for variable in variables},
        variable_value_labels={
            variable.name: {
                float(code): label for code, label in variable.value_labels(language).items()
            }
            for variable in numeric
            if variable.values
        },
        variable_measure={variable.name: variable.measure for variable in variables},
        variable_format={variable.name: _NUMBER_FORMAT for variable in numeric},
    )


def sav_from_csv(
    table: CsvTable, target: Path, variables: Sequence[Variable], *, language: str, name: str
) -> None:
    """The SPSS file of a CSV table (the whole table in memory: see the module's text)."""
    frame = sav_frame_from_csv(table.path, variables)
    write_sav(frame, variables, language, target, file_label=f"Dyade diary study: {name}")


def sav_bytes(
    frame: pd.DataFrame, variables: Sequence[Variable], language: str, *, file_label: str = ""
) -> bytes:
    """An SPSS file of a table in memory (``Int64`` and ``string`` columns)."""
    with tempfile.TemporaryDirectory(prefix="dyade-sav-") as directory:
        path = Path(directory) / "table.sav"
        write_sav(_sav_frame(frame, variables), variables, language, path, file_label=file_label)
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
