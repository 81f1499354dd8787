"""The three tables of the research export: ``long``, ``pairwise`` and ``dyad``.

Checks and encodes the diary rows, groups them by couple and day and builds
the typed pandas tables with their codebook (:func:`build`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from dyade.clinic.diary import FIELDS, SCALE_MAX, SCALE_MIN, DiaryField, FieldKind
from dyade.clinic.research.codebook import codebook_for, exported_fields, paired_fields
from dyade.clinic.research.model import (
    DYAD_ID_COLUMNS,
    ID_COLUMNS,
    IGNORED,
    PARTNER_SUFFIX,
    ROLES,
    Cell,
    Dataset,
    DiaryRow,
    Variable,
)

# -- From stored values to cells ----------------------------------------------------


def _encode(field: DiaryField, value: object) -> Cell:
    """A stored value as the number (or text) of the export; ``None`` when empty."""
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if field.kind is FieldKind.SCALE:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{field.name}: a rating must be a whole number, not {value!r}")
        if not SCALE_MIN <= value <= SCALE_MAX:
            raise ValueError(f"{field.name}: {value} lies outside {SCALE_MIN}..{SCALE_MAX}")
        return value
    if field.kind is FieldKind.YES_NO:
        if not isinstance(value, bool):
            raise ValueError(f"{field.name}: expected True or False, not {value!r}")
        return int(value)
    if field.kind is FieldKind.CHOICE:
        if value not in field.codes:
            raise ValueError(f"{field.name}: {value!r} is not one of {field.codes}")
        return field.codes.index(str(value)) + 1
    if not isinstance(value, str):
        raise ValueError(f"{field.name}: expected text, not {type(value).__name__}")
    return value


def _encode_row(row: DiaryRow, fields: Sequence[DiaryField]) -> dict[str, Cell]:
    """Check one row and encode its values (every exported field, empty when absent)."""
    if not isinstance(row.dyad, str) or not row.dyad:
        raise ValueError(f"a diary row needs a dyad pseudonym, got {row.dyad!r}")
    if row.role not in ROLES:
        raise ValueError(f"role must be 'A' or 'B', got {row.role!r}")
    if isinstance(row.date, dt.datetime) or not isinstance(row.date, dt.date):
        raise ValueError(f"date must be a datetime.date, got {type(row.date).__name__}")
    known = {field.name for field in FIELDS} | IGNORED
    for key in row.values:
        if key not in known:
            raise ValueError(f"unknown diary field {key!r}: add it to the research export first")
    return {field.name: _encode(field, row.values.get(field.name)) for field in fields}


# -- The three tables -----------------------------------------------------------------


def _long_columns(free_text: bool) -> list[str]:
    return [*ID_COLUMNS, *(f.name for f in exported_fields(free_text))]


def _pairwise_columns() -> list[str]:
    own = [f.name for f in paired_fields()]
    return [*ID_COLUMNS, *own, *(name + PARTNER_SUFFIX for name in own)]


def _dyad_columns() -> list[str]:
    return [*DYAD_ID_COLUMNS, *(f.name + f"_{role}" for f in paired_fields() for role in ROLES)]


@dataclass(frozen=True)
class _DyadDay:
    """The entries of one couple on one day on which at least one partner wrote."""

    dyad: str
    day: int
    weekday: int
    roles: tuple[str, ...]  # the roles of the couple in the data, not only of this day
    written: Mapping[str, Mapping[str, Cell]]  # role -> encoded values


def _dyad_days(rows: Iterable[DiaryRow], fields: Sequence[DiaryField]) -> list[_DyadDay]:
    """Check and encode the rows and group them by couple and day, in export order."""
    entries: dict[str, dict[dt.date, dict[str, dict[str, Cell]]]] = {}
    for row in rows:
        encoded = _encode_row(row, fields)
        day = entries.setdefault(row.dyad, {}).setdefault(row.date, {})
        if row.role in day:
            raise ValueError(f"two diary rows for {row.dyad}-{row.role} on one day")
        day[row.role] = encoded
    out: list[_DyadDay] = []
    for dyad in sorted(entries):
        days = entries[dyad]
        first = min(days)
        roles = tuple(sorted({role for written in days.values() for role in written}))
        for date in sorted(days):
            out.append(_DyadDay(dyad, (date - first).days, date.isoweekday(), roles, days[date]))
    return out


def _person(dyad_day: _DyadDay, role: str) -> dict[str, Cell]:
    return {
        "dyad": dyad_day.dyad,
        "person": f"{dyad_day.dyad}-{role}",
        "role": role,
        "day": dyad_day.day,
        "weekday": dyad_day.weekday,
    }


def _long_records(dyad_days: Iterable[_DyadDay]) -> Iterable[dict[str, Cell]]:
    for dyad_day in dyad_days:
        for role in sorted(dyad_day.written):
            yield {**dyad_day.written[role], **_person(dyad_day, role)}


def _pairwise_records(dyad_days: Iterable[_DyadDay]) -> Iterable[dict[str, Cell]]:
    names = [field.name for field in paired_fields()]
    for dyad_day in dyad_days:
        for role in dyad_day.roles:
            own = dyad_day.written.get(role, {})
            partner = next((dyad_day.written.get(r, {}) for r in dyad_day.roles if r != role), {})
            yield {
                **_person(dyad_day, role),
                **{name: own.get(name) for name in names},
                **{name + PARTNER_SUFFIX: partner.get(name) for name in names},
            }


def _dyad_records(dyad_days: Iterable[_DyadDay]) -> Iterable[dict[str, Cell]]:
    names = [field.name for field in paired_fields()]
    for dyad_day in dyad_days:
        record: dict[str, Cell] = {
            "dyad": dyad_day.dyad,
            "day": dyad_day.day,
            "weekday": dyad_day.weekday,
        }
        for name in names:
            for role in ROLES:
                record[f"{name}_{role}"] = dyad_day.written.get(role, {}).get(name)
        yield record


def _frame(
    columns: Sequence[str], records: Iterable[Mapping[str, Cell]], codebook: Mapping[str, Variable]
) -> pd.DataFrame:
    """A table with typed columns: ``Int64`` for numbers, ``string`` for text."""
    cells: dict[str, list[Cell]] = {name: [] for name in columns}
    for record in records:
        for name in columns:
            cells[name].append(record[name])
    data = {
        name: pd.array(cells[name], dtype="string" if codebook[name].type == "string" else "Int64")
        for name in columns
    }
    return pd.DataFrame(data, columns=list(columns))


def build(rows: Iterable[DiaryRow], *, free_text: bool) -> Dataset:
    """The research tables of a diary study.

    Parameters
    ----------
    rows : iterable of DiaryRow
        The diary entries of the study, normally of couples only: a dyad with one
        role (an individual case) still gets its rows, with the partner's columns
        empty.
    free_text : bool
        Whether the note goes into ``long`` (it is never in ``pairwise`` or ``dyad``).

    Returns
    -------
    Dataset
        ``long`` sorted by dyad, day and role; ``pairwise`` with a row for each
        role of the dyad on every day on which at least one partner wrote (the
        role that did not write has its own columns empty); ``dyad`` with one row
        per such day.

    Raises
    ------
    ValueError
        For an unknown key in ``values`` (so that a new database column cannot
        slip into an export unnoticed), a role other than A or B, two rows of
        one person on one day, or a stored value that cannot be encoded.
    """
    dyad_days = _dyad_days(rows, exported_fields(free_text))
    codebook = codebook_for(free_text)
    by_name = {variable.name: variable for variable in codebook}
    return Dataset(
        long=_frame(_long_columns(free_text), _long_records(dyad_days), by_name),
        pairwise=_frame(_pairwise_columns(), _pairwise_records(dyad_days), by_name),
        dyad=_frame(_dyad_columns(), _dyad_records(dyad_days), by_name),
        codebook=codebook,
        n_dyads=len({dyad_day.dyad for dyad_day in dyad_days}),
        n_persons=len({(d.dyad, role) for d in dyad_days for role in d.roles}),
    )
