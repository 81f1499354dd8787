"""The three tables of the research export as pandas frames: ``long``, ``pairwise``, ``dyad``.

:func:`build` checks the diary rows of a whole study, groups them by couple and
runs :func:`~dyade.clinic.research.stream.couple_tables` on each, so the tables
in memory (for the models on the web and the tests) and the streamed export
are made by the same code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from dyade.clinic.diary import FIELDS
from dyade.clinic.research.model import IGNORED, Dataset, DiaryRow, Variable
from dyade.clinic.research.stream import CoupleTables, Layout, couple_tables, layout

_KNOWN = frozenset(field.name for field in FIELDS) | IGNORED


def _entries(rows: Iterable[DiaryRow], shape: Layout) -> dict[str, list[tuple[object, ...]]]:
    """The rows as entries of :func:`couple_tables`, by dyad (an absent field is empty)."""
    by_dyad: dict[str, list[tuple[object, ...]]] = {}
    for row in rows:
        if not isinstance(row.dyad, str) or not row.dyad:
            raise ValueError(f"a diary row needs a dyad pseudonym, got {row.dyad!r}")
        for key in row.values:
            if key not in _KNOWN:
                raise ValueError(
                    f"unknown diary field {key!r}: add it to the research export first"
                )
        values = row.values
        entry = (row.role, row.date, *(values.get(name) for name in shape.source))
        by_dyad.setdefault(row.dyad, []).append(entry)
    return by_dyad


def _frame(
    columns: Sequence[str], rows: list[list[object]], codebook: dict[str, Variable]
) -> pd.DataFrame:
    """A table with typed columns: ``Int64`` for numbers, ``string`` for text."""
    cells: list[Sequence[object]] = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    data = {
        name: pd.array(list(column), dtype="string" if codebook[name].type == "string" else "Int64")
        for name, column in zip(columns, cells, strict=True)
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
    shape = layout(free_text)
    by_dyad = _entries(rows, shape)
    return dataset_of(
        shape, (couple_tables(shape, name, by_dyad[name]) for name in sorted(by_dyad))
    )


def dataset_of(shape: Layout, couples: Iterable[CoupleTables]) -> Dataset:
    """The tables in memory from each couple's rows (made without ``csv``)."""
    long: list[list[object]] = []
    pairwise: list[list[object]] = []
    dyad: list[list[object]] = []
    n_dyads = n_persons = 0
    for tables in couples:
        long += tables.long
        pairwise += tables.pairwise
        dyad += tables.dyad
        n_dyads += bool(tables.roles)
        n_persons += len(tables.roles)
    by_name = {variable.name: variable for variable in shape.codebook}
    return Dataset(
        long=_frame(shape.long, long, by_name),
        pairwise=_frame(shape.pairwise, pairwise, by_name),
        dyad=_frame(shape.dyad, dyad, by_name),
        codebook=shape.codebook,
        n_dyads=n_dyads,
        n_persons=n_persons,
    )
