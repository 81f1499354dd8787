"""Every message in the catalogues has its text in both languages (Must-show 3 of issue 17).

What "a translation in both catalogues" means here: Dyade's source strings are English, so
the English catalogue may leave ``msgstr`` empty — gettext then shows the msgid, which *is*
the English text. That only holds when the msgid really is English, so an empty English
``msgstr`` is accepted only for a msgid with no common Dutch word in it. The Dutch catalogue
must give every message its own Dutch: not empty (every plural form), and not a copy of the
English sentence (a copied msgid of several words is an untranslated string in disguise).
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from tests.test_language_pages import DUTCH_WORDS, ENGLISH_WORDS

LOCALE = Path(__file__).resolve().parent.parent / "dyade" / "locale"

# Messages whose Dutch is rightly the same as the English (names, codes, loanwords).
SAME_IN_BOTH = {
    "Dyade", "OK", "E-mail", "Status", "Partner A", "Partner B", "Type", "Score",
    "Log-likelihood",  # the statistical term, used untranslated in Dutch
}  # fmt: skip


def _catalogue(language: str) -> dict[tuple[str | None, str], polib.POEntry]:
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    return {(e.msgctxt, e.msgid): e for e in po if not e.obsolete and e.msgid}


def _words(text: str) -> set[str]:
    # Placeholders, tags, cited authors ("(Deij & van Verseveld, 2015)") and a word quoted
    # as a word (je in typographic quotes) are not words of the sentence's language.
    text = re.sub(r"%\([^)]*\)[a-z]|\{[^}]*\}|<[^>]*>|\([^()]*\b\d{4}\)|‘[^’\s]{1,12}’", " ", text)
    return set(re.findall(r"[a-zà-ÿ']+", text.lower()))


def _label(key: tuple[str | None, str]) -> str:
    context, msgid = key
    return (f"[{context}] " if context else "") + repr(msgid[:90])


@pytest.fixture(scope="module")
def catalogues() -> dict[str, dict[tuple[str | None, str], polib.POEntry]]:
    return {"nl": _catalogue("nl"), "en": _catalogue("en")}


def test_both_catalogues_hold_the_same_messages(catalogues: dict) -> None:  # type: ignore[type-arg]
    only_nl = sorted(_label(k) for k in catalogues["nl"].keys() - catalogues["en"].keys())
    only_en = sorted(_label(k) for k in catalogues["en"].keys() - catalogues["nl"].keys())
    assert not only_nl, "in the Dutch catalogue only:\n" + "\n".join(only_nl)
    assert not only_en, "in the English catalogue only:\n" + "\n".join(only_en)


def test_every_message_has_dutch(catalogues: dict) -> None:  # type: ignore[type-arg]
    missing = []
    for key, entry in catalogues["nl"].items():
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(t.strip() for t in texts) or "fuzzy" in entry.flags:
            missing.append(_label(key))
    assert not missing, "no Dutch for:\n" + "\n".join(sorted(missing))


def test_dutch_is_not_a_copy_of_the_english(catalogues: dict) -> None:  # type: ignore[type-arg]
    copies = [
        _label(key)
        for key, entry in catalogues["nl"].items()
        if not entry.msgid_plural
        and entry.msgstr == entry.msgid
        and entry.msgid not in SAME_IN_BOTH
        and _words(entry.msgid) & ENGLISH_WORDS
    ]
    assert not copies, "Dutch msgstr copied from the English msgid:\n" + "\n".join(sorted(copies))


def test_an_empty_english_translation_only_where_the_source_is_english(catalogues: dict) -> None:  # type: ignore[type-arg]
    dutch_sources = []
    for key, entry in catalogues["en"].items():
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if any(t.strip() for t in texts):
            continue  # an explicit English text
        source = entry.msgid + " " + (entry.msgid_plural or "")
        if _words(source) & DUTCH_WORDS:
            dutch_sources.append(_label(key))
    assert not dutch_sources, (
        "msgid written in Dutch with no English translation (English pages would show Dutch):\n"
        + "\n".join(sorted(dutch_sources))
    )


def test_the_checks_catch_what_they_should() -> None:
    assert _words("Vul het dagboek in") & DUTCH_WORDS == {"het", "dagboek"}
    assert not _words("%(name)s saved the diary") & DUTCH_WORDS
    assert _words("Save your diary") & ENGLISH_WORDS
    assert not _words("a sexologist (Deij & van Verseveld, 2015).") & DUTCH_WORDS
