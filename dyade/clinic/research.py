"""The research export of a dyadic diary study: three analysis-ready tables and a codebook.

Pure: no Django, no files. The caller reads the diary entries of the consenting
couples of one study, replaces each couple by its :func:`pseudonym` and passes
the entries as :class:`DiaryRow`; :func:`build` returns

* ``long``: one row per person-day (what was written, nothing added);
* ``pairwise``: Kenny's pairwise format, one row per person per dyad-day with
  the person's own answers ``X`` and the partner's answers of the same day
  ``X_p``;
* ``dyad``: one row per dyad-day with ``X_A`` and ``X_B``;

and a bilingual codebook (English and Dutch) with a line for every column.

No calendar date leaves this module: a day is counted from the couple's first
diary entry (``day``) and kept as its weekday (``weekday``), which is what
diary analyses need (time trends, weekend effects) without a date that could
help to recognise a couple.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from dyade.clinic.diary import FIELDS, SCALE_MAX, SCALE_MIN, DiaryField, FieldKind

ROLES = ("A", "B")
FILES = ("long", "pairwise", "dyad")
IGNORED = frozenset({"note_visibility"})  # stored with an entry, never exported
ID_COLUMNS = ("dyad", "person", "role", "day", "weekday")
DYAD_ID_COLUMNS = ("dyad", "day", "weekday")
PARTNER_SUFFIX = "_p"

Code = tuple[int, str, str]  # (code, English label, Dutch label)
Cell = int | str | None


@dataclass(frozen=True)
class DiaryRow:
    """One diary entry of one person, as read from the database.

    Attributes
    ----------
    dyad : str
        The couple's pseudonym in the study (see :func:`pseudonym`).
    role : str
        ``"A"`` or ``"B"``.
    date : datetime.date
        The day the entry is about; it does not leave :func:`build`.
    values : Mapping
        Diary field name to the stored value: an int for a rating (``None`` when
        empty), a bool for yes/no, a code for a choice (``""`` when empty) and a
        str for the note. ``note_visibility`` may be present and is ignored; a
        field that is absent counts as empty; any other key is an error.
    """

    dyad: str
    role: str
    date: dt.date
    values: Mapping[str, object]


@dataclass(frozen=True)
class Variable:
    """One line of the codebook: a column of one or more of the three files.

    Attributes
    ----------
    name : str
        The column name.
    label_en, label_nl : str
        What the column holds, in English and in Dutch.
    type : str
        ``"string"`` or ``"numeric"``.
    measure : str
        ``"nominal"``, ``"ordinal"`` or ``"scale"`` (as SPSS calls them).
    files : tuple of str
        Which of ``"long"``, ``"pairwise"`` and ``"dyad"`` hold the column.
    values : tuple of (int, str, str)
        Code, English and Dutch label of each labelled value.
    missing_en, missing_nl : str
        What an empty cell means (empty when the column is never empty).
    """

    name: str
    label_en: str
    label_nl: str
    type: str
    measure: str
    files: tuple[str, ...]
    values: tuple[Code, ...] = ()
    missing_en: str = ""
    missing_nl: str = ""

    def label(self, language: str) -> str:
        """The label in ``language`` (``"en"`` or ``"nl"``)."""
        return self.label_nl if _language(language) == "nl" else self.label_en

    def missing(self, language: str) -> str:
        """What an empty cell means, in ``language``."""
        return self.missing_nl if _language(language) == "nl" else self.missing_en

    def value_labels(self, language: str) -> dict[int, str]:
        """The labelled values in ``language``, code to label, in codebook order."""
        nl = _language(language) == "nl"
        return {code: (label_nl if nl else label_en) for code, label_en, label_nl in self.values}

    def values_text(self, language: str) -> str:
        """The labelled values as one line, e.g. ``"0 = no; 1 = yes"``."""
        return "; ".join(f"{code} = {label}" for code, label in self.value_labels(language).items())


@dataclass(frozen=True)
class Dataset:
    """The three tables of one export and their codebook.

    Numeric columns are pandas ``Int64`` (whole numbers, ``<NA>`` when empty)
    and text columns pandas ``string``.
    """

    long: pd.DataFrame
    pairwise: pd.DataFrame
    dyad: pd.DataFrame
    codebook: tuple[Variable, ...]
    n_dyads: int
    n_persons: int

    def frames(self) -> dict[str, pd.DataFrame]:
        """The three tables by file name (``long``, ``pairwise``, ``dyad``)."""
        return {"long": self.long, "pairwise": self.pairwise, "dyad": self.dyad}


def _language(language: str) -> str:
    if language not in ("en", "nl"):
        raise ValueError(f"unknown language {language!r} (use 'en' or 'nl')")
    return language


def pseudonym(secret: bytes, key: str, prefix: str = "D") -> str:
    """A stable pseudonym for ``key`` (a case or person id) within one study.

    HMAC-SHA256 of ``key`` under the study's ``secret``: the same key gives the
    same pseudonym in every export of the study, and without the secret the
    pseudonyms of two studies cannot be linked or traced back to the key.
    """
    digest = hmac.new(secret, key.encode("utf-8"), hashlib.sha256).hexdigest()
    return prefix + digest[:10].upper()


# -- What the columns mean --------------------------------------------------------

_LABELS: dict[str, tuple[str, str]] = {
    "closeness": ("Closeness to the partner that day", "Nabijheid met de partner die dag"),
    "feeling_seen": (
        "Feeling seen by the partner that day",
        "Zich gezien voelen door de partner die dag",
    ),
    "stress": ("Stress that day", "Stress die dag"),
    "desire": ("Sexual desire that day", "Seksueel verlangen die dag"),
    "sexual_contact": (
        "Sexual contact between the partners that day",
        "Seksueel contact tussen de partners die dag",
    ),
    "conflict": (
        "Conflict between the partners that day",
        "Conflict tussen de partners die dag",
    ),
    "note": ("Diary note (free text)", "Notitie in het dagboek (vrije tekst)"),
    "contact_kind": ("Kind of sexual contact", "Soort seksueel contact"),
    "initiator": (
        "Who took the initiative, as the person who answered saw it",
        "Wie nam het initiatief, volgens wie het invulde",
    ),
    "bid_answer": (
        "Bid for sex that day and how it was answered",
        "Toenadering voor seks die dag en hoe die werd beantwoord",
    ),
    "sexual_satisfaction": (
        "Satisfaction with the sexual contact",
        "Tevredenheid over het seksuele contact",
    ),
    "motive": ("Main motive for sex that day", "Belangrijkste motief voor seks die dag"),
    "perceived_desire": (
        "The partner's sexual desire as the person perceived it",
        "Seksueel verlangen van de partner, zoals de persoon het inschatte",
    ),
    "perceived_mood": (
        "The partner's mood as the person perceived it",
        "Stemming van de partner, zoals de persoon die inschatte",
    ),
}

# The two ends of each rating, as the diary form shows them.
_ANCHORS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "closeness": (("not at all", "helemaal niet"), ("very close", "heel dichtbij")),
    "feeling_seen": (("not at all", "helemaal niet"), ("completely", "helemaal")),
    "stress": (("none", "geen"), ("a great deal", "heel veel")),
    "desire": (("none", "geen"), ("a great deal", "heel veel")),
    "sexual_satisfaction": (("not at all", "helemaal niet"), ("completely", "helemaal")),
    "perceived_desire": (("none", "geen"), ("a great deal", "heel veel")),
    "perceived_mood": (("very low", "heel slecht"), ("very good", "heel goed")),
}

# Choice codes in the order of the field's ``codes``: they become 1, 2, 3, ...
_CHOICES: dict[str, dict[str, tuple[str, str]]] = {
    "contact_kind": {
        "affection": ("affection (kissing, cuddling)", "genegenheid (zoenen, knuffelen)"),
        "touch": ("sexual touching", "seksueel aanraken"),
        "intercourse": ("intercourse", "geslachtsgemeenschap"),
        "other": ("something else", "iets anders"),
    },
    "initiator": {
        "me": ("the person who answered", "wie het invulde"),
        "partner": ("the partner", "de partner"),
        "both": ("both", "allebei"),
    },
    "bid_answer": {
        "no-bid": ("no bid", "geen toenadering"),
        "accepted": ("accepted", "erop ingegaan"),
        "loving-boundary": ("loving boundary", "liefdevolle grens"),
        "declined": ("declined", "afgewezen"),
    },
    "motive": {
        "closeness": ("to feel close", "om nabijheid te voelen"),
        "pleasure": ("for the pleasure", "voor het plezier"),
        "avoid-fight": ("to avoid a fight", "om ruzie te vermijden"),
        "keep-peace": ("to keep the peace", "om de vrede te bewaren"),
        "other": ("something else", "iets anders"),
    },
}

_YES_NO: tuple[Code, ...] = ((0, "no", "nee"), (1, "yes", "ja"))
_WEEKDAYS: tuple[Code, ...] = (
    (1, "Monday", "maandag"),
    (2, "Tuesday", "dinsdag"),
    (3, "Wednesday", "woensdag"),
    (4, "Thursday", "donderdag"),
    (5, "Friday", "vrijdag"),
    (6, "Saturday", "zaterdag"),
    (7, "Sunday", "zondag"),
)


def _value_codes(field: DiaryField) -> tuple[Code, ...]:
    """The labelled values of a diary field (the ends of a rating, every code otherwise)."""
    if field.kind is FieldKind.SCALE:
        (low_en, low_nl), (high_en, high_nl) = _ANCHORS[field.name]
        return ((SCALE_MIN, low_en, low_nl), (SCALE_MAX, high_en, high_nl))
    if field.kind is FieldKind.YES_NO:
        return _YES_NO
    if field.kind is FieldKind.CHOICE:
        texts = _CHOICES[field.name]
        return tuple((number, *texts[code]) for number, code in enumerate(field.codes, start=1))
    return ()


def _reasons(field: DiaryField) -> tuple[list[str], list[str]]:
    """Why a person who wrote that day may have left the field empty (en, nl)."""
    if field.kind is FieldKind.TEXT:
        return ["no note was written"], ["er geen notitie werd geschreven"]
    if not field.optional:
        return [], []
    en = ["the item was switched off for this couple", "it was not answered"]
    nl = ["het item voor dit koppel was uitgeschakeld", "het niet werd ingevuld"]
    if field.needs_contact:
        en.insert(0, "there was no sexual contact that day")
        nl.insert(0, "er die dag geen seksueel contact was")
    return en, nl


def _sentence(reasons: Sequence[str], when: str, conjunction: str) -> str:
    """``when a, when b or when c``."""
    clauses = [f"{when} {reason}" for reason in reasons]
    if len(clauses) <= 1:
        return "".join(clauses)
    return ", ".join(clauses[:-1]) + f" {conjunction} " + clauses[-1]


def _missing(field: DiaryField, suffix: str) -> tuple[str, str]:
    """What an empty cell of the field means in the column with ``suffix``."""
    en, nl = _reasons(field)
    if suffix == "":
        if not en:
            return (
                "Never empty in long; in pairwise empty when this person wrote no diary that day.",
                "Nooit leeg in long; in pairwise leeg als deze persoon die dag geen dagboek "
                "invulde.",
            )
        text_en = f"Empty {_sentence(en, 'when', 'or')}"
        text_nl = f"Leeg {_sentence(nl, 'als', 'of')}"
        if field.kind is FieldKind.TEXT:  # the note is only in long
            return text_en + ".", text_nl + "."
        return (
            text_en + "; in pairwise also when this person wrote no diary that day.",
            text_nl + "; in pairwise ook als deze persoon die dag geen dagboek invulde.",
        )
    who_en, who_nl = {
        PARTNER_SUFFIX: ("the partner", "de partner"),
        "_A": ("partner A", "partner A"),
        "_B": ("partner B", "partner B"),
    }[suffix]
    en = [f"{who_en} wrote no diary that day", *en]
    nl = [f"{who_nl} die dag geen dagboek invulde", *nl]
    return f"Empty {_sentence(en, 'when', 'or')}.", f"Leeg {_sentence(nl, 'als', 'of')}."


def _measure(field: DiaryField) -> str:
    return "scale" if field.kind is FieldKind.SCALE else "nominal"


def _exported(free_text: bool) -> tuple[DiaryField, ...]:
    """The diary fields that become columns, in the order of the form."""
    return tuple(f for f in FIELDS if free_text or f.kind is not FieldKind.TEXT)


def _paired() -> tuple[DiaryField, ...]:
    """The diary fields of the pairwise and dyad files (never free text)."""
    return _exported(free_text=False)


def _id_variables() -> tuple[Variable, ...]:
    return (
        Variable(
            "dyad",
            "Couple: its pseudonym in this study",
            "Koppel: het pseudoniem in deze studie",
            "string",
            "nominal",
            FILES,
        ),
        Variable(
            "person",
            "Person: the couple's pseudonym and the role",
            "Persoon: het pseudoniem van het koppel en de rol",
            "string",
            "nominal",
            ("long", "pairwise"),
        ),
        Variable(
            "role",
            "Role A or B, assigned by the therapist; it does not stand for gender or anything "
            "else, so treat the partners as indistinguishable unless you have a reason not to",
            "Rol A of B, toegekend door de therapeut; staat niet voor gender of iets anders, "
            "dus behandel de partners als niet te onderscheiden tenzij je een reden hebt",
            "string",
            "nominal",
            ("long", "pairwise"),
        ),
        Variable(
            "day",
            "Day of the diary: days since the couple's first entry (0 = that first day)",
            "Dag van het dagboek: dagen sinds de eerste invulling van het koppel "
            "(0 = die eerste dag)",
            "numeric",
            "scale",
            FILES,
        ),
        Variable(
            "weekday",
            "Day of the week (1 = Monday ... 7 = Sunday)",
            "Dag van de week (1 = maandag ... 7 = zondag)",
            "numeric",
            "nominal",
            FILES,
            _WEEKDAYS,
        ),
    )


_SUFFIXES = (  # column suffix, and what it adds to the English and Dutch label
    ("", "", ""),
    (PARTNER_SUFFIX, " (partner)", " (partner)"),
    ("_A", " (partner A)", " (partner A)"),
    ("_B", " (partner B)", " (partner B)"),
)


def _files_of(field: DiaryField, suffix: str) -> tuple[str, ...]:
    if field.kind is FieldKind.TEXT:
        return ("long",)
    return {"": ("long", "pairwise"), PARTNER_SUFFIX: ("pairwise",)}.get(suffix, ("dyad",))


def _field_variables(field: DiaryField) -> list[Variable]:
    """The codebook lines of one diary field: ``X``, ``X_p``, ``X_A`` and ``X_B``."""
    label_en, label_nl = _LABELS[field.name]
    text = field.kind is FieldKind.TEXT
    variables = []
    for suffix, more_en, more_nl in _SUFFIXES[:1] if text else _SUFFIXES:
        missing_en, missing_nl = _missing(field, suffix)
        variables.append(
            Variable(
                field.name + suffix,
                label_en + more_en,
                label_nl + more_nl,
                "string" if text else "numeric",
                _measure(field),
                _files_of(field, suffix),
                _value_codes(field),
                missing_en,
                missing_nl,
            )
        )
    return variables


def _codebook(free_text: bool) -> tuple[Variable, ...]:
    """One line per column of the three files: ids first, then each diary field."""
    variables = list(_id_variables())
    for field in _exported(free_text):
        variables.extend(_field_variables(field))
    return tuple(variables)


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
    return [*ID_COLUMNS, *(f.name for f in _exported(free_text))]


def _pairwise_columns() -> list[str]:
    own = [f.name for f in _paired()]
    return [*ID_COLUMNS, *own, *(name + PARTNER_SUFFIX for name in own)]


def _dyad_columns() -> list[str]:
    return [*DYAD_ID_COLUMNS, *(f.name + f"_{role}" for f in _paired() for role in ROLES)]


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
    names = [field.name for field in _paired()]
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
    names = [field.name for field in _paired()]
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
    dyad_days = _dyad_days(rows, _exported(free_text))
    codebook = _codebook(free_text)
    by_name = {variable.name: variable for variable in codebook}
    return Dataset(
        long=_frame(_long_columns(free_text), _long_records(dyad_days), by_name),
        pairwise=_frame(_pairwise_columns(), _pairwise_records(dyad_days), by_name),
        dyad=_frame(_dyad_columns(), _dyad_records(dyad_days), by_name),
        codebook=codebook,
        n_dyads=len({dyad_day.dyad for dyad_day in dyad_days}),
        n_persons=len({(d.dyad, role) for d in dyad_days for role in d.roles}),
    )
