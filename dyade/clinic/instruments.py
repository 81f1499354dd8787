"""Questionnaires as data: parse an instrument file into plain, typed objects.

An instrument file (``dyade/content/instruments/<id>/<version>.json``) holds two
parts:

``questionnaire``
    A FHIR R4 ``Questionnaire`` resource. Dutch is the resource language; the
    English text of every title, question and answer sits in the standard FHIR
    ``translation`` extension. Groups are pages. An item's visibility is
    private unless it carries Dyade's ``visibility`` extension.
``scoring``
    What FHIR has no place for: kind (``validated`` or ``dyade``), whether only
    the key ships (``key_only``: no item texts, the practice imports them),
    response range and anchors, subscales with their items, method and
    missing-data rule, reverse-keyed items, published cut-offs, the source and
    the licence note.

This module only turns such a dict into objects; reading the files is done by
:mod:`dyade.content`. Nothing here imports Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from dyade.clinic.instrument_key import (
    Band,
    Change,
    ItemRange,
    parse_bands,
    parse_change,
    parse_item_ranges,
)
from dyade.clinic.visibility import Visibility

TRANSLATION_URL = "http://hl7.org/fhir/StructureDefinition/translation"
VISIBILITY_URL = "https://dyade.nl/fhir/StructureDefinition/visibility"
MIN_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/maxValue"
ORDINAL_URL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
LANGUAGES = ("nl", "en")
PAGE_SIZE = 6  # questions per page for instruments without groups


class ItemType(StrEnum):
    DISPLAY = "display"  # explanation, no answer
    TEXT = "text"  # free text
    INTEGER = "integer"  # a whole number between minimum and maximum
    CHOICE = "choice"  # one (or, with repeats, several) of the options


class Kind(StrEnum):
    VALIDATED = "validated"  # a published instrument; scored with its published key
    DYADE = "dyade"  # Dyade's own clinical questions; not a validated scale


class Method(StrEnum):
    MEAN = "mean"
    SUM = "sum"


Texts = Mapping[str, str]  # language code -> text


@dataclass(frozen=True)
class Option:
    code: str  # what is stored: the coding's code, or the integer as text
    value: int | None  # the integer of an integer option (or of a coding's ordinalValue)
    texts: Texts  # the words of a coded option; none for a bare integer


@dataclass(frozen=True)
class Item:
    link_id: str
    type: ItemType
    texts: Texts
    visibility: Visibility
    options: tuple[Option, ...] = ()
    repeats: bool = False
    minimum: int | None = None
    maximum: int | None = None

    @property
    def number(self) -> int | None:
        """The 1-based item number of a validated instrument (its linkId is the number)."""
        return int(self.link_id) if self.link_id.isdigit() else None

    @property
    def is_question(self) -> bool:
        return self.type != ItemType.DISPLAY

    def option(self, code: str) -> Option | None:
        return next((option for option in self.options if option.code == code), None)


@dataclass(frozen=True)
class Page:
    link_id: str
    texts: Texts
    items: tuple[Item, ...]
    visibility: Visibility

    @property
    def questions(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.is_question)


@dataclass(frozen=True)
class Subscale:
    """A scored part: its items summed or averaged, times ``weight``.

    A subscale with ``of`` instead of items is the sum of other subscales
    (the FSFI full scale is the sum of its six weighted domains); it is not
    scored when one of them is not.
    """

    id: str
    items: tuple[int, ...]
    method: Method
    max_missing_fraction: float
    weight: float = 1.0
    of: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cutoff:
    """A published cut-off: ``flag`` when the score is above ``above`` or below ``below``."""

    subscale: str
    above: float | None
    flag: str
    below: float | None = None


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    kind: Kind
    key_only: bool
    visibility: Visibility
    titles: Texts
    descriptions: Texts
    pages: tuple[Page, ...]
    response_min: int | None = None
    response_max: int | None = None
    anchors: Mapping[str, Mapping[int, str]] = field(default_factory=dict)
    subscales: tuple[Subscale, ...] = ()
    reverse: frozenset[int] = frozenset()
    cutoffs: tuple[Cutoff, ...] = ()
    plot: tuple[str, str] | None = None  # (x subscale, y subscale) of a two-dimensional plot
    source: str = ""
    licence: str = ""
    item_ranges: tuple[ItemRange, ...] = ()
    bands: tuple[Band, ...] = ()
    change: Change | None = None

    def item_range(self, number: int) -> tuple[int | None, int | None]:
        """The answer range of item ``number``: its own, else the instrument's."""
        for item_range in self.item_ranges:
            if number in item_range.items:
                return item_range.min, item_range.max
        return self.response_min, self.response_max

    @property
    def questions(self) -> tuple[Item, ...]:
        return tuple(item for page in self.pages for item in page.questions)

    def question(self, link_id: str) -> Item | None:
        return next((item for item in self.questions if item.link_id == link_id), None)

    @property
    def item_count(self) -> int:
        return len(self.questions)

    @property
    def scored(self) -> bool:
        return bool(self.subscales)


def text_in(texts: Texts, language: str) -> str:
    """The text in ``language``, else Dutch, else any text there is."""
    return texts.get(language) or texts.get("nl") or next(iter(texts.values()), "")


# --- parsing -------------------------------------------------------------------


def _texts(node: Mapping[str, Any], key: str, base_language: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    if node.get(key):
        texts[base_language] = str(node[key])
    for extension in node.get(f"_{key}", {}).get("extension", []):
        if extension.get("url") != TRANSLATION_URL:
            continue
        parts = {part["url"]: part for part in extension.get("extension", [])}
        if "lang" in parts and "content" in parts:
            texts[parts["lang"]["valueCode"]] = parts["content"]["valueString"]
    return texts


def _extension(node: Mapping[str, Any], url: str) -> Mapping[str, Any] | None:
    return next((ext for ext in node.get("extension", []) if ext.get("url") == url), None)


def _visibility(node: Mapping[str, Any], inherited: Visibility) -> Visibility:
    extension = _extension(node, VISIBILITY_URL)
    if extension is None:
        return inherited
    return Visibility(extension["valueCode"])


def _options(node: Mapping[str, Any], language: str) -> tuple[Option, ...]:
    options = []
    for answer in node.get("answerOption", []):
        if "valueInteger" in answer:
            value = int(answer["valueInteger"])
            options.append(Option(code=str(value), value=value, texts={}))
        elif "valueCoding" in answer:
            coding = answer["valueCoding"]
            texts = _texts(coding, "display", language)
            ordinal = _extension(answer, ORDINAL_URL)
            if ordinal is None:
                options.append(Option(code=coding["code"], value=None, texts=texts))
                continue
            # An answer with its own words that scores as a number (the CSI's answers):
            # FHIR's ordinalValue gives the number, and the code is that number as text.
            value = int(ordinal["valueDecimal"])
            if coding["code"] != str(value):
                raise ValueError(f"item {node['linkId']}: code {coding['code']} is not {value}")
            options.append(Option(code=str(value), value=value, texts=texts))
        else:
            raise ValueError(f"item {node['linkId']}: unsupported answerOption {answer}")
    return tuple(options)


def _item(node: Mapping[str, Any], language: str, visibility: Visibility) -> Item:
    try:
        item_type = ItemType(node["type"])
    except ValueError:
        raise ValueError(
            f"item {node.get('linkId')}: unsupported type {node.get('type')}"
        ) from None
    minimum = _extension(node, MIN_VALUE_URL)
    maximum = _extension(node, MAX_VALUE_URL)
    item = Item(
        link_id=str(node["linkId"]),
        type=item_type,
        texts=_texts(node, "text", language),
        visibility=_visibility(node, visibility),
        options=_options(node, language),
        repeats=bool(node.get("repeats", False)),
        minimum=int(minimum["valueInteger"]) if minimum else None,
        maximum=int(maximum["valueInteger"]) if maximum else None,
    )
    if item.type == ItemType.CHOICE and not item.options:
        raise ValueError(f"item {item.link_id}: a choice needs answer options")
    if item.type == ItemType.INTEGER and (item.minimum is None or item.maximum is None):
        raise ValueError(f"item {item.link_id}: an integer item needs minValue and maxValue")
    return item


def parse_instrument(data: Mapping[str, Any]) -> Instrument:
    """Build an :class:`Instrument` from the dict of an instrument file.

    Raises ``ValueError`` when the file does not follow the format.
    """
    resource = data["questionnaire"]
    scoring = data.get("scoring", {})
    if resource.get("resourceType") != "Questionnaire":
        raise ValueError("the 'questionnaire' part must be a FHIR Questionnaire")
    language = resource.get("language", "nl")
    visibility = Visibility(scoring.get("visibility", Visibility.PRIVATE))
    nodes = resource.get("item", [])
    pages: list[Page] = []
    if nodes and all(node["type"] == "group" for node in nodes):
        for group in nodes:
            group_visibility = _visibility(group, visibility)
            items = tuple(_item(node, language, group_visibility) for node in group.get("item", []))
            pages.append(
                Page(group["linkId"], _texts(group, "text", language), items, group_visibility)
            )
    else:
        items = tuple(_item(node, language, visibility) for node in nodes)
        for start in range(0, len(items), PAGE_SIZE):
            chunk = items[start : start + PAGE_SIZE]
            pages.append(Page(f"page-{len(pages) + 1}", {}, chunk, visibility))
    link_ids = [item.link_id for page in pages for item in page.items]
    if len(set(link_ids)) != len(link_ids):
        raise ValueError(f"{resource['id']}: linkIds must be unique")
    response = scoring.get("response", {})
    plot = scoring.get("plot")
    instrument = Instrument(
        id=resource["id"],
        version=str(resource["version"]),
        kind=Kind(scoring.get("kind", Kind.DYADE)),
        key_only=bool(scoring.get("key_only", False)),
        visibility=visibility,
        titles=_texts(resource, "title", language),
        descriptions=_texts(resource, "description", language),
        pages=tuple(pages),
        response_min=response.get("min"),
        response_max=response.get("max"),
        anchors={
            lang: {int(value): str(text) for value, text in anchors.items()}
            for lang, anchors in scoring.get("anchors", {}).items()
        },
        subscales=tuple(_subscale(sub) for sub in scoring.get("subscales", [])),
        reverse=frozenset(int(number) for number in scoring.get("reverse", [])),
        cutoffs=tuple(_cutoff(cut) for cut in scoring.get("cutoffs", [])),
        plot=(plot["x"], plot["y"]) if plot else None,
        source=scoring.get("source", ""),
        licence=scoring.get("licence", ""),
        item_ranges=parse_item_ranges(scoring),
        bands=parse_bands(scoring),
        change=parse_change(scoring),
    )
    _check_key(instrument)
    return instrument


def _subscale(sub: Mapping[str, Any]) -> Subscale:
    subscale = Subscale(
        id=sub["id"],
        items=tuple(int(number) for number in sub.get("items", [])),
        method=Method(sub["method"]),
        max_missing_fraction=float(sub.get("max_missing_fraction", 0.2)),
        weight=float(sub.get("weight", 1.0)),
        of=tuple(str(other) for other in sub.get("of", [])),
    )
    if bool(subscale.items) == bool(subscale.of):
        raise ValueError(f"subscale {subscale.id}: give either items or of")
    return subscale


def _cutoff(cut: Mapping[str, Any]) -> Cutoff:
    above, below = cut.get("above"), cut.get("below")
    if (above is None) == (below is None):
        raise ValueError(f"cut-off {cut.get('flag')}: give either above or below")
    return Cutoff(
        cut["subscale"],
        None if above is None else float(above),
        cut["flag"],
        None if below is None else float(below),
    )


def _check_key(instrument: Instrument) -> None:
    numbers = {item.number for item in instrument.questions}
    seen: set[str] = set()
    for subscale in instrument.subscales:
        unknown = set(subscale.items) - numbers
        if unknown:
            raise ValueError(
                f"{instrument.id}: subscale {subscale.id} names unknown items {unknown}"
            )
        if set(subscale.of) - seen:
            raise ValueError(f"{instrument.id}: {subscale.id} sums subscales not listed before it")
        seen.add(subscale.id)
    for item_range in instrument.item_ranges:
        if set(item_range.items) - numbers:
            raise ValueError(f"{instrument.id}: an item range names unknown items")
    if instrument.reverse - numbers:
        raise ValueError(f"{instrument.id}: reverse-keyed items that do not exist")
    if instrument.subscales and (
        instrument.response_min is None or instrument.response_max is None
    ):
        raise ValueError(f"{instrument.id}: a scored instrument needs a response range")
    subscale_ids = {subscale.id for subscale in instrument.subscales}
    named = [cutoff.subscale for cutoff in instrument.cutoffs]
    named += [band.subscale for band in instrument.bands]
    if instrument.change is not None:
        named.append(instrument.change.subscale)
    for subscale_id in named:
        if subscale_id not in subscale_ids:
            raise ValueError(f"{instrument.id}: a cut-off, band or change on unknown {subscale_id}")
