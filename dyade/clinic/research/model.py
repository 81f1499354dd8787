"""The research export's data: a diary row in, codebook lines and the three tables out.

Also the constants every part of the export shares and the study
:func:`pseudonym`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

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
