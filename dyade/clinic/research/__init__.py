"""The research export of a dyadic diary study: three analysis-ready tables and a codebook.

Pure: no Django, no files. The caller reads the diary entries of the consenting
couples of one study, replaces each couple by its :func:`pseudonym` and passes
the entries as :class:`DiaryRow`; :func:`build` returns

* ``long``: one row per person-day (what was written, nothing added);
* ``pairwise``: Kenny's pairwise format, one row per person per dyad-day with
  the person's own answers ``X`` and the partner's answers of the same day
  ``X_p``;
* ``dyad``: one row per dyad-day with ``X_A`` and ``X_B``;

and a bilingual codebook (English and Dutch) with a line for every column. The
fourth file of an export, ``sessions`` (outcome and alliance check-ins per
session), is made by :mod:`dyade.clinic.research.sessions`.

For a large study the export does not hold the tables: :func:`couple_tables`
gives one couple's rows at a time (as cells, or as CSV text), in the columns
of :func:`layout`; :func:`build` is the same code run over all couples.

No calendar date leaves this package: a day is counted from the couple's first
diary entry (``day``) and kept as its weekday (``weekday``), which is what
diary analyses need (time trends, weekend effects) without a date that could
help to recognise a couple.
"""

from dyade.clinic.research.model import (
    DYAD_ID_COLUMNS,
    FILES,
    ID_COLUMNS,
    IGNORED,
    PARTNER_SUFFIX,
    ROLES,
    Cell,
    Code,
    Dataset,
    DiaryRow,
    Variable,
    pseudonym,
)
from dyade.clinic.research.stream import CoupleTables, Layout, couple_tables, csv_text, layout
from dyade.clinic.research.tables import build

__all__ = [
    "DYAD_ID_COLUMNS",
    "FILES",
    "ID_COLUMNS",
    "IGNORED",
    "PARTNER_SUFFIX",
    "ROLES",
    "Cell",
    "Code",
    "CoupleTables",
    "Dataset",
    "DiaryRow",
    "Layout",
    "Variable",
    "build",
    "couple_tables",
    "csv_text",
    "layout",
    "pseudonym",
]
