"""Dyade's terminology: one preferred word per idea, in Dutch and English.

The list lives in ``glossary/terms.json`` beside this module. Each term has its
Dutch and English form, the seed passage that names it where a seed does, and
the words that must not be used for the same idea. :func:`avoided_in` finds
those words in a text; the glossary test runs it over templates, content files
and both catalogues. Nothing here imports Django.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parent / "glossary" / "terms.json"
LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Term:
    id: str
    nl: str
    en: str
    seed_file: str | None
    seed_quote: str | None
    avoid: dict[str, tuple[str, ...]]

    def preferred(self, language: str) -> str:
        return self.nl if language == "nl" else self.en


@dataclass(frozen=True)
class Finding:
    term: str  # the glossary id
    word: str  # the avoided word as written in the glossary
    found: str  # the text around it


@cache
def terms() -> tuple[Term, ...]:
    with GLOSSARY.open(encoding="utf-8") as handle:
        data = json.load(handle)
    found = []
    for raw in data["terms"]:
        seed = raw.get("seed") or {}
        avoid = raw.get("avoid") or {}
        found.append(
            Term(
                id=raw["id"],
                nl=raw["nl"],
                en=raw["en"],
                seed_file=seed.get("file"),
                seed_quote=seed.get("quote"),
                avoid={lang: tuple(avoid.get(lang, ())) for lang in LANGUAGES},
            )
        )
    return tuple(found)


def term(term_id: str, language: str) -> str:
    """The preferred word for ``term_id`` in ``language`` ("nl" or "en")."""
    for item in terms():
        if item.id == term_id:
            return item.preferred(language)
    raise KeyError(term_id)


@cache
def _pattern(word: str) -> re.Pattern[str]:
    # At a word start: an avoided word is found at the start of a compound, not inside one.
    return re.compile(rf"(?<![\w-]){re.escape(word)}", re.IGNORECASE)


def avoided_in(text: str, language: str) -> list[Finding]:
    """Every avoided word of ``language`` in ``text``, with a little context."""
    findings = []
    for item in terms():
        for word in item.avoid.get(language, ()):
            for match in _pattern(word).finditer(text):
                start = max(0, match.start() - 30)
                context = text[start : match.end() + 30].replace("\n", " ")
                findings.append(Finding(item.id, word, context))
    return findings
