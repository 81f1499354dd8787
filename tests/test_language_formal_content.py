"""Formal Dutch ("u") in the content files partners read: exercises and psycho-education.

A content file's formal Dutch lives in ``<kind>/formal/<slug>.json`` beside it: a map from
each informal Dutch text of the file to the same text with "u". The loader puts it over the
Dutch when the language is ``nl-formal``; a text or a file without a formal version keeps
its informal Dutch. These tests need no database.

Partners say "je" to each other: speech a partner says or thinks to the other ("ik mis
je") stays informal inside typographic single quotes (U+2018 ... U+2019), and only the text
outside such quotes must be formal. The exercises' debrief prompts are read by the
therapist, not by partners, and stay as they are.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import dyade.content as content
from dyade.clinic.instruments import Instrument
from dyade.content import (
    FORMAL_DUTCH,
    all_instruments,
    exercise_text,
    exercises,
    formal_texts,
    instrument,
    instrument_in,
    readings,
)

INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)
QUOTED = re.compile(r"‘[^’]*’")
THERAPIST_ONLY = {"prompts"}  # keys of an exercise file that no partner page shows


def _dutch_texts(value: Any, skip: bool = False) -> list[tuple[str, bool]]:
    """Every Dutch text of a content file, with whether a partner reads it."""
    if isinstance(value, dict):
        found: list[tuple[str, bool]] = []
        if isinstance(value.get("nl"), str):
            found.append((value["nl"], not skip))
        if isinstance(value.get("nl"), list):
            found += [(text, not skip) for text in value["nl"]]
        for key, item in value.items():
            if key not in ("nl", "en"):
                found += _dutch_texts(item, skip or key in THERAPIST_ONLY)
        return found
    if isinstance(value, list):
        return [pair for item in value for pair in _dutch_texts(item, skip)]
    return []


def _files() -> list[tuple[str, str]]:
    return [("reading", slug) for slug in readings()] + [("exercises", s) for s in exercises()]


def _source(kind: str, slug: str) -> Any:
    path = content.CONTENT_DIR / kind / f"{slug}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _outside_quotes(text: str) -> str:
    return QUOTED.sub(" ", text)


@pytest.mark.parametrize(("kind", "slug"), _files())
def test_every_partner_text_that_says_je_has_a_formal_version(kind: str, slug: str) -> None:
    formal = formal_texts(kind, slug)
    missing = [
        text
        for text, partner_reads in _dutch_texts(_source(kind, slug))
        if partner_reads and INFORMAL.search(_outside_quotes(text)) and text not in formal
    ]
    assert not missing, f"{kind}/{slug}: no formal version of {missing}"


@pytest.mark.parametrize(("kind", "slug"), _files())
def test_formal_versions_say_u_and_belong_to_a_text_of_their_file(kind: str, slug: str) -> None:
    formal = formal_texts(kind, slug)
    dutch = {text for text, _reads in _dutch_texts(_source(kind, slug))}
    stale = [key for key in formal if key not in dutch]
    assert not stale, f"{kind}/formal/{slug}.json holds texts its file no longer has: {stale}"
    for informal, text in formal.items():
        assert not INFORMAL.search(_outside_quotes(text)), f"informal Dutch: {text}"
        assert text != informal, f"a formal version that changes nothing: {text}"


def test_a_formal_reading_page_says_u_and_keeps_what_a_partner_says_to_the_other() -> None:
    page = readings()["pursue-withdraw"].in_language(FORMAL_DUTCH)
    words = " ".join(
        [str(page["title"]), str(page["summary"])]
        + [p for section in page["sections"] for p in section["paragraphs"]]  # type: ignore[attr-defined]
    )
    assert "niet uw partner" in str(page["summary"])
    assert "‘ik mis je’" in words  # what one partner means to say to the other
    assert not INFORMAL.search(_outside_quotes(words))
    informal = readings()["pursue-withdraw"].in_language("nl")
    assert "niet je partner" in str(informal["summary"])


def test_a_formal_exercise_says_u_in_every_text_a_partner_reads() -> None:
    text = exercise_text("sensate-focus", FORMAL_DUTCH)
    assert text["summary"].startswith("Thuis bouwt u samen aanraking")
    shown = json.dumps(
        {k: v for k, v in text.items() if k not in THERAPIST_ONLY}, ensure_ascii=False
    )
    assert not INFORMAL.search(_outside_quotes(shown))
    assert text["ladder"][5]["title"] == "Seks op uw eigen manier"
    # The therapist's debrief prompts keep their Dutch.
    assert text["prompts"] == exercise_text("sensate-focus", "nl")["prompts"]


def test_english_and_informal_dutch_are_untouched() -> None:
    assert exercise_text("hug-till-relaxed", "en")["title"] == "Hug till relaxed"
    assert exercise_text("hug-till-relaxed", "nl")["title"] == "Knuffelen tot je ontspant"
    assert exercise_text("hug-till-relaxed", FORMAL_DUTCH)["title"] == "Knuffelen tot u ontspant"


def test_without_a_formal_file_the_informal_dutch_is_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(content, "CONTENT_DIR", tmp_path)
    formal_texts.cache_clear()
    try:
        assert formal_texts("reading", "basic-needs") == {}
        page = readings()["basic-needs"]
        assert page.in_language(FORMAL_DUTCH) == page.in_language("nl")
        assert exercise_text("time-out-plan", FORMAL_DUTCH) == exercise_text("time-out-plan", "nl")
    finally:
        formal_texts.cache_clear()


def test_a_formal_file_that_is_not_a_map_of_texts_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "reading" / "formal").mkdir(parents=True)
    (tmp_path / "reading" / "formal" / "basic-needs.json").write_text('{"Je tekst": ""}')
    monkeypatch.setattr(content, "CONTENT_DIR", tmp_path)
    formal_texts.cache_clear()
    try:
        with pytest.raises(ValueError, match="formal text"):
            formal_texts("reading", "basic-needs")
    finally:
        formal_texts.cache_clear()


def _instrument_dutch(instrument: Instrument) -> list[str]:
    texts = [instrument.titles, instrument.descriptions]
    for page in instrument.pages:
        texts.append(page.texts)
        for item in page.items:
            texts += [item.texts, *(option.texts for option in item.options)]
    return [text["nl"] for text in texts if text.get("nl")]


INSTRUMENTS = sorted(all_instruments())


@pytest.mark.parametrize("key", INSTRUMENTS, ids=lambda k: f"{k[0]}@{k[1]}")
def test_every_instrument_text_that_says_je_has_a_formal_version(key: tuple[str, str]) -> None:
    instrument = all_instruments()[key]
    formal = formal_texts(f"instruments/{key[0]}", key[1])
    dutch = _instrument_dutch(instrument)
    missing = [text for text in dutch if INFORMAL.search(text) and text not in formal]
    assert not missing, f"{key}: no formal version of {missing}"
    stale = [text for text in formal if text not in dutch]
    assert not stale, f"{key}: formal versions of texts the instrument no longer has: {stale}"
    for text in formal.values():
        assert not INFORMAL.search(_outside_quotes(text)), f"informal Dutch: {text}"


def test_the_formal_intake_says_u_and_keeps_its_codes() -> None:
    informal = instrument("dyade-intake")
    formal = instrument_in(informal, FORMAL_DUTCH)
    assert instrument_in(informal, "nl") is informal
    assert instrument_in(informal, "en") is informal
    assert [i.link_id for i in formal.questions] == [i.link_id for i in informal.questions]
    assert [o.code for i in formal.questions for o in i.options] == [
        o.code for i in informal.questions for o in i.options
    ]
    hopes = formal.question("story.hopes")
    assert hopes is not None and hopes.texts["nl"].startswith("Wat hoopt u")
    assert hopes.texts["en"] == informal.question("story.hopes").texts["en"]  # type: ignore[union-attr]
    assert not any(INFORMAL.search(text) for text in _instrument_dutch(formal))
