"""Content shipped with Dyade as data files: instruments (and later exercises).

Instruments live in ``instruments/<id>/<version>.json``. They are read once per
process and never written; nothing here imports Django. The pure clinical core
does not import this package: callers look an instrument up here and pass it
in (:func:`score_instrument` does so for scoring).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from dyade.clinic.instruments import Instrument, parse_instrument
from dyade.clinic.scoring import Answers, Scores, score_key

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


def score_instrument(instrument_id: str, answers: Answers) -> Scores:
    """Score ``answers`` with the newest version of a shipped instrument.

    ``answers`` maps 1-based item numbers to integer answers (or ``None`` for
    unanswered); the result maps subscale ids (``anxiety``, ``avoidance``,
    ``total`` ...) to scores, ``None`` where too much is missing. Raises
    ``ValueError`` for an unknown id, an instrument without a key or an
    answer that does not fit (see :func:`dyade.clinic.scoring.score_key`).

    >>> score_instrument("hits", {1: 1, 2: 2, 3: 3, 4: 5})
    {'total': 11.0}
    """
    return score_key(instrument(instrument_id), answers)


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


# --- formal Dutch ----------------------------------------------------------------

CONTENT_DIR = Path(__file__).resolve().parent
# The language code of Dutch with "u" (a practice setting; dyade.accounts activates it).
FORMAL_DUTCH = "nl-formal"


@cache
def formal_texts(kind: str, slug: str) -> dict[str, str]:
    """The formal Dutch of one content file: its informal Dutch text -> the same with "u".

    Held in ``<kind>/formal/<slug>.json`` beside the file (``kind`` is ``reading`` or
    ``exercises``). A text that is not listed, or a file without a formal file, keeps its
    informal Dutch. Raises ``ValueError`` when the file is not a map of texts.
    """
    path = CONTENT_DIR / kind / "formal" / f"{slug}.json"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict) or not all(
        isinstance(key, str) and isinstance(value, str) and value.strip()
        for key, value in data.items()
    ):
        raise ValueError(f"{path}: must map each informal Dutch text to its formal text")
    return data


def _language_and_formal(kind: str, slug: str, language: str) -> tuple[str, dict[str, str]]:
    """The language of the data file to read, and the formal texts to put over it."""
    if language == FORMAL_DUTCH:
        return "nl", formal_texts(kind, slug)
    return (language if language in READING_LANGUAGES else "nl"), {}


def instrument_in(instrument: Instrument, language: str) -> Instrument:
    """``instrument`` as a partner reads it in ``language``: for ``nl-formal`` its Dutch
    texts are replaced by ``instruments/<id>/formal/<version>.json`` (each one listed there;
    the rest, and every other language, stay as they are). Scoring reads no text, so the
    copy scores the same."""
    if language != FORMAL_DUTCH:
        return instrument
    formal = formal_texts(f"instruments/{instrument.id}", instrument.version)
    if not formal:
        return instrument

    def texts(value: Any) -> Any:
        if "nl" not in value:
            return value
        return {**value, "nl": formal.get(value["nl"], value["nl"])}

    def item(one: Any) -> Any:
        options = tuple(replace(option, texts=texts(option.texts)) for option in one.options)
        return replace(one, texts=texts(one.texts), options=options)

    pages = tuple(
        replace(page, texts=texts(page.texts), items=tuple(item(one) for one in page.items))
        for page in instrument.pages
    )
    return replace(
        instrument,
        titles=texts(instrument.titles),
        descriptions=texts(instrument.descriptions),
        pages=pages,
    )


# --- psycho-education ------------------------------------------------------------

READING_DIR = Path(__file__).resolve().parent / "reading"
READING_LANGUAGES = ("nl", "en")
# The order a therapist usually meets them in; a page added later comes last.
READING_ORDER = (
    "basic-needs",
    "pursue-withdraw",
    "attachment-styles",
    "points-of-balance",
    "comfort-conflict-zone",
    "sex-barometer",
    "stress-exhaustion",
    "good-enough-sex",
)


@dataclass(frozen=True)
class Section:
    heading: dict[str, str]
    paragraphs: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Reading:
    """One psycho-education page, in Dutch and English."""

    slug: str
    version: int
    minutes: int
    title: dict[str, str]
    summary: dict[str, str]
    sections: tuple[Section, ...]
    sources: tuple[str, ...]

    def in_language(self, language: str) -> dict[str, object]:
        """Title, summary and sections in ``language`` (Dutch when it is not there).

        ``nl-formal`` reads the Dutch with the page's formal texts put over it.
        """
        lang, formal = _language_and_formal("reading", self.slug, language)

        def text(value: str) -> str:
            return formal.get(value, value)

        return {
            "slug": self.slug,
            "minutes": self.minutes,
            "title": text(self.title[lang]),
            "summary": text(self.summary[lang]),
            "sections": [
                {
                    "heading": text(section.heading[lang]),
                    "paragraphs": tuple(text(p) for p in section.paragraphs[lang]),
                }
                for section in self.sections
            ],
            "sources": self.sources,
        }


def _texts(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != set(READING_LANGUAGES):
        raise ValueError(f"{where}: needs exactly {', '.join(READING_LANGUAGES)}")
    if not all(isinstance(text, str) and text.strip() for text in value.values()):
        raise ValueError(f"{where}: empty text")
    return {lang: value[lang].strip() for lang in READING_LANGUAGES}


def parse_reading(data: dict[str, Any]) -> Reading:
    slug = data.get("slug")
    if not isinstance(slug, str) or not slug:
        raise ValueError("reading: no slug")
    sections = []
    raw_sections: list[dict[str, Any]] = data.get("sections") or []
    for index, raw in enumerate(raw_sections):
        paragraphs = raw["paragraphs"]
        if set(paragraphs) != set(READING_LANGUAGES) or not all(paragraphs.values()):
            raise ValueError(f"{slug} section {index}: paragraphs in both languages")
        sections.append(
            Section(
                heading=_texts(raw["heading"], f"{slug} section {index} heading"),
                paragraphs={lang: tuple(paragraphs[lang]) for lang in READING_LANGUAGES},
            )
        )
    if not sections:
        raise ValueError(f"{slug}: no sections")
    return Reading(
        slug=slug,
        version=int(data.get("version", 1)),
        minutes=int(data.get("minutes", 3)),
        title=_texts(data.get("title"), f"{slug} title"),
        summary=_texts(data.get("summary"), f"{slug} summary"),
        sections=tuple(sections),
        sources=tuple(data.get("sources") or ()),
    )


@cache
def readings() -> dict[str, Reading]:
    """Every psycho-education page by slug, in a stable order."""
    found: dict[str, Reading] = {}
    for path in sorted(READING_DIR.glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            reading = parse_reading(json.load(handle))
        if reading.slug != path.stem:
            raise ValueError(f"{path}: slug must match the file name")
        found[reading.slug] = reading

    def order(slug: str) -> tuple[int, str]:
        return (READING_ORDER.index(slug) if slug in READING_ORDER else len(READING_ORDER), slug)

    return {slug: found[slug] for slug in sorted(found, key=order)}


# --- exercises -------------------------------------------------------------------

EXERCISES_DIR = Path(__file__).resolve().parent / "exercises"
EXERCISE_KINDS = ("agreement", "guided", "ladder", "inventory", "plan", "log", "in-session")


@cache
def exercises() -> dict[str, dict[str, Any]]:
    """Every exercise by slug, checked on first use (the files are the library).

    The data stays as loaded (a dict per exercise, Dutch and English side by
    side); :func:`exercise_text` picks one language for a page.
    """
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(EXERCISES_DIR.glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            data: dict[str, Any] = json.load(handle)
        check_exercise(data, path.stem)
        found[data["slug"]] = data
    return found


def check_exercise(data: dict[str, Any], slug: str) -> None:
    """Raise ``ValueError`` naming the problem if an exercise file is not usable."""
    if data.get("slug") != slug:
        raise ValueError(f"{slug}: slug must match the file name")
    if data.get("kind") not in EXERCISE_KINDS:
        raise ValueError(f"{slug}: kind must be one of {', '.join(EXERCISE_KINDS)}")
    if not isinstance(data.get("touch", False), bool):
        raise ValueError(f"{slug}: touch must be true or false")
    for key in ("title", "summary", "why"):
        _texts(data.get(key), f"{slug} {key}")
    if not data.get("steps"):
        raise ValueError(f"{slug}: no steps")
    for index, step in enumerate(data["steps"]):
        _texts(step, f"{slug} step {index + 1}")
    for agreement in data.get("agreements") or []:
        _texts({lang: agreement.get(lang) for lang in READING_LANGUAGES}, f"{slug} agreement")
    timer = data.get("timer")
    if data["kind"] == "guided":
        if not timer or not 1 <= timer["min_minutes"] <= timer["default_minutes"]:
            raise ValueError(f"{slug}: a guided exercise needs a timer")
        if not timer["default_minutes"] <= timer["max_minutes"] <= 60:
            raise ValueError(f"{slug}: timer minutes out of order")
    ladder = data.get("ladder")
    if data["kind"] == "ladder":
        if not ladder or [step["step"] for step in ladder] != list(range(1, len(ladder) + 1)):
            raise ValueError(f"{slug}: ladder steps must be numbered 1, 2, 3, ...")
        for step in ladder:
            _texts(step["title"], f"{slug} ladder step {step['step']} title")
            _texts(step["touch"], f"{slug} ladder step {step['step']} touch")


def exercise_text(slug: str, language: str) -> dict[str, Any]:
    """One exercise with every text in ``language`` (Dutch when it is not offered).

    ``nl-formal`` reads the Dutch with the exercise's formal texts put over it.
    """
    lang, formal = _language_and_formal("exercises", slug, language)

    def pick(value: Any) -> Any:
        if isinstance(value, dict) and set(READING_LANGUAGES) <= set(value):
            rest = {k: pick(v) for k, v in value.items() if k not in READING_LANGUAGES}
            text = formal.get(value[lang], value[lang])
            return {**rest, "text": text} if rest else text
        if isinstance(value, dict):
            return {key: pick(item) for key, item in value.items()}
        if isinstance(value, list):
            return [pick(item) for item in value]
        return value

    return pick(exercises()[slug])  # type: ignore[no-any-return]
