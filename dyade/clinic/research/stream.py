"""The three tables, one couple at a time: what the export streams.

:func:`couple_tables` checks and encodes the diary entries of one couple and
returns that couple's rows of ``long``, ``pairwise`` and ``dyad`` in the column
order of its :class:`Layout`. :func:`~dyade.clinic.research.build` runs it over a
whole study at once; the export runs it couple by couple, so that memory holds
one batch of couples whatever the size of the study.

With ``csv=True`` the cells come out as the text of a CSV file (an empty string
for an empty cell, a note quoted when it must be), so that a writer only joins
them: each person-day's answers are turned into text once and reused in
``long``, twice in ``pairwise`` and in ``dyad``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain, pairwise
from typing import cast

from dyade.clinic.diary import FIELDS, SCALE_MAX, SCALE_MIN, DiaryField, FieldKind
from dyade.clinic.research.codebook import codebook_for, exported_fields, paired_fields
from dyade.clinic.research.model import (
    DYAD_ID_COLUMNS,
    ID_COLUMNS,
    PARTNER_SUFFIX,
    ROLES,
    Cell,
    Variable,
)
from dyade.clinic.research.sessions import COLUMNS as SESSION_COLUMNS
from dyade.clinic.research.sessions import FILE as SESSIONS_FILE

Entry = Sequence[object]  # (role, date, the stored value of each of Layout.source, in order)


@dataclass(frozen=True)
class Layout:
    """The columns of the three tables of a study, and where the note goes.

    Attributes
    ----------
    free_text : bool
        Whether the note is exported (in ``long`` only).
    source : tuple of str
        The diary fields a caller passes with each entry, in this order.
    long, pairwise, dyad, sessions : tuple of str
        The column names of each table (``sessions``: see
        :mod:`dyade.clinic.research.sessions`).
    codebook : tuple of Variable
        One line per column of any table.
    """

    free_text: bool
    source: tuple[str, ...]
    long: tuple[str, ...]
    pairwise: tuple[str, ...]
    dyad: tuple[str, ...]
    codebook: tuple[Variable, ...]
    sessions: tuple[str, ...] = SESSION_COLUMNS

    @property
    def note_at(self) -> int | None:
        """The position of the note among the answers (``None`` without free text)."""
        return self.source.index("note") if "note" in self.source else None

    def tables(self) -> dict[str, tuple[str, ...]]:
        """The column names by file name (``long``, ``pairwise``, ``dyad``, ``sessions``)."""
        return {
            "long": self.long,
            "pairwise": self.pairwise,
            "dyad": self.dyad,
            SESSIONS_FILE: self.sessions,
        }


@cache
def layout(free_text: bool) -> Layout:
    """The columns of an export with or without the note."""
    source = tuple(field.name for field in exported_fields(free_text))
    own = [field.name for field in paired_fields()]
    return Layout(
        free_text=free_text,
        source=source,
        long=(*ID_COLUMNS, *source),
        pairwise=(*ID_COLUMNS, *own, *(name + PARTNER_SUFFIX for name in own)),
        dyad=(*DYAD_ID_COLUMNS, *(f"{name}_{role}" for name in own for role in ROLES)),
        codebook=codebook_for(free_text),
    )


@dataclass(frozen=True)
class CoupleTables:
    """One couple's rows of the three tables (cells, or CSV text with ``csv=True``)."""

    long: list[list[object]]
    pairwise: list[list[object]]
    dyad: list[list[object]]
    roles: tuple[str, ...]  # the roles of the couple that wrote anything


# -- From stored values to cells ----------------------------------------------------


def encode(field: DiaryField, value: object) -> Cell:
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


class _Column:
    """Encodes a whole column of one field at once; the same result as :func:`encode`.

    The fast path checks the types present and looks every value up in a table
    (both loops run in C); anything it does not know goes through :func:`encode`,
    which says what is wrong.
    """

    def __init__(self, field: DiaryField) -> None:
        self.field = field
        empty: dict[object, Cell] = {None: None, "": None}
        self.table: dict[object, Cell] | None
        if field.kind is FieldKind.SCALE:
            self.types: frozenset[type] = frozenset({int, str, type(None)})
            self.table = empty | {value: value for value in range(SCALE_MIN, SCALE_MAX + 1)}
        elif field.kind is FieldKind.YES_NO:
            self.types = frozenset({bool, str, type(None)})
            self.table = empty | {False: 0, True: 1}
        elif field.kind is FieldKind.CHOICE:
            self.types = frozenset({str, type(None)})
            self.table = empty | {code: n for n, code in enumerate(field.codes, start=1)}
        else:
            self.types = frozenset({str, type(None)})
            self.table = None

    def __call__(self, column: Sequence[object]) -> list[Cell]:
        if set(map(type, column)) <= self.types:
            if self.table is None:
                return [value or None for value in column]  # type: ignore[misc]
            try:
                return list(map(self.table.__getitem__, column))
            except KeyError:
                pass
        return [encode(self.field, value) for value in column]


@cache
def _columns(free_text: bool) -> tuple[_Column, ...]:
    return tuple(_Column(field) for field in exported_fields(free_text))


# The CSV text of every encoded number: ratings, yes/no and choice codes.
_LARGEST = max(SCALE_MAX, 1, *(len(field.codes) for field in FIELDS))
_NUMBER_TEXT: dict[Cell, str] = {None: "", **{n: str(n) for n in range(_LARGEST + 1)}}
_SPECIAL = (",", '"', "\n", "\r")


def csv_text(value: str | None) -> str:
    """A text cell of a CSV file: quoted (quotes doubled) when it holds a comma, a quote
    or a line break, as Python's ``csv`` module writes it (which leaves a lone carriage
    return unquoted; quoting it too keeps every reader on the right line)."""
    if value is None:
        return ""
    if any(character in value for character in _SPECIAL):
        return '"' + value.replace('"', '""') + '"'
    return value


# -- One couple's rows ------------------------------------------------------------------


def _checked(
    dyad: str, entries: Sequence[Entry], width: int
) -> tuple[tuple[str, ...], tuple[dt.date, ...], list[tuple[object, ...]]]:
    """The roles, the dates and the value columns, after checking dyad, roles and dates."""
    if not isinstance(dyad, str) or not dyad:
        raise ValueError(f"a diary row needs a dyad pseudonym, got {dyad!r}")
    if set(map(len, entries)) != {width}:
        raise ValueError(f"each entry holds a role, a date and {width - 2} values")
    columns = list(zip(*entries, strict=True))
    roles, dates = columns[0], columns[1]
    if not set(roles) <= set(ROLES):
        bad = next(role for role in roles if role not in ROLES)
        raise ValueError(f"role must be 'A' or 'B', got {bad!r}")
    if set(map(type, dates)) != {dt.date}:
        wrong = next(date for date in dates if type(date) is not dt.date)
        raise ValueError(f"date must be a datetime.date, got {type(wrong).__name__}")
    return cast(tuple[str, ...], roles), cast(tuple[dt.date, ...], dates), columns[2:]


def couple_tables(
    layout: Layout, dyad: str, entries: Sequence[Entry], *, csv: bool = False
) -> CoupleTables:
    """The rows of one couple in ``long``, ``pairwise`` and ``dyad``.

    Parameters
    ----------
    layout : Layout
        The study's columns (see :func:`layout`).
    dyad : str
        The couple's pseudonym in the study.
    entries : sequence of (role, date, value, ...)
        The couple's diary entries in any order; after the role (``"A"`` or
        ``"B"``) and the date come the stored values of ``layout.source``.
    csv : bool
        Give each cell as the text of a CSV file instead of a number or text.

    Raises
    ------
    ValueError
        For a role other than A or B, a date that is not a ``datetime.date``,
        two entries of one person on one day, or a value that cannot be encoded.
    """
    if not entries:
        return CoupleTables([], [], [], ())
    roles, dates, values = _checked(dyad, entries, 2 + len(layout.source))
    encoded = [
        code(column) for code, column in zip(_columns(layout.free_text), values, strict=True)
    ]
    notes = encoded.pop(layout.note_at) if layout.note_at is not None else None
    pieces = _csv_pieces(encoded, notes, layout) if csv else _cell_pieces(encoded, notes, layout)
    order = sorted(zip(dates, roles, range(len(roles)), strict=True))  # by day, then role
    for before, after in pairwise(order):
        if before[:2] == after[:2]:
            raise ValueError(f"two diary rows for {dyad}-{after[1]} on one day")
    present = tuple(sorted(set(roles)))
    other = {role: next((r for r in present if r != role), "") for role in present}
    label = csv_text(dyad) if csv else dyad
    person = {role: csv_text(f"{dyad}-{role}") if csv else f"{dyad}-{role}" for role in present}
    first = order[0][0].toordinal()
    long: list[list[object]] = []
    pair_rows: list[list[object]] = []
    dyad_rows: list[list[object]] = []
    answers, long_answers, empty, both = pieces
    at, count = 0, len(order)
    while at < count:
        date = order[at][0]
        written = {order[at][1]: order[at][2]}
        at += 1
        if at < count and order[at][0] == date:  # the other partner wrote that day too
            written[order[at][1]] = order[at][2]
            at += 1
        ordinal = date.toordinal()
        day: object = ordinal - first
        weekday: object = (ordinal - 1) % 7 + 1  # 1 January of year 1 was a Monday
        if csv:
            day, weekday = str(day), str(weekday)
        for role, index in written.items():
            long.append([label, person[role], role, day, weekday, *long_answers[index]])
        for role in present:
            own = answers[written[role]] if role in written else empty
            theirs = answers[written[other[role]]] if other[role] in written else empty
            pair_rows.append([label, person[role], role, day, weekday, *own, *theirs])
        dyad_rows.append([label, day, weekday, *both(written.get("A"), written.get("B"))])
    return CoupleTables(long, pair_rows, dyad_rows, present)


_Pieces = tuple[
    list[Sequence[object]],  # each entry's paired answers
    list[Sequence[object]],  # each entry's answers in long (with the note)
    Sequence[object],  # the answers of a person who did not write that day
    Callable[[int | None, int | None], Sequence[object]],  # A and B side by side
]


def _cell_pieces(encoded: list[list[Cell]], notes: list[Cell] | None, layout: Layout) -> _Pieces:
    """The answers as cells."""
    answers: list[Sequence[object]] = list(zip(*encoded, strict=True))
    empty: Sequence[object] = (None,) * len(encoded)
    long_answers = answers
    if notes is not None:
        cut = layout.note_at or 0
        long_answers = [
            (*cells[:cut], note, *cells[cut:]) for cells, note in zip(answers, notes, strict=True)
        ]

    def both(a: int | None, b: int | None) -> Sequence[object]:
        cells_a = empty if a is None else answers[a]
        cells_b = empty if b is None else answers[b]
        return tuple(chain.from_iterable(zip(cells_a, cells_b, strict=True)))

    return answers, long_answers, empty, both


def _csv_pieces(encoded: list[list[Cell]], notes: list[Cell] | None, layout: Layout) -> _Pieces:
    """The answers as CSV text, each person-day's joined once: a row then joins a few pieces."""
    cells = [list(map(_NUMBER_TEXT.__getitem__, row)) for row in zip(*encoded, strict=True)]
    answers: list[Sequence[object]] = [(",".join(row),) for row in cells]
    empty_cells = [""] * len(encoded)
    empty: Sequence[object] = (",".join(empty_cells),)
    long_answers = answers
    if notes is not None:
        cut = layout.note_at or 0
        long_answers = [
            (",".join([*row[:cut], csv_text(note), *row[cut:]]),)  # type: ignore[arg-type]
            for row, note in zip(cells, notes, strict=True)
        ]

    def both(a: int | None, b: int | None) -> Sequence[object]:
        cells_a = empty_cells if a is None else cells[a]
        cells_b = empty_cells if b is None else cells[b]
        return (",".join(chain.from_iterable(zip(cells_a, cells_b, strict=True))),)

    return answers, long_answers, empty, both
