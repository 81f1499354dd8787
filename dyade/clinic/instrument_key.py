"""The parts of a scoring key beyond subscales and reverse items.

Read from the ``scoring`` part of an instrument file by
:func:`dyade.clinic.instruments.parse_instrument`; every part is optional, so
the keys written before these existed (ECR-R, HITS) read as before.

``item_ranges``
    Items whose answer range differs from the instrument's ``response``
    range: ``[{"items": [1], "min": 0, "max": 6}]`` (the first CSI item has
    seven answers, the others six). Reverse keying and the range check use
    the item's own range.
``bands``
    Published score bands with a code each, e.g. the IIEF-5 severity bands:
    ``[{"subscale": "total", "min": 22, "max": 25, "band": "none"}]``. Bounds
    are inclusive.
``change``
    What :mod:`dyade.clinic.progress` needs for reliable change and clinical
    significance (Jacobson & Truax 1991): the subscale followed over sessions,
    which direction is better, the published cut-off, and the published
    standard deviation and reliability with their source. ``sd`` and
    ``reliability`` are left out when no published value could be verified;
    reliable change is then not computed.

Nothing here imports Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Direction(StrEnum):
    HIGHER_BETTER = "higher-better"  # e.g. relationship satisfaction (CSI)
    LOWER_BETTER = "lower-better"  # e.g. a symptom count


@dataclass(frozen=True)
class ItemRange:
    items: tuple[int, ...]
    min: int
    max: int


@dataclass(frozen=True)
class Band:
    subscale: str
    low: float
    high: float
    band: str


@dataclass(frozen=True)
class Change:
    """The published values reliable change and clinical significance are computed from."""

    subscale: str
    direction: Direction
    cutoff: float | None = None  # the clinical cut-off on ``subscale``
    sd: float | None = None  # published standard deviation (Jacobson & Truax's s1)
    reliability: float | None = None  # published reliability (test-retest or alpha)
    source: str = ""

    @property
    def computable(self) -> bool:
        """Both published values are known, so reliable change can be computed."""
        return self.sd is not None and self.reliability is not None


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}: expected a number")
    return float(value)


def parse_item_ranges(scoring: Mapping[str, Any]) -> tuple[ItemRange, ...]:
    ranges = []
    for raw in scoring.get("item_ranges", []):
        low, high = int(raw["min"]), int(raw["max"])
        if low >= high:
            raise ValueError(f"item range {raw}: min must be below max")
        ranges.append(ItemRange(tuple(int(n) for n in raw["items"]), low, high))
    return tuple(ranges)


def parse_bands(scoring: Mapping[str, Any]) -> tuple[Band, ...]:
    bands = []
    for raw in scoring.get("bands", []):
        low = _number(raw["min"], "band min")
        high = _number(raw["max"], "band max")
        if low > high:
            raise ValueError(f"band {raw['band']}: min above max")
        bands.append(Band(str(raw["subscale"]), low, high, str(raw["band"])))
    return tuple(bands)


def parse_change(scoring: Mapping[str, Any]) -> Change | None:
    raw = scoring.get("change")
    if raw is None:
        return None
    sd = raw.get("sd")
    reliability = raw.get("reliability")
    cutoff = raw.get("cutoff")
    change = Change(
        subscale=str(raw["subscale"]),
        direction=Direction(raw["direction"]),
        cutoff=None if cutoff is None else _number(cutoff, "change cutoff"),
        sd=None if sd is None else _number(sd, "change sd"),
        reliability=None if reliability is None else _number(reliability, "change reliability"),
        source=str(raw.get("source", "")),
    )
    if change.sd is not None and change.sd <= 0:
        raise ValueError("change sd must be above 0")
    if change.reliability is not None and not 0 < change.reliability < 1:
        raise ValueError("change reliability must lie between 0 and 1")
    return change
