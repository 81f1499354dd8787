"""The files of a research export: the three tables, the codebook and a README in one ZIP.

:class:`ExportFiles` takes the study couple by couple (the rows of
:func:`dyade.clinic.research.couple_tables`), writes each table to its own file
in a private working folder as the rows come (see :mod:`dyade.research.writers`:
CSV, Parquet in row groups, SPSS ``.sav`` at the end) and then copies the files
into the ZIP, so that no table has to be in memory as a whole (SPSS excepted).
``codebook.csv`` and ``README.txt`` complete the archive. SPSS files carry the
codebook themselves (variable labels in the chosen language, value labels and
measurement levels).
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from dyade.clinic.research import CoupleTables, Dataset, Layout, Variable, csv_text, layout
from dyade.research.writers import CsvTable, finish_table, sav_bytes

__all__ = [
    "CODEBOOK_COLUMNS",
    "FORMATS",
    "LANGUAGES",
    "Counts",
    "ExportFiles",
    "bundle",
    "codebook_csv",
    "csv_bytes",
    "sav_bytes",
    "write_archive",
]

FORMATS = ("csv", "parquet", "sav")
LANGUAGES = ("en", "nl")
CODEBOOK_COLUMNS = (
    "name",
    "files",
    "type",
    "measure",
    "label",
    "label_en",
    "label_nl",
    "values",
    "missing",
)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same export gives the same bytes
# Deflate's fastest level: the tables are long runs of small numbers, which it
# packs nearly as well as the default level in a fraction of the time.
COMPRESS_LEVEL = 1
_COPY_BLOCK = 1 << 20


@dataclass
class Counts:
    """What one export holds: couples with data, persons, and rows of ``long``."""

    n_dyads: int = 0
    n_persons: int = 0
    n_rows: int = 0


def _check(fmt: str, language: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r} (use 'en' or 'nl')")


class ExportFiles:
    """The tables of one export, written couple by couple into ``directory``.

    Parameters
    ----------
    shape : Layout
        The columns of the study's tables (:func:`dyade.clinic.research.layout`).
    fmt : str
        One of :data:`FORMATS`; the tables become ``long.<fmt>``, ``pairwise.<fmt>``
        and ``dyad.<fmt>``.
    language : str
        ``"en"`` or ``"nl"``: the language of the labels in ``codebook.csv`` and
        in the SPSS files.
    directory : Path
        A private working folder that the caller removes afterwards.

    Raises
    ------
    ValueError
        For an unknown format or language.
    """

    def __init__(self, shape: Layout, fmt: str, language: str, directory: Path) -> None:
        _check(fmt, language)
        self.shape = shape
        self.fmt = fmt
        self.language = language
        self.counts = Counts()
        texts = {variable.name for variable in shape.codebook if variable.type == "string"}
        self._tables = {
            # An SPSS file declares each text column's width first: measure it on the way in.
            name: CsvTable(
                directory / f"{name}.csv",
                columns,
                [column for column in columns if column in texts] if fmt == "sav" else (),
            )
            for name, columns in shape.tables().items()
        }

    def add(self, tables: CoupleTables) -> None:
        """The rows of one couple, as CSV text (``couple_tables(..., csv=True)``)."""
        self._tables["long"].write(tables.long)
        self._tables["pairwise"].write(tables.pairwise)
        self._tables["dyad"].write(tables.dyad)
        if tables.roles:
            self.counts.n_dyads += 1
        self.counts.n_persons += len(tables.roles)
        self.counts.n_rows += len(tables.long)

    def add_sessions(self, rows: Sequence[Sequence[object]]) -> None:
        """One couple's rows of ``sessions``, as CSV text (:mod:`dyade.research.session_series`)."""
        self._tables["sessions"].write(rows)

    def finish(self, readme: str, out: BinaryIO) -> None:
        """Close the tables, convert them to the format and write the ZIP to ``out``."""
        by_name = {variable.name: variable for variable in self.shape.codebook}
        members: list[tuple[str, bytes | Path]] = [
            ("README.txt", readme.encode("utf-8")),
            ("codebook.csv", codebook_csv(self.shape.codebook, self.language)),
        ]
        for name, table in self._tables.items():
            variables = [by_name[column] for column in self.shape.tables()[name]]
            path = finish_table(
                self.fmt, table.close(), variables, language=self.language, name=name
            )
            members.append((f"{name}.{self.fmt}", path))
        write_archive(out, members)


def _info(name: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = COMPRESS_LEVEL  # type: ignore[attr-defined]  # no public way in 3.11
    info.external_attr = 0o644 << 16
    info.file_size = size  # known in advance: ZIP64 only when it is needed
    return info


def write_archive(out: BinaryIO, members: Iterable[tuple[str, bytes | Path]]) -> None:
    """A ZIP of ``members`` (name, and the content or a file to copy in blocks)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            if isinstance(content, bytes):
                archive.writestr(_info(name, len(content)), content)
                continue
            info = _info(name, content.stat().st_size)
            with content.open("rb") as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target, _COPY_BLOCK)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8, comma-separated, a header row, an empty cell for a missing value."""
    text: str = frame.to_csv(index=False, lineterminator="\n", na_rep="")
    return text.encode("utf-8")


def codebook_csv(codebook: tuple[Variable, ...], language: str) -> bytes:
    """The codebook as CSV, one line per column, labels in ``language`` and in both."""
    records = [
        {
            "name": variable.name,
            "files": "; ".join(variable.files),
            "type": variable.type,
            "measure": variable.measure,
            "label": variable.label(language),
            "label_en": variable.label_en,
            "label_nl": variable.label_nl,
            "values": variable.values_text(language),
            "missing": variable.missing(language),
        }
        for variable in codebook
    ]
    return csv_bytes(pd.DataFrame(records, columns=list(CODEBOOK_COLUMNS), dtype=object))


def _rows(frame: pd.DataFrame) -> list[list[object]]:
    """The rows of a table in memory as CSV text."""
    cells: list[list[object]] = frame.astype(object).where(frame.notna(), None).values.tolist()
    return [
        [csv_text(cell) if isinstance(cell, str) or cell is None else str(cell) for cell in row]
        for row in cells
    ]


def _shape_of(dataset: Dataset) -> Layout:
    free_text = any(variable.name == "note" for variable in dataset.codebook)
    shape = layout(free_text)
    for name, frame in dataset.frames().items():
        columns: Sequence[str] = shape.tables()[name]
        if [str(column) for column in frame.columns] != list(columns):
            known = {variable.name for variable in dataset.codebook}
            missing = [str(column) for column in frame.columns if column not in known]
            if missing:
                raise ValueError(f"columns without a codebook line: {', '.join(missing)}")
            raise ValueError(f"the columns of {name} are not those of the export")
    return shape


def bundle(dataset: Dataset, fmt: str, *, language: str, readme: str) -> bytes:
    """The ZIP archive of a dataset already in memory (see :class:`ExportFiles`).

    Raises
    ------
    ValueError
        For an unknown format or language.
    """
    _check(fmt, language)
    shape = _shape_of(dataset)
    out = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="dyade-export-") as directory:
        files = ExportFiles(shape, fmt, language, Path(directory))
        frames = dataset.frames()
        tables = CoupleTables(
            long=_rows(frames["long"]),
            pairwise=_rows(frames["pairwise"]),
            dyad=_rows(frames["dyad"]),
            roles=(),
        )
        files.add(tables)
        files.finish(readme, out)
    return out.getvalue()
