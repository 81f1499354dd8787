"""Content shipped with Dyade as data files: instruments (and later exercises).

Instruments live in ``instruments/<id>/<version>.json``. They are read once per
process and never written; nothing here imports Django, so the pure clinical
core can find an instrument by its id.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from dyade.clinic.instruments import Instrument, parse_instrument

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


@cache
def all_instruments() -> dict[tuple[str, str], Instrument]:
    """Every shipped instrument by (id, version)."""
    found: dict[tuple[str, str], Instrument] = {}
    for path in sorted(INSTRUMENTS_DIR.glob("*/*.json")):
        with path.open(encoding="utf-8") as handle:
            instrument = parse_instrument(json.load(handle))
        if (instrument.id, instrument.version) != (path.parent.name, path.stem):
            raise ValueError(f"{path}: id and version must match the file's place")
        found[(instrument.id, instrument.version)] = instrument
    return found


def instrument(instrument_id: str, version: str | None = None) -> Instrument:
    """The instrument ``instrument_id`` in ``version``, or its newest version.

    Raises ``ValueError`` for an unknown id or version.
    """
    versions = [key[1] for key in all_instruments() if key[0] == instrument_id]
    if not versions:
        raise ValueError(f"unknown instrument {instrument_id!r}")
    if version is None:
        version = max(versions, key=_version_key)
    elif version not in versions:
        raise ValueError(f"instrument {instrument_id!r} has no version {version!r}")
    return all_instruments()[(instrument_id, version)]


def current_instruments() -> list[Instrument]:
    """The newest version of every instrument, Dyade's own first, then by id."""
    ids = sorted({key[0] for key in all_instruments()})
    newest = [instrument(instrument_id) for instrument_id in ids]
    return sorted(newest, key=lambda item: (item.kind != "dyade", item.id))


def raw_questionnaire(instrument_id: str, version: str) -> dict[str, object]:
    """The FHIR Questionnaire part of an instrument file, as stored."""
    path = INSTRUMENTS_DIR / instrument_id / f"{version}.json"
    with path.open(encoding="utf-8") as handle:
        data: dict[str, object] = json.load(handle)["questionnaire"]
    return data
