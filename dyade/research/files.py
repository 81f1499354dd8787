"""The files of a research export: the three tables, the codebook and a README in one ZIP.

The tables come from :func:`dyade.clinic.research.build`; this module only
writes them, as CSV, Parquet or SPSS (``.sav``), and adds ``codebook.csv`` and
``README.txt``. SPSS files carry the codebook themselves (variable labels in the
chosen language, value labels and measurement levels).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from dyade.clinic.research import Dataset, Variable

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
_NUMBER_FORMAT = "F8.0"  # SPSS shows the whole numbers without decimals


def bundle(dataset: Dataset, fmt: str, *, language: str, readme: str) -> bytes:
    """The ZIP archive of one export.

    Parameters
    ----------
    dataset : Dataset
        The tables and codebook made by :func:`dyade.clinic.research.build`.
    fmt : str
        One of :data:`FORMATS`; the tables become ``long.<fmt>``, ``pairwise.<fmt>``
        and ``dyad.<fmt>``.
    language : str
        ``"en"`` or ``"nl"``: the language of the labels in ``codebook.csv`` and
        in the SPSS files.
    readme : str
        The text of ``README.txt`` (written by the caller: study, consent, citation).

    Raises
    ------
    ValueError
        For an unknown format or language.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r} (use 'en' or 'nl')")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _add(archive, "README.txt", readme.encode("utf-8"))
        _add(archive, "codebook.csv", codebook_csv(dataset.codebook, language))
        for name, frame in dataset.frames().items():
            variables = _variables_of(frame, dataset.codebook)
            _add(archive, f"{name}.{fmt}", _table(frame, variables, fmt, language, name))
    return buffer.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _variables_of(frame: pd.DataFrame, codebook: tuple[Variable, ...]) -> list[Variable]:
    """The codebook lines of the columns of ``frame``, in column order."""
    by_name = {variable.name: variable for variable in codebook}
    missing = [str(column) for column in frame.columns if column not in by_name]
    if missing:
        raise ValueError(f"columns without a codebook line: {', '.join(missing)}")
    return [by_name[str(column)] for column in frame.columns]


def _table(
    frame: pd.DataFrame, variables: list[Variable], fmt: str, language: str, name: str
) -> bytes:
    if fmt == "csv":
        return csv_bytes(frame)
    if fmt == "parquet":
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False, engine="pyarrow")
        return buffer.getvalue()
    return sav_bytes(frame, variables, language, file_label=f"Dyade diary study: {name}")


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


def _sav_frame(frame: pd.DataFrame, variables: list[Variable]) -> pd.DataFrame:
    """Plain columns for pyreadstat: floats with NaN, text with "" for missing."""
    columns: dict[str, object] = {}
    for variable in variables:
        series = frame[variable.name]
        if variable.type == "string":
            text = series.astype(object)
            columns[variable.name] = text.where(series.notna(), "").astype(object)
        else:
            columns[variable.name] = series.to_numpy(dtype=np.float64, na_value=np.nan)
    return pd.DataFrame(columns, columns=[variable.name for variable in variables])


def sav_bytes(
    frame: pd.DataFrame, variables: list[Variable], language: str, *, file_label: str = ""
) -> bytes:
    """An SPSS ``.sav`` file with variable labels, value labels and measurement levels.

    pyreadstat sizes each string variable to its longest value in bytes (UTF-8).
    SPSS pads strings with spaces, so a missing text reads back as ``""`` and
    trailing spaces of a note are lost.
    """
    numeric = [variable for variable in variables if variable.type == "numeric"]
    with tempfile.TemporaryDirectory(prefix="dyade-sav-") as directory:
        path = Path(directory) / "table.sav"
        pyreadstat.write_sav(
            _sav_frame(frame, variables),
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
        return path.read_bytes()
