"""Every page as each role speaks one language: no Dutch words on English pages, and the reverse.

Must-show 4 of issue 17. The world is the shared test world (tests/conftest.py); each role's
language is set to the language under test, and the pages are found by walking the GET URLs
that tests/test_audit.py lists for that role plus every same-site link on the pages reached.
What people typed themselves (names, notes, answers, the practice's name) is removed from a page
before it is checked: it is read from the columns that hold typed text (``TYPED_COLUMNS``), never
from the columns where Dyade stores its own codes (audit event names, rule ids, instrument ids).
Text inside ``<cite>`` (a published source keeps its own title) or inside an element with its own
``lang`` attribute (an instrument name, a language's own name in a language menu) is exempt from
the language check, as HTML intends.

The same walk fails on an internal code shown to people as text (``_codes_on``). A code is wrong
in every language, so ``lang`` exempts nothing there; only two kinds of element do, both on
purpose: ``<code>`` (and ``<kbd>``, ``<samp>``), which marks text as what a file or program
holds (the audit log's event code beside its words, an import file's example), and an element
marked ``data-codebook`` (a research codebook names the variables and codes of the files by
design).
"""

from __future__ import annotations

import json
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

from dyade.audit.models import AuditEvent
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
# The codes check reads cites and charts too (a rule id in a chart label is shown to people);
# it leaves out what is not shown and what HTML marks as a file's or a program's text.
CODE_SILENT = {"script", "style", "template", "code", "kbd", "samp"}
CODEBOOK = "data-codebook"  # an element that lists the codes of a research file on purpose


class _Text(HTMLParser):
    """The page's visible words, leaving out exempt elements, plus its links.

    ``language`` None: an element's ``lang`` exempts nothing (the codes check)."""

    def __init__(
        self,
        language: str | None,
        silent: Collection[str] = SILENT,
        exempt_attribute: str | None = None,
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.silent = silent
        self.exempt_attribute = exempt_attribute
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
        self.stack.append(self._exempt() or self._exempts(tag, values))

    def _exempts(self, tag: str, values: dict[str, str | None]) -> bool:
        if tag in self.silent:
            return True
        if self.exempt_attribute is not None and self.exempt_attribute in values:
            return True
        own = values.get("lang")
        return self.language is not None and own is not None and own[:2] != self.language

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._exempt():
            self.parts.append(data)

    def _exempt(self) -> bool:
        return bool(self.stack) and self.stack[-1]


# The columns that hold what people typed (names, e-mail addresses, notes, reasons, imported
# item texts), by model; "json" columns hold typed text among Dyade's own keys and choices, and
# give only their strings with a space in them (a choice or a code has none). Every other text
# column holds what Dyade wrote (audit event names, rule ids, instrument ids, slugs, hashes):
# removing those from a page would hide the very codes the check looks for.
TYPED_COLUMNS: dict[str, dict[str, str]] = {
    "accounts.Practice": {"name": "text"},
    "accounts.User": {"name": "text", "email": "text"},
    "audit.AuditEvent": {"user_label": "text", "case_label": "text"},  # copies of the above
    "cases.Case": {"label": "text", "closing_note": "text"},
    "cases.Partner": {"name": "text", "email": "text"},
    "cases.Invitation": {"sent_to": "text"},
    "diary.DiaryEntry": {"note": "text"},
    "questionnaires.InstrumentText": {"items": "json", "anchors": "json"},
    "questionnaires.Administration": {"answers_json": "json"},
    "dyade_sessions.Observation": {"note": "text"},
    "dyade_sessions.SignalDecision": {"reason": "text"},
    "dyade_sessions.TrackChange": {"reason": "text"},
    "dyade_sessions.CycleVersion": {"data_json": "json"},
    "dyade_sessions.PartnerSummary": {"note": "text"},
    "exercises.Assignment": {
        "frequency": "text",
        "own_agreements": "text",
        "safety_override": "text",
        "end_note": "text",
        "agreements": "json",
    },
    "exercises.Log": {"values_json": "json"},
    "exercises.Answers": {"values_json": "json"},
    "exercises.SessionRecord": {"values_json": "json"},
    "exercises.Entry": {"values_json": "json"},
    "research.Study": {"title": "text", "information_nl": "text", "information_en": "text"},
    "progress.ChangeValues": {"source": "text"},
    "rights.Destruction": {"note": "text"},
}


def _typed_by_people() -> list[str]:
    """Every text people typed that the database holds, longest first (see TYPED_COLUMNS)."""
    found: set[str] = set()
    for label, columns in TYPED_COLUMNS.items():
        for row in apps.get_model(label).objects.all():
            for name, kind in columns.items():
                value = getattr(row, name)
                if kind == "text":
                    if isinstance(value, str) and len(value) >= 2:
                        found.add(value)
                    continue
                if isinstance(value, str):
                    try:
                        value = json.loads(value)
                    except ValueError:
                        continue
                found |= {v for v in _strings(value) if " " in v}
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
    and the questionnaires page the name an import file uses; see the module's docstring.)
    """
    codes = {*guidance.RULES_BY_ID, *LABELS, *(i.id for i in current_instruments())}
    alternatives = "|".join(re.escape(code) for code in sorted(codes, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])|\(seed \d{{3}}\)")


CODES = _internal_codes()
# Text that looks like a code and is not Dyade's: a function of another program, named where a
# scoring key says what it was checked against (the FSFI's note on /practice/instruments/).
NOT_DYADES_CODES = ["PROscorer package's fsfi()"]


def _codes_on(html: str, typed: list[str]) -> set[str]:
    parser = _Text(None, silent=CODE_SILENT, exempt_attribute=CODEBOOK)
    parser.feed(html)
    text = "\n".join(parser.parts)
    for phrase in [*typed, *NOT_DYADES_CODES]:
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
    assert not problems, (
        f"other-language words or internal codes on {language} pages as {role}:\n{report}"
    )


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


def test_the_check_finds_codes_on_a_whole_page_whatever_its_lang() -> None:
    # Every page has <html lang=...>: it once exempted the whole page, so nothing was found.
    page = (
        '<!doctype html><html lang="nl"><head><title>csi-16</title></head><body>'
        '<p lang="en">ecr-r can be given</p><cite>hits</cite>'
        '<svg><text>diary.read</text></svg><a title="fsfi" href="/x/">x</a></body></html>'
    )
    assert _codes_on(page, []) == {"csi-16", "ecr-r", "hits", "diary.read", "fsfi"}


def test_only_a_files_text_and_a_codebook_may_show_codes() -> None:
    page = (
        '<pre class="example"><code>{"instrument": "ecr-rs-partner"}</code></pre>'
        "<p>Event <code>diary.read</code> · <samp>v2</samp> <kbd>gmsex</kbd></p>"
        "<table data-codebook><tr><td>outcome (e.g. csi-4)</td></tr></table>"
        "<pre>iief-5</pre><p>Checked against the PROscorer package's fsfi() (R, CRAN).</p>"
    )
    # A <pre> alone is not a file's text: only <code>, <kbd>, <samp> and data-codebook are.
    assert _codes_on(page, []) == {"iief-5"}


def test_typed_text_hides_what_people_typed_and_no_code() -> None:
    page = "<p>Sanne wrote: ik ben er klaar mee</p><p>diary.read</p>"
    assert _codes_on(page, ["ik ben er klaar mee"]) == {"diary.read"}


@pytest.mark.django_db
def test_the_typed_columns_hold_typed_text_and_no_stored_code(world: World) -> None:
    """An audit event's name and a questionnaire's id are stored by Dyade: a page showing
    them must still fail the check, so they are not read as typed text; names are."""
    therapist = client_for(world.therapist)
    assert therapist.get(reverse("cases:questionnaires", args=[world.case.pk])).status_code == 200
    events = set(AuditEvent.objects.values_list("event", flat=True))
    instruments = set(world.case.administrations.values_list("instrument", flat=True))
    assert events and instruments  # the world holds both, so the check below can fail
    typed = _typed_by_people()
    assert world.partner_a.name in typed and world.case.label in typed
    assert world.practice.name in typed
    assert not (events | instruments) & set(typed)
    page = "".join(f"<p>{code}</p>" for code in sorted(events | instruments))
    assert _codes_on(page, typed) >= instruments | (events & set(LABELS))


def test_every_typed_column_names_a_text_column_of_its_model() -> None:
    """A renamed or removed column would silently stop hiding typed text."""
    for label, columns in TYPED_COLUMNS.items():
        fields = {f.attname: f for f in apps.get_model(label)._meta.concrete_fields}
        for name, kind in columns.items():
            assert name in fields, f"{label}.{name} is not a column"
            field = fields[name]
            assert isinstance(field, models.CharField | models.TextField | models.JSONField)
            assert kind == "json" or not isinstance(field, models.JSONField), name


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
