"""The negative interaction cycle (Johnson 2004; seed 002): positions, layers, flips.

A cycle map describes, for each partner, in daily life and around sex
separately, one turn of the pattern from the outside in:

    position -> behaviour -> how the other reads it -> secondary emotion
    -> primary emotion -> attachment need or fear

Example from seed 002, in our words: in daily life one partner criticises (the
pursuer) because she wants to be seen; the other hears "I always fail" and
withdraws. Around sex the positions turn: he seeks contact through sex, she
needs to feel connected first and pulls back. That turn is a *flip*.

Pure: no Django. The web layer stores versions of :class:`CycleMap` as JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from dyade.clinic.intake import Position, daily_position, is_flip, sexual_position

DOMAINS = ("daily", "sex")
LAYERS = ("behaviour", "perceived_as", "secondary_emotion", "primary_emotion", "need")
MAX_TEXT = 300  # one short sentence per layer; the map must stay readable


class CycleError(ValueError):
    """A cycle map that cannot be stored; the message names the field."""


@dataclass(frozen=True)
class Side:
    """One partner's turn of the cycle in one domain."""

    position: Position | None = None
    behaviour: str = ""  # what the other sees
    perceived_as: str = ""  # how the other reads it
    secondary_emotion: str = ""  # the reactive emotion on the surface (anger, numbness)
    primary_emotion: str = ""  # the softer one underneath (fear, sadness, shame)
    need: str = ""  # the attachment need or fear

    @property
    def is_empty(self) -> bool:
        return self.position is None and not any(getattr(self, layer) for layer in LAYERS)


@dataclass(frozen=True)
class PartnerCycle:
    daily: Side = field(default_factory=Side)
    sex: Side = field(default_factory=Side)

    @property
    def flips(self) -> bool:
        return is_flip(self.daily.position, self.sex.position)


@dataclass(frozen=True)
class CycleMap:
    partners: Mapping[str, PartnerCycle] = field(default_factory=dict)

    def side(self, slot: str, domain: str) -> Side:
        partner = self.partners.get(slot, PartnerCycle())
        return partner.daily if domain == "daily" else partner.sex

    def flips(self) -> list[str]:
        """The slots of partners whose position around sex is the opposite of daily life."""
        return [slot for slot, partner in sorted(self.partners.items()) if partner.flips]

    @property
    def is_empty(self) -> bool:
        return all(self.side(slot, d).is_empty for slot in self.partners for d in DOMAINS)

    def as_json(self) -> dict[str, Any]:
        def side(value: Side) -> dict[str, Any]:
            data = asdict(value)
            data["position"] = value.position.value if value.position else None
            return data

        return {
            slot: {domain: side(self.side(slot, domain)) for domain in DOMAINS}
            for slot in sorted(self.partners)
        }


def _position(value: Any, where: str) -> Position | None:
    if value in (None, ""):
        return None
    try:
        return Position(value)
    except ValueError:
        raise CycleError(f"{where}.position: not a position") from None


def _side(data: Any, where: str) -> Side:
    if data is None:
        return Side()
    if not isinstance(data, Mapping):
        raise CycleError(f"{where}: expected an object")
    unknown = set(data) - {"position", *LAYERS}
    if unknown:
        raise CycleError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    texts: dict[str, str] = {}
    for layer in LAYERS:
        value = data.get(layer)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise CycleError(f"{where}.{layer}: expected text")
        value = " ".join(value.split())
        if len(value) > MAX_TEXT:
            raise CycleError(f"{where}.{layer}: at most {MAX_TEXT} characters")
        texts[layer] = value
    return Side(position=_position(data.get("position"), where), **texts)


def parse(data: Any, slots: tuple[str, ...] = ("A", "B")) -> CycleMap:
    """Read a map from its JSON form (as :meth:`CycleMap.as_json` writes it)."""
    if not isinstance(data, Mapping):
        raise CycleError("cycle map: expected an object")
    unknown = set(data) - set(slots)
    if unknown:
        raise CycleError(f"cycle map: unknown partner(s) {', '.join(sorted(unknown))}")
    partners: dict[str, PartnerCycle] = {}
    for slot in slots:
        value = data.get(slot)
        if value is None:
            value = {}
        if not isinstance(value, Mapping) or set(value) - set(DOMAINS):
            raise CycleError(f"{slot}: expected daily and sex")
        partners[slot] = PartnerCycle(
            daily=_side(value.get("daily"), f"{slot}.daily"),
            sex=_side(value.get("sex"), f"{slot}.sex"),
        )
    return CycleMap(partners)


def prefill(intakes: Mapping[str, Mapping[str, Any]], slots: tuple[str, ...]) -> CycleMap:
    """A first map from the partners' sent intakes: each partner's own positions.

    Only what a partner said about themself is used; the layers stay empty for
    the therapist to fill in the session, because the feelings under the
    behaviour are found together, not read from a form.
    """
    partners = {}
    for slot in slots:
        answers = intakes.get(slot) or {}
        partners[slot] = PartnerCycle(
            daily=Side(position=_named(daily_position(answers))),
            sex=Side(position=_named(sexual_position(answers))),
        )
    return CycleMap(partners)


def _named(position: Position | None) -> Position | None:
    """Only pursue and withdraw make a cycle; "mixed" and "none" are left to the therapist."""
    return position if position in (Position.PURSUE, Position.WITHDRAW) else None


def with_side(cycle: CycleMap, slot: str, domain: str, side: Side) -> CycleMap:
    partners = dict(cycle.partners)
    current = partners.get(slot, PartnerCycle())
    partners[slot] = replace(current, **{domain: side})
    return CycleMap(partners)
