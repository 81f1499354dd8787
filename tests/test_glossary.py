"""One word per idea: the glossary's avoided terms appear nowhere people read.

The glossary (``dyade/content/glossary/terms.json``) names the preferred Dutch
and English word for each idea that had several names, with the seed passage
where a seed names it. These tests read every template, content file, Python
source and both catalogues and fail on any avoided word.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from dyade.content import terms as glossary

ROOT = Path(__file__).resolve().parent.parent
DYADE = ROOT / "dyade"
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_FILES = {path.name[:3]: path for path in SEEDS.glob("*.txt")}
CATALOGUE = DYADE / "locale" / "{lang}" / "LC_MESSAGES" / "django.po"


def describe(where: str, findings: list[glossary.Finding]) -> list[str]:
    return [f"{where}: '{f.word}' (use the term {f.term}) in …{f.found}…" for f in findings]


def test_the_glossary_is_consistent() -> None:
    ids = [term.id for term in glossary.terms()]
    assert len(ids) == len(set(ids))
    for term in glossary.terms():
        assert term.nl and term.en, term.id
        for language in glossary.LANGUAGES:
            preferred = term.preferred(language)
            # A preferred word must not itself be caught as an avoided one.
            assert not glossary.avoided_in(preferred, language), term.id


@pytest.mark.parametrize("term", glossary.terms(), ids=lambda term: term.id)
def test_a_seed_term_is_quoted_from_its_seed(term: glossary.Term) -> None:
    if term.seed_file is None:
        return
    if term.seed_file not in SEED_FILES:
        pytest.fail(f"the seed texts are not here ({SEEDS}); they belong beside the checkout")
    text = " ".join(SEED_FILES[term.seed_file].read_text(encoding="utf-8").split())
    assert term.seed_quote and term.seed_quote in text


def test_the_checker_finds_an_avoided_word_at_a_word_start() -> None:
    found = glossary.avoided_in("Open de Cycluskaart.", "nl")
    assert [f.term for f in found] == ["negative-cycle", "cycle-map"]
    assert glossary.avoided_in("De vier ankerpunten", "nl")
    assert not glossary.avoided_in("een bijspoortje van de negatieve cirkel", "nl")
    assert not glossary.avoided_in("de cirkelkaart", "nl")


def test_the_dutch_catalogue_uses_the_preferred_words() -> None:
    catalogue = polib.pofile(str(CATALOGUE).format(lang="nl"))
    problems = []
    for entry in catalogue:
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        for text in texts:
            problems += describe(
                f"nl catalogue '{entry.msgid[:40]}'", glossary.avoided_in(text, "nl")
            )
    assert not problems, "\n".join(problems)


def test_the_english_source_strings_use_the_preferred_words() -> None:
    catalogue = polib.pofile(str(CATALOGUE).format(lang="en"))
    problems = []
    for entry in catalogue:
        for text in (entry.msgid, entry.msgid_plural or ""):
            problems += describe(f"source string '{text[:40]}'", glossary.avoided_in(text, "en"))
    assert not problems, "\n".join(problems)


def files(*suffixes: str) -> list[Path]:
    skipped = {"locale", "__pycache__", "migrations", "static"}
    return sorted(
        path
        for path in DYADE.rglob("*")
        if path.suffix in suffixes and not skipped & set(path.relative_to(DYADE).parts)
    )


@pytest.mark.parametrize("language", glossary.LANGUAGES)
def test_templates_content_and_code_use_the_preferred_words(language: str) -> None:
    problems = []
    for path in files(".html", ".txt", ".json", ".py"):
        if path.parent.name == "glossary":
            continue  # the glossary itself lists the avoided words
        text = path.read_text(encoding="utf-8")
        problems += describe(str(path.relative_to(ROOT)), glossary.avoided_in(text, language))
    assert not problems, "\n".join(problems)


def test_every_preferred_word_is_in_use() -> None:
    dutch = polib.pofile(str(CATALOGUE).format(lang="nl"))
    catalogue_nl = " ".join(e.msgstr for e in dutch).lower()
    catalogue_en = " ".join(e.msgid for e in dutch).lower()
    content = " ".join(p.read_text(encoding="utf-8") for p in files(".json")).lower()
    unused = [
        term.id
        for term in glossary.terms()
        if term.nl.lower() not in catalogue_nl + content
        or term.en.lower() not in catalogue_en + content
    ]
    assert not unused, f"terms listed but never used: {unused}"
