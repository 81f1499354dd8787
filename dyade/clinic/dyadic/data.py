"""Reading and checking dyadic data in individual (one row per person) format.

Every check raises :class:`DyadicDataError` with a one-line message, which the
command line turns into exit status 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


class DyadicDataError(ValueError):
    """The data cannot be used as given (missing column, dyad of three, text in a number)."""


def read_csv(path: str) -> pd.DataFrame:
    """Read a CSV file as text; blank cells (including a single space) are missing."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=True, skipinitialspace=True)
    except FileNotFoundError as exc:
        raise DyadicDataError(f"no such file: {path}") from exc
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DyadicDataError(f"cannot read {path}: {message}") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def require_columns(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    """Raise if a column is missing."""
    for column in columns:
        if column not in frame.columns:
            raise DyadicDataError(f"column {column!r} not found in the data")


def text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """A key column (dyad, role) as stripped text; a missing key is an error."""
    values = frame[column].astype("string").str.strip()
    if bool(values.isna().any()) or bool((values == "").any()):
        raise DyadicDataError(f"column {column!r} has empty cells")
    return values


def numeric_column(frame: pd.DataFrame, column: str) -> Array:
    """A numeric column; blanks become NaN, any other non-number is an error."""
    series = frame[column]
    if series.dtype.kind in "iuf":  # numbers already (numpy or nullable): no round trip via text
        out: Array = series.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        raw = series.astype("string").str.strip()
        raw = raw.mask(raw == "")
        values = pd.to_numeric(raw, errors="coerce")
        bad = values.isna() & raw.notna()
        if bool(bad.any()):
            example = str(raw[bad].iloc[0])
            raise DyadicDataError(f"column {column!r} is not numeric (value {example!r})")
        out = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(out[~np.isnan(out)])):
        raise DyadicDataError(f"column {column!r} has infinite values")
    return out


@dataclass(frozen=True)
class Pairing:
    """Persons of individual-format data with the row of their partner.

    Attributes
    ----------
    dyad : list of str
        The dyad of each person.
    role : list of str or None
        The role of each person, as written in the data (``None`` without a role column).
    partner : ndarray of int
        Row index of each person's partner, ``-1`` for a person without a partner row.
    roles : list of str
        The distinct roles in order of first appearance.
    """

    dyad: list[str]
    role: list[str] | None
    partner: IntArray
    roles: list[str]


def pair_persons(
    frame: pd.DataFrame, dyad_column: str, role_column: str | None, *, distinguishable: bool
) -> Pairing:
    """Find each person's partner through the dyad column and check the roles.

    A dyad has one or two rows; with ``distinguishable`` the role column must
    have exactly two values and the two members of a dyad different roles.
    """
    require_columns(frame, [dyad_column] + ([role_column] if role_column else []))
    if distinguishable and not role_column:
        raise DyadicDataError("distinguishable dyads need a role column (--role)")
    dyads = text_column(frame, dyad_column).tolist()
    roles_of = text_column(frame, role_column).tolist() if role_column else None
    members: dict[str, list[int]] = {}
    for index, dyad in enumerate(dyads):
        members.setdefault(dyad, []).append(index)
    partner = np.full(len(dyads), -1, dtype=np.intp)
    for dyad, rows in members.items():
        if len(rows) > 2:
            raise DyadicDataError(f"dyad {dyad!r} has {len(rows)} members (a dyad has two)")
        if len(rows) == 2:
            partner[rows[0]], partner[rows[1]] = rows[1], rows[0]
    roles: list[str] = []
    if roles_of is not None:
        roles = list(dict.fromkeys(roles_of))
        if distinguishable:
            if len(roles) != 2:
                raise DyadicDataError(
                    f"distinguishable dyads need exactly two roles in {role_column!r}, "
                    f"found {len(roles)}"
                )
            for dyad, rows in members.items():
                if len(rows) == 2 and roles_of[rows[0]] == roles_of[rows[1]]:
                    raise DyadicDataError(f"both members of dyad {dyad!r} have the same role")
    return Pairing(dyad=dyads, role=roles_of, partner=partner, roles=roles)


def partner_values(values: Array, pairing: Pairing) -> Array:
    """The partner's value for each person (NaN without a partner)."""
    out = np.full(values.shape, np.nan)
    has = pairing.partner >= 0
    out[has] = values[pairing.partner[has]]
    return out
