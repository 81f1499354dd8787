"""Reading typed values from the JSON form of a case snapshot.

Each reader takes a JSON object, a key and ``where`` (the path of the object,
for the message) and returns the value, ``None`` when it is absent or null, or
raises :class:`SnapshotError` naming the field and what was expected. Used by
:func:`dyade.clinic.snapshot.parse`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class SnapshotError(ValueError):
    """A snapshot that cannot be read; the message names the field and the problem."""


def check_keys(data: Any, where: str, allowed: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise SnapshotError(f"{where}: expected an object")
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise SnapshotError(f"{where}: unknown field(s) {', '.join(unknown)}")
    return data


def read_int(data: Mapping[str, Any], key: str, where: str, low: int, high: int) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SnapshotError(f"{where}.{key}: expected a whole number from {low} to {high}")
    return value


def read_float(
    data: Mapping[str, Any], key: str, where: str, low: float, high: float
) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise SnapshotError(f"{where}.{key}: expected a number from {low} to {high}")
    return float(value)


def read_bool(data: Mapping[str, Any], key: str, where: str) -> bool | None:
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise SnapshotError(f"{where}.{key}: expected true or false")


def read_code(data: Mapping[str, Any], key: str, where: str, codes: tuple[str, ...]) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if value not in codes:
        raise SnapshotError(f"{where}.{key}: expected one of {', '.join(codes)}")
    return str(value)


def read_str(data: Mapping[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise SnapshotError(f"{where}.{key}: expected text")


SERIES_MAX = 1000  # sessions in one series: far beyond any therapy


def _series(data: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > SERIES_MAX:
        raise SnapshotError(f"{where}.{key}: expected a list of at most {SERIES_MAX} entries")
    return value


def read_code_series(
    data: Mapping[str, Any], key: str, where: str, codes: tuple[str, ...]
) -> tuple[str | None, ...]:
    """A list with one entry per session: null or one of ``codes``."""
    series = _series(data, key, where)
    for index, entry in enumerate(series):
        if entry is not None and entry not in codes:
            raise SnapshotError(
                f"{where}.{key}[{index}]: expected null or one of {', '.join(codes)}"
            )
    return tuple(None if entry is None else str(entry) for entry in series)


def read_number_series(
    data: Mapping[str, Any], key: str, where: str, low: float, high: float
) -> tuple[float | None, ...]:
    """A list with one entry per session: null or a number from ``low`` to ``high``."""
    series = _series(data, key, where)
    for index, entry in enumerate(series):
        if entry is None:
            continue
        if (
            isinstance(entry, bool)
            or not isinstance(entry, int | float)
            or not low <= entry <= high
        ):
            raise SnapshotError(f"{where}.{key}[{index}]: expected null or {low} to {high}")
    return tuple(None if entry is None else float(entry) for entry in series)
