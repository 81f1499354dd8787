"""Every page as each role speaks one language: no Dutch words on English pages, and the reverse.

Must-show 4 of issue 17. The world is the shared test world (tests/conftest.py); each role's
language is set to the language under test, and the pages are found by walking the GET URLs
that tests/test_audit.py lists for that role plus every same-site link on the pages reached.
What people typed themselves (names, notes, answers, the practice's name) is removed from a page
before it is checked: it is read from every text column in the database. Text inside ``<cite>``
(a published source keeps its own title) or inside an element with its own ``lang`` attribute
(an instrument name, a language's own name in a language menu) is exempt, as HTML intends.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve, reverse

from dyade.clinic import guidance
from dyade.practice.event_labels import LABELS
from dyade.questionnaires.services import current_instruments
from tests.conftest import World, client_for
from tests.test_audit import CLIENT_DATA, _url_names

# Common words of one language that are not words of the other (checked as whole words).
DUTCH_WORDS = {
    "het", "een", "niet", "voor", "zijn", "wordt", "worden", "jouw", "jij", "geen", "maar",
    "ook", "nog", "bij", "deze", "dit", "heeft", "hebt", "naar", "van", "uw", "je",
    "dagboek", "oefening", "oefeningen", "vandaag", "gisteren", "opslaan", "terug", "nieuwe",
    "alle", "wie", "welke", "wanneer", "ziet", "zien", "sessie", "sessies", "vragenlijst",
    "vragenlijsten", "uitloggen", "nee", "soms", "altijd", "nooit", "keer", "dagen", "weken",
    "januari", "februari", "maart", "mei", "juni", "juli", "augustus", "oktober",
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
}  # fmt: skip
ENGLISH_WORDS = {
    "the", "and", "with", "your", "you", "this", "that", "yes", "sometimes", "never",
    "always", "save", "from", "which", "have", "will", "today", "yesterday", "diary",
    "session", "sessions", "exercise", "exercises", "questionnaire", "who", "when", "sees",
    "back", "new", "out", "days", "weeks", "week's", "not", "none", "january",
    "february", "march", "may", "june", "july", "august", "october", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip
FOREIGN = {"en": DUTCH_WORDS, "nl": ENGLISH_WORDS}
# Names that stay as they are in both languages (a statistical model's published name).
PROPER_NAMES = ["Truth and Bias"]

ROLES = ["therapist", "admin", "researcher", "partner_a"]
SKIP_NAMES = {"accounts:logout", "quick_exit", "accounts:language", "service_worker", "health"}
PER_NAME = 2  # pages visited per URL name (a list of twenty cases shows the same words)
MAX_PAGES = 250
# The walk must really reach each role's pages (numbers well below what it reaches today).
MIN_PAGES = {"therapist": 25, "admin": 14, "researcher": 6, "partner_a": 18}

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
SILENT = {"script", "style", "cite", "template", "svg", "code", "kbd", "samp"}


class _Text(HTMLParser):
    """The page's visible words, leaving out exempt elements, plus its links."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[bool] = []  # for each open element: is its content exempt?
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in ("title", "aria-label", "placeholder", "alt"):
            if values.get(name) and not self._exempt():
                self.parts.append(values[name] or "")
        if tag in VOID:
            return
        own = values.get("lang")
        exempt = tag in SILENT or (own is not None and own[:2] != self.language)
        self.stack.append(exempt or self._exempt())

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._exempt():
            self.parts.append(data)

    def _exempt(self) -> bool:
        return bool(self.stack) and self.stack[-1]


def _typed_by_people() -> list[str]:
    """Every free text in the database (no codes: columns with choices are left out)."""
    found: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("dyade."):
            continue
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        json_fields = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)
        ]
        if not text_fields and not json_fields:
            continue
        for row in model.objects.all():
            for name in text_fields:
                value = getattr(row, name)
                if isinstance(value, str) and len(value) >= 2:
                    found.add(value)
            for name in json_fields:
                found |= {v for v in _strings(getattr(row, name)) if " " in v}
    return sorted(found, key=len, reverse=True)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _foreign_words(html: str, language: str, typed: list[str]) -> set[str]:
    parser = _Text(language)
    parser.feed(html)
    text = "\n".join(parser.parts)
    for phrase in typed:
        text = text.replace(phrase, " ")
    for name in PROPER_NAMES:
        text = text.replace(name, " ")
    text = re.sub(r"‘[^’\s]{1,12}’", " ", text)  # a word quoted as a word (je, u)
    words = set(re.findall(r"[a-zà-ÿ'-]+", text.lower()))
    return words & FOREIGN[language]


def _internal_codes() -> re.Pattern[str]:
    """Rule ids, audit event names, instrument ids and seed numbers: never on a page as text.

    (Inside ``<code>`` they are exempt: the audit log shows an event's code beside its words,
    and the questionnaires page the name an import file uses.)
    """
    codes = {*guidance.RULES_BY_ID, *LABELS, *(i.id for i in current_instruments())}
    alternatives = "|".join(re.escape(code) for code in sorted(codes, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])|\(seed \d{{3}}\)")


CODES = _internal_codes()


def _codes_on(html: str, typed: list[str]) -> set[str]:
    parser = _Text("xx")
    parser.language = "\0"  # no lang attribute exempts anything here
    parser.feed(html)
    text = "\n".join(parser.parts)
    for phrase in typed:
        text = text.replace(phrase, " ")
    return set(CODES.findall(text))


def _links(html: str) -> list[str]:
    parser = _Text("xx")
    parser.feed(html)
    return parser.links


def _guessable_urls(world: World) -> list[str]:
    """Every URL that takes no argument or only the world's case: pages no link leads to."""
    urls = []
    for name in sorted(_url_names(get_resolver().url_patterns)):
        for args in ([], [world.case.pk]):
            try:
                urls.append(reverse(name, args=args))
            except NoReverseMatch:
                continue
    return urls


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def walk_pages(
    client: Client, starts: list[str], check: Callable[[str], Collection[str]]
) -> tuple[dict[str, Collection[str]], set[str]]:
    """Open the pages at ``starts`` and every same-site page they link to, in that order,
    at most ``PER_NAME`` pages of one URL name and ``MAX_PAGES`` in all; ``check`` reads
    each HTML page that opens and gives what is wrong with it (empty when nothing is).

    Returns what ``check`` found, by path, and the URL names of the pages checked."""
    seen_per_name: dict[str, int] = {}
    queue = list(starts)
    visited: set[str] = set()
    problems: dict[str, Collection[str]] = {}
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc or not parts.path.startswith("/") or parts.path.startswith("/static/"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        name = _url_name(parts.path)
        if path in visited or name is None or name in SKIP_NAMES:
            continue
        if seen_per_name.get(name, 0) >= PER_NAME:
            continue
        visited.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        seen_per_name[name] = seen_per_name.get(name, 0) + 1
        html = response.content.decode()
        found = check(html)
        if found:
            problems[path] = found
        queue.extend(_links(html))
    return problems, set(seen_per_name)


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_speaks_only_the_users_language(world: World, role: str, language: str) -> None:
    user = world.person(role)
    assert user is not None
    user.language = language
    user.save(update_fields=["language"])
    starts = ["/"] + [
        walk.url(world)
        for walks in CLIENT_DATA.values()
        for walk in walks
        if walk.person == role and walk.method == "get"
    ]
    starts += _guessable_urls(world)
    client = client_for(user)
    typed = _typed_by_people()  # after the log-in, which stores text of its own

    def check(html: str) -> set[str]:
        return _foreign_words(html, language, typed) | _codes_on(html, typed)

    problems, checked = walk_pages(client, starts, check)
    assert len(checked) >= MIN_PAGES[role], f"only {sorted(checked)} were reached as {role}"
    report = "\n".join(f"{path}: {sorted(words)}" for path, words in sorted(problems.items()))
    assert not problems, f"words of the other language on {language} pages as {role}:\n{report}"


def test_the_check_finds_internal_codes() -> None:
    page = (
        "<p>diff.switch.powerlessness</p><p>Vragenlijst ecr-rs-partner (seed 000)</p>"
        "<p>diary.read</p><code>diary.read</code><p>read the diary.</p>"
    )
    assert _codes_on(page, []) == {
        "diff.switch.powerlessness",
        "ecr-rs-partner",
        "(seed 000)",
        "diary.read",
    }


def test_the_check_finds_a_dutch_word_on_an_english_page() -> None:
    page = "<html><body><p>Your diary</p><p>Vul het dagboek in</p></body></html>"
    assert _foreign_words(page, "en", []) == {"het", "dagboek"}


def test_typed_text_cites_and_other_languages_are_not_counted() -> None:
    page = (
        "<p>Note: Ik ben moe van het werk</p><cite>Gottman (1999). The marriage clinic</cite>"
        '<span lang="nl">Nederlands</span><p lang="en">Sometimes</p><script>var het=1</script>'
    )
    assert _foreign_words(page, "en", ["Ik ben moe van het werk"]) == set()
    assert _foreign_words(page, "nl", ["Ik ben moe van het werk"]) == set()
